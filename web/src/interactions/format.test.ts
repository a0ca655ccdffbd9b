import { describe, expect, it } from 'vitest'
import { directionMark, ownerLabel, ownersSeen, relatedBadge, shortDateTime, statusSeverity, tagsFirst, watchers } from './format'
import { isListEvent } from './live'

describe('interaction list columns', () => {
  const now = new Date(2026, 5, 15, 18, 0)

  it('shows a time today, a date and time this year, a date before', () => {
    expect(shortDateTime(new Date(2026, 5, 15, 9, 5).toISOString(), now, 'en-GB')).toBe('09:05')
    expect(shortDateTime(new Date(2026, 2, 3, 14, 5).toISOString(), now, 'en-GB')).toBe('3 Mar, 14:05')
    expect(shortDateTime(new Date(2024, 2, 3, 14, 5).toISOString(), now, 'en-GB')).toBe('3 Mar 2024')
    expect(shortDateTime(null, now, 'en-GB')).toBe('')
    expect(shortDateTime('not a date', now, 'en-GB')).toBe('')
  })

  it('marks the last message down when it came in and up when it went out', () => {
    expect(directionMark('in')).toEqual({ icon: 'pi pi-arrow-down-left', label: 'interactionList.direction.in' })
    expect(directionMark('out')?.icon).toBe('pi pi-arrow-up-right')
    expect(directionMark(null)).toBeNull()
  })

  it('colours the status', () => {
    expect(statusSeverity('waiting')).toBe('warn')
    expect(statusSeverity('open')).toBe('success')
    expect(statusSeverity('closed')).toBe('secondary')
    expect(statusSeverity('closed_unmanaged')).toBe('danger')
  })

  it('names the owner: me, nobody, or his name', () => {
    expect(ownerLabel(null, 3)).toEqual({ kind: 'none' })
    expect(ownerLabel({ id: 3, name: 'Mario' }, 3)).toEqual({ kind: 'me' })
    expect(ownerLabel({ id: 4, name: 'Giulia' }, 3)).toEqual({ kind: 'named', name: 'Giulia' })
    expect(ownerLabel({ id: 4, name: 'Giulia' }, null)).toEqual({ kind: 'named', name: 'Giulia' })
  })

  it('lists the others watching, by name, leaving out the viewer', () => {
    const w = [
      { id: 9, name: 'Sara' },
      { id: 3, name: 'Mario' },
      { id: 5, name: 'Anna' },
    ]
    expect(watchers(w, 3)).toEqual(['Anna', 'Sara'])
    expect(watchers([{ id: 3, name: 'Mario' }], 3)).toEqual([])
  })

  it('shows the count of unmanaged interactions of the conversation only when there are some', () => {
    expect(relatedBadge(0)).toBeNull()
    expect(relatedBadge(undefined)).toBeNull()
    expect(relatedBadge(2)).toBe('2')
    expect(relatedBadge(140)).toBe('99+')
  })

  it('puts the tags the list is filtered by first', () => {
    const tags = [{ id: 1 }, { id: 2 }, { id: 3 }]
    expect(tagsFirst(tags, [3]).map((t) => t.id)).toEqual([3, 1, 2])
    expect(tagsFirst(tags, []).map((t) => t.id)).toEqual([1, 2, 3])
  })

  it('gathers the owners met in the rows once each, by name', () => {
    const rows = [{ owner: { id: 2, name: 'Luca' } }, { owner: null }, { owner: { id: 1, name: 'Anna' } }, { owner: { id: 2, name: 'Luca V.' } }]
    expect(ownersSeen(rows, [{ id: 7, name: 'Zoe' }])).toEqual([
      { id: 1, name: 'Anna' },
      { id: 2, name: 'Luca V.' },
      { id: 7, name: 'Zoe' },
    ])
  })
})

describe('events that refresh an interaction list', () => {
  it('takes interaction and message changes, not offers or delivery marks', () => {
    for (const name of ['interaction.created', 'interaction.closed', 'interaction.tags_changed', 'interaction.watchers_changed', 'message.received', 'message.sent']) {
      expect(isListEvent(name), name).toBe(true)
    }
    for (const name of ['interaction.offered', 'interaction.offer_ended', 'message.delivery', 'agent.paused', 'agent.login', 'queue.updated']) {
      expect(isListEvent(name), name).toBe(false)
    }
  })

  it("takes an agent's own login and logout on his desk: they change which queues he sees", () => {
    expect(isListEvent('agent.login', true)).toBe(true)
    expect(isListEvent('agent.logout', true)).toBe(true)
    expect(isListEvent('agent.paused', true)).toBe(false)
  })
})
