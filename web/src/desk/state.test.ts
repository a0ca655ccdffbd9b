import { describe, expect, it } from 'vitest'
import type { AgentOffer, Desk } from '../api/types'
import type { RealtimeEvent } from '../realtime'
import {
  applyDesk,
  applyEvent,
  applyInteraction,
  emptyDeskState,
  estimateSkew,
  formatCountdown,
  NOTICE_MS,
  offerCountdown,
  presenceState,
  pruneNotices,
} from './state'

const ME = 2
const OTHER = 3
let seq = 100

function ev(event: string, data: Record<string, unknown>, at = '2026-11-21T10:00:00Z'): RealtimeEvent {
  return { id: ++seq, event, at, data }
}

function desk(offers: AgentOffer[] = [], loggedIn = true): Desk {
  return {
    presence: loggedIn
      ? { agent_id: ME, logged_in_at: '2026-11-21T09:00:00Z', profile_id: null, profile_name: '', paused: false, pause_reason_id: null, pause_reason: '', paused_at: null }
      : null,
    profiles: [],
    pause_reasons: [],
    routing: { logged_in: loggedIn, paused: false, away: false, active_queues: { '1': 0 }, offers, load: {} },
    queues: [],
  }
}

const offered = (id: number, agent = ME, extra: Record<string, unknown> = {}) =>
  ev('interaction.offered', { interaction_id: id, queue_id: 1, agent_id: agent, expires_at: '2026-11-21T10:01:00Z', private: true, ...extra })

describe('desk state: offers', () => {
  it('adds an offer made to him, asks for its details and rings once', () => {
    const s = emptyDeskState(ME)
    expect(applyEvent(s, offered(7), 0)).toEqual([
      { type: 'load', id: 7 },
      { type: 'ring', id: 7 },
    ])
    expect(s.offers).toEqual([
      { interaction_id: 7, queue_id: 1, channel: '', offered_at: '2026-11-21T10:00:00Z', expires_at: '2026-11-21T10:01:00Z', auto_accept_at: undefined, transfer: undefined },
    ])
    // The same offer again (a replay): no second ring.
    expect(applyEvent(s, offered(7), 0)).toEqual([{ type: 'load', id: 7 }])
    expect(s.offers).toHaveLength(1)
  })

  it('ignores offers made to other agents', () => {
    const s = emptyDeskState(ME)
    expect(applyEvent(s, offered(7, OTHER), 0)).toEqual([])
    expect(s.offers).toEqual([])
  })

  it('knows the channel, subject and contact from interaction.created, so needs no load', () => {
    const s = emptyDeskState(ME)
    applyEvent(s, ev('interaction.created', { interaction_id: 7, queue_id: 1, channel: 'chat', subject: 'Order 1234', contact_name: 'Anna' }), 0)
    expect(applyEvent(s, offered(7, ME, { transfer: true, auto_accept_at: '2026-11-21T10:00:05Z' }), 0)).toEqual([{ type: 'ring', id: 7 }])
    expect(s.offers[0]).toMatchObject({ channel: 'chat', transfer: true, auto_accept_at: '2026-11-21T10:00:05Z' })
    expect(s.info[7]).toMatchObject({ subject: 'Order 1234', contact_name: 'Anna', status: 'waiting' })
  })

  it('shows "taken" in place of an offer another agent accepted, for a few seconds', () => {
    const s = emptyDeskState(ME)
    applyEvent(s, offered(7), 0)
    applyEvent(s, offered(8), 0)
    // The other agent's assignment reaches us too (same queue); it does not touch our offer.
    expect(applyEvent(s, ev('interaction.assigned', { interaction_id: 7, queue_id: 1, agent_id: OTHER }), 1000)).toEqual([])
    expect(s.offers.map((o) => o.interaction_id)).toEqual([7, 8])
    expect(applyEvent(s, ev('interaction.offer_ended', { interaction_id: 7, agent_id: ME, reason: 'taken' }), 1000)).toEqual([{ type: 'notice', id: 7 }])
    expect(s.offers.map((o) => o.interaction_id)).toEqual([8])
    expect(s.notices).toEqual([{ interaction_id: 7, kind: 'taken', until: 1000 + NOTICE_MS }])
    pruneNotices(s, 1000 + NOTICE_MS - 1)
    expect(s.notices).toHaveLength(1)
    pruneNotices(s, 1000 + NOTICE_MS)
    expect(s.notices).toEqual([])
  })

  it('just drops an offer that ended otherwise (rejected, timed out, paused…)', () => {
    for (const reason of ['rejected', 'timeout', 'paused', 'away', 'logout', 'unassigned', 'capacity', 'closed', 'moved', 'requeued']) {
      const s = emptyDeskState(ME)
      applyEvent(s, offered(7), 0)
      expect(applyEvent(s, ev('interaction.offer_ended', { interaction_id: 7, agent_id: ME, reason }), 0), reason).toEqual([])
      expect(s.offers, reason).toEqual([])
      expect(s.notices, reason).toEqual([])
    }
  })

  it('ignores the end of another agent’s offer', () => {
    const s = emptyDeskState(ME)
    applyEvent(s, offered(7), 0)
    applyEvent(s, ev('interaction.offer_ended', { interaction_id: 7, agent_id: OTHER, reason: 'taken' }), 0)
    expect(s.offers).toHaveLength(1)
    expect(s.notices).toEqual([])
  })

  it('takes the desk’s offers as the whole truth, ringing only for new ones when asked', () => {
    const s = emptyDeskState(ME)
    applyEvent(s, offered(7), 0)
    const o8: AgentOffer = { interaction_id: 8, queue_id: 1, channel: 'whatsapp', expires_at: '2026-11-21T10:01:00Z' }
    const o7: AgentOffer = { interaction_id: 7, queue_id: 1, channel: 'chat', expires_at: '2026-11-21T10:01:00Z' }
    expect(applyDesk(s, desk([o7, o8]), { ring: true })).toEqual([
      { type: 'load', id: 8 },
      { type: 'ring', id: 8 },
    ])
    expect(s.offers.map((o) => o.interaction_id)).toEqual([7, 8])
    expect(s.info[8]?.channel).toBe('whatsapp')
    expect(applyDesk(s, desk([o8]))).toEqual([])
    expect(s.offers.map((o) => o.interaction_id)).toEqual([8])
    applyDesk(s, desk([o8], false))
    expect(s.offers).toEqual([])
  })
})

describe('desk state: his interactions', () => {
  it('adds an interaction assigned to him (accepted, or auto-answered) and forgets it when closed', () => {
    const s = emptyDeskState(ME)
    applyEvent(s, offered(7), 0)
    expect(applyEvent(s, ev('interaction.assigned', { interaction_id: 7, queue_id: 1, agent_id: ME, auto: true }), 0)).toEqual([{ type: 'load', id: 7 }])
    expect(s.offers).toEqual([])
    expect(s.mine).toEqual([7])
    expect(s.info[7]).toMatchObject({ status: 'open', owner_id: ME, queue_id: 1 })
    applyEvent(s, ev('interaction.assigned', { interaction_id: 9, queue_id: 1, agent_id: ME }), 0)
    expect(s.mine).toEqual([9, 7]) // newest first
    applyEvent(s, ev('interaction.closed', { interaction_id: 7, queue_id: 1, agent_id: ME }), 0)
    expect(s.mine).toEqual([9])
    expect(s.info[7]?.status).toBe('closed')
  })

  it('follows a transfer: pending until accepted elsewhere, or back to him when nobody takes it', () => {
    const s = emptyDeskState(ME)
    applyEvent(s, ev('interaction.assigned', { interaction_id: 7, queue_id: 1, agent_id: ME }), 0)
    applyEvent(s, ev('interaction.assigned', { interaction_id: 8, queue_id: 1, agent_id: ME }), 0)
    s.transfers[7] = 'pending'
    s.transfers[8] = 'pending'
    applyEvent(s, ev('interaction.transfer_returned', { interaction_id: 8, agent_id: ME }), 0)
    expect(s.transfers[8]).toBe('returned')
    expect(s.mine).toEqual([8, 7])
    applyEvent(s, ev('interaction.transfer_accepted', { interaction_id: 7, queue_id: 4, from_agent_id: ME, agent_id: OTHER }), 0)
    expect(s.mine).toEqual([8])
    expect(s.transfers[7]).toBeUndefined()
    expect(s.info[7]?.owner_id).toBe(OTHER)
  })

  it('receives a transfer: the transfer offer becomes his interaction', () => {
    const s = emptyDeskState(ME)
    applyEvent(s, offered(7, ME, { transfer: true, queue_id: 4 }), 0)
    expect(s.offers[0]).toMatchObject({ transfer: true, queue_id: 4 })
    expect(applyEvent(s, ev('interaction.transfer_accepted', { interaction_id: 7, queue_id: 4, from_agent_id: OTHER, agent_id: ME }), 0)).toEqual([{ type: 'load', id: 7 }])
    expect(s.offers).toEqual([])
    expect(s.mine).toEqual([7])
  })

  it('loses an interaction that went back to its queue when he logged out', () => {
    const s = emptyDeskState(ME)
    applyEvent(s, ev('interaction.assigned', { interaction_id: 7, queue_id: 1, agent_id: ME }), 0)
    applyEvent(s, ev('interaction.requeued', { interaction_id: 7, queue_id: 1, from_agent_id: ME }), 0)
    expect(s.mine).toEqual([])
    expect(s.info[7]).toMatchObject({ status: 'waiting', owner_id: null })
  })

  it('drops from his list what the server says is no longer his', () => {
    const s = emptyDeskState(ME)
    s.mine = [7, 8, 9]
    const it = (id: number, status: 'open' | 'closed', owner: number | null) => ({
      id, channel: 'chat', queue_id: 1, subject: `S${id}`, status, owner_id: owner, created_at: '', closed_at: null,
    })
    applyInteraction(s, it(7, 'open', ME))
    applyInteraction(s, it(8, 'closed', ME))
    applyInteraction(s, it(9, 'open', OTHER))
    expect(s.mine).toEqual([7])
    expect(s.info[7]?.subject).toBe('S7')
  })
})

describe('desk state: presence', () => {
  it('reloads the desk on his presence events, and at logout clears the offers at once', () => {
    const s = emptyDeskState(ME)
    applyDesk(s, desk([{ interaction_id: 7, queue_id: 1, channel: 'chat', expires_at: '' }]))
    for (const e of ['agent.login', 'agent.paused', 'agent.resumed', 'agent.profile_changed']) {
      expect(applyEvent(s, ev(e, { paused: false }), 0), e).toEqual([{ type: 'reload' }])
    }
    expect(s.offers).toHaveLength(1)
    expect(applyEvent(s, ev('agent_profile.updated', { name: 'Morning', enabled: false, agent_ids: [ME] }), 0)).toEqual([{ type: 'reload' }])
    expect(applyEvent(s, ev('agent.logout', {}), 0)).toEqual([{ type: 'reload' }])
    expect(s.offers).toEqual([])
    expect(s.desk?.presence).toBeNull()
  })

  it('tells the state the header shows', () => {
    expect(presenceState(null)).toBe('offline')
    expect(presenceState(desk([], false))).toBe('offline')
    const d = desk()
    expect(presenceState(d)).toBe('ready')
    expect(presenceState({ ...d, routing: { ...d.routing, away: true } })).toBe('away')
    expect(presenceState({ ...d, presence: { ...d.presence!, paused: true } })).toBe('paused')
  })
})

describe('offer countdown', () => {
  const offer = { offered_at: '2026-11-21T10:00:00Z', expires_at: '2026-11-21T10:01:00Z' }
  const at = (iso: string) => Date.parse(iso)

  it('counts down to the expiry, in whole seconds rounded up, with the share of time left', () => {
    expect(offerCountdown(offer, at('2026-11-21T10:00:00Z'))).toEqual({ remainingMs: 60_000, seconds: 60, fraction: 1 })
    expect(offerCountdown(offer, at('2026-11-21T10:00:44.500Z'))).toEqual({ remainingMs: 15_500, seconds: 16, fraction: 15_500 / 60_000 })
    expect(offerCountdown(offer, at('2026-11-21T10:02:00Z'))).toEqual({ remainingMs: 0, seconds: 0, fraction: 0 })
  })

  it('goes by the server’s clock when ours is off', () => {
    // Our clock is 30 s behind the server's.
    const local = at('2026-11-21T10:00:00Z') - 30_000
    expect(offerCountdown(offer, local, 30_000).seconds).toBe(60)
    expect(offerCountdown(offer, local).seconds).toBe(90) // without the correction: wrong
  })

  it('copes with a missing start or a bad date', () => {
    expect(offerCountdown({ expires_at: '2026-11-21T10:01:00Z' }, at('2026-11-21T10:00:30Z'))).toMatchObject({ seconds: 30, fraction: 1 })
    expect(offerCountdown({ expires_at: 'soon' }, 0)).toEqual({ remainingMs: 0, seconds: 0, fraction: 0 })
  })

  it('estimates the skew from the freshest event, ignoring replayed old ones', () => {
    expect(estimateSkew([])).toBe(0)
    // Live events arrive ~50 ms after they happen on a server 2 s ahead; a replayed one is minutes old.
    expect(estimateSkew([1950, -300_000, 1940, 1960])).toBe(1960)
  })

  it('formats as m:ss, and h:mm:ss past an hour', () => {
    expect(formatCountdown(0)).toBe('0:00')
    expect(formatCountdown(9)).toBe('0:09')
    expect(formatCountdown(60)).toBe('1:00')
    expect(formatCountdown(299)).toBe('4:59')
    expect(formatCountdown(3725)).toBe('1:02:05')
    expect(formatCountdown(-5)).toBe('0:00')
  })
})
