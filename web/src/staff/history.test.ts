import { describe, expect, it } from 'vitest'
import type { HistoryEvent } from '../api/types'
import { describeEvent, KNOWN_EVENTS, referencedIds } from './history'
import en from '../i18n/locales/en.json'

const event = (type: string, data: Record<string, unknown> | null = {}): HistoryEvent => ({
  id: 1,
  at: '2026-11-21T09:00:00Z',
  type,
  actor: { id: 1, username: 'admin' },
  data,
})

describe('history texts', () => {
  it('lists the changed fields of an update', () => {
    expect(describeEvent(event('principal.updated', { fields: ['alias', 'email'] }))).toMatchObject({
      key: 'principal_updated',
      fields: ['alias', 'email'],
      details: [],
    })
    expect(describeEvent(event('principal.updated', null)).key).toBe('principal_updated_nothing')
  })

  it('names the team, however the server spells it', () => {
    expect(describeEvent(event('team.member_added', { team: { id: 2, name: 'Sales' } })).values.team).toBe('Sales')
    expect(describeEvent(event('team.member_removed', { team_name: 'Support' })).values.team).toBe('Support')
  })

  it('names teams and queues by id from a lookup, or shows the id', () => {
    const names = { team: (id: number) => (id === 1 ? 'Customer care' : undefined), queue: (id: number) => (id === 2 ? 'WhatsApp sales' : undefined) }
    expect(describeEvent(event('team.member_added', { team_id: 1 }), names).values.team).toBe('Customer care')
    expect(describeEvent(event('team.member_added', { team_id: 9 }), names).values.team).toBe('#9')
    expect(describeEvent(event('principal.queues_changed', { queue_ids: [2, 7] }), names)).toMatchObject({
      key: 'principal_queues_changed',
      values: { queues: 'WhatsApp sales, #7' },
      details: [],
    })
    expect(describeEvent(event('principal.queues_changed', { queue_ids: [] })).key).toBe('principal_queues_changed_none')
  })

  it('lists the ids to look up', () => {
    expect(referencedIds([event('team.member_added', { team_id: 1 }), event('principal.queues_changed', { queue_ids: [2, 3] })])).toEqual({
      teams: [1],
      queues: [2, 3],
    })
  })

  it('gives the reason of a lock when there is one', () => {
    expect(describeEvent(event('principal.locked', { reason: 'too many failed sign-ins' }))).toMatchObject({
      key: 'principal_locked',
      values: { reason: 'too many failed sign-ins' },
    })
    expect(describeEvent(event('principal.locked')).key).toBe('principal_locked_noReason')
  })

  it('tells client logging on from off', () => {
    expect(describeEvent(event('client_log.changed', { enabled: true, level: 'INFO' }))).toMatchObject({
      key: 'client_log_on',
      values: { level: 'INFO' },
    })
    expect(describeEvent(event('client_log.changed', { enabled: false })).key).toBe('client_log_off')
  })

  it('keeps other facts as details, and unknown types readable', () => {
    expect(describeEvent(event('auth.login', { ip: '10.0.0.1' })).details).toEqual([['ip', '10.0.0.1']])
    expect(describeEvent(event('queue.renamed'))).toMatchObject({ key: 'other', values: { type: 'queue.renamed' } })
  })

  it('has a text for every key it can give', () => {
    const texts = (en as { history: { events: Record<string, string> } }).history.events
    const samples = [
      ...KNOWN_EVENTS.map((type) => event(type)),
      event('principal.updated', { fields: ['alias'] }),
      event('principal.locked', { reason: 'x' }),
      event('auth.login_failed', { reason: 'x' }),
      event('avatar.updated', { removed: true }),
      event('client_log.changed', { enabled: false }),
      event('principal.queues_changed', { queue_ids: [1] }),
      event('something.else'),
    ]
    for (const sample of samples) expect(texts[describeEvent(sample).key], sample.type).toBeTypeOf('string')
  })
})
