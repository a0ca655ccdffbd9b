// The agent desktop's routing state and how realtime events change it. Pure:
// the store (stores/desk.ts) holds a reactive DeskState, feeds it events and
// carries out the follow-ups (load an interaction, reload the desk, ring).

import type { AgentOffer, Desk, Interaction, InteractionStatus } from '../api/types'
import type { RealtimeEvent } from '../realtime'

/** How long "Taken by another agent" stays where the offer was. */
export const NOTICE_MS = 3000

/** What the desktop knows of an interaction (from events or GET /interactions/{id}). */
export interface InteractionInfo {
  id: number
  channel?: string
  queue_id?: number | null
  subject?: string
  /** Who the customer is (a chat's form name, say); '' when unknown. */
  contact_name?: string
  status?: InteractionStatus
  owner_id?: number | null
}

/** A brief note shown in place of an offer that went away. */
export interface OfferNotice {
  interaction_id: number
  kind: 'taken' | 'gone'
  /** The server's words, for "gone" (an accept refused). */
  message?: string
  /** Local time (ms) when it disappears. */
  until: number
}

export type TransferState = 'pending' | 'returned'

export interface DeskState {
  /** The signed-in agent's id. */
  me: number
  desk: Desk | null
  /** His pending offers, oldest first. */
  offers: AgentOffer[]
  notices: OfferNotice[]
  /** Interactions he owns, newest first. */
  mine: number[]
  info: Record<number, InteractionInfo>
  transfers: Record<number, TransferState>
}

export type FollowUp =
  | { type: 'reload' } // the desk (presence, pause, profile) changed: GET /me/desk
  | { type: 'load'; id: number } // details of an interaction are needed
  | { type: 'ring'; id: number } // a new offer: sound and notification
  | { type: 'notice'; id: number } // a notice was added: remove it after NOTICE_MS

export function emptyDeskState(me: number): DeskState {
  return { me, desk: null, offers: [], notices: [], mine: [], info: {}, transfers: {} }
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

function removeOffer(state: DeskState, id: number): boolean {
  const before = state.offers.length
  state.offers = state.offers.filter((o) => o.interaction_id !== id)
  return state.offers.length !== before
}

function removeNotice(state: DeskState, id: number) {
  state.notices = state.notices.filter((n) => n.interaction_id !== id)
}

function addMine(state: DeskState, id: number) {
  if (!state.mine.includes(id)) state.mine = [id, ...state.mine]
}

function removeMine(state: DeskState, id: number) {
  state.mine = state.mine.filter((x) => x !== id)
  delete state.transfers[id]
}

/** Merges what is known of an interaction. */
export function learn(state: DeskState, info: InteractionInfo) {
  const known = state.info[info.id] ?? { id: info.id }
  const merged: InteractionInfo = { ...known }
  for (const [key, value] of Object.entries(info)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value
  }
  state.info[info.id] = merged
}

export function learnInteraction(state: DeskState, it: Interaction) {
  learn(state, {
    id: it.id,
    channel: it.channel,
    queue_id: it.queue_id,
    subject: it.subject,
    contact_name: it.contact_name,
    status: it.status,
    owner_id: it.owner_id,
  })
}

/** Adds (or refreshes) an offer; true when it is new. */
export function putOffer(state: DeskState, offer: AgentOffer): boolean {
  const i = state.offers.findIndex((o) => o.interaction_id === offer.interaction_id)
  removeNotice(state, offer.interaction_id)
  if (i >= 0) {
    state.offers = state.offers.map((o, j) => (j === i ? { ...o, ...offer } : o))
    return false
  }
  state.offers = [...state.offers, offer]
  return true
}

/** A notice in place of an offer, for NOTICE_MS from now. */
export function addNotice(state: DeskState, notice: Omit<OfferNotice, 'until'>, now: number): FollowUp {
  removeNotice(state, notice.interaction_id)
  state.notices = [...state.notices, { ...notice, until: now + NOTICE_MS }]
  return { type: 'notice', id: notice.interaction_id }
}

/** Drops the notices whose time is over. */
export function pruneNotices(state: DeskState, now: number) {
  if (state.notices.some((n) => n.until <= now)) state.notices = state.notices.filter((n) => n.until > now)
}

/**
 * Takes a fresh desk (GET /me/desk, or an action's answer): its offers
 * replace the ones held, since it is the server's whole truth. Returns what
 * to do: load details of offers not known yet, ring for new ones.
 */
export function applyDesk(state: DeskState, desk: Desk, options: { ring?: boolean } = {}): FollowUp[] {
  const out: FollowUp[] = []
  const before = new Set(state.offers.map((o) => o.interaction_id))
  state.desk = desk
  state.offers = []
  for (const offer of desk.routing.offers) {
    state.offers.push(offer)
    learn(state, { id: offer.interaction_id, channel: offer.channel })
    if (!before.has(offer.interaction_id)) {
      removeNotice(state, offer.interaction_id)
      if (state.info[offer.interaction_id]?.subject === undefined) out.push({ type: 'load', id: offer.interaction_id })
      if (options.ring) out.push({ type: 'ring', id: offer.interaction_id })
    }
  }
  if (!desk.presence) state.offers = []
  return out
}

/** Applies one realtime event; returns what the store must do next. */
export function applyEvent(state: DeskState, ev: RealtimeEvent, now: number): FollowUp[] {
  const d = ev.data ?? {}
  const id = num(d.interaction_id)
  const agent = num(d.agent_id)
  const forMe = agent === state.me
  const out: FollowUp[] = []

  // A profile naming him changed (enabled, renamed): his choices may have changed.
  if (ev.event.startsWith('agent_profile.')) return [{ type: 'reload' }]

  if (ev.event.startsWith('agent.')) {
    // Presence events reach an agent only about himself.
    if (ev.event === 'agent.logout' && state.desk) {
      state.desk = { ...state.desk, presence: null, routing: { ...state.desk.routing, logged_in: false, offers: [] }, queues: [] }
      state.offers = []
    }
    return [{ type: 'reload' }]
  }
  if (id === undefined) return out

  switch (ev.event) {
    case 'interaction.created':
      learn(state, {
        id,
        channel: str(d.channel),
        queue_id: num(d.queue_id),
        subject: str(d.subject),
        contact_name: str(d.contact_name), // the offer card names him (a chat has no subject)
        status: 'waiting',
      })
      break

    case 'interaction.offered': {
      if (!forMe) break
      const known = state.info[id]
      const isNew = putOffer(state, {
        interaction_id: id,
        queue_id: num(d.queue_id) ?? 0,
        channel: known?.channel ?? '',
        offered_at: ev.at || undefined,
        expires_at: str(d.expires_at) ?? '',
        auto_accept_at: str(d.auto_accept_at),
        transfer: d.transfer === true || undefined,
      })
      if (known?.subject === undefined || !known.channel) out.push({ type: 'load', id })
      if (isNew) out.push({ type: 'ring', id })
      break
    }

    case 'interaction.offer_ended':
      if (!forMe) break
      removeOffer(state, id)
      if (d.reason === 'taken') out.push(addNotice(state, { interaction_id: id, kind: 'taken' }, now))
      break

    case 'interaction.assigned':
      // Another agent's assignment is followed by offer_ended (taken) for us.
      if (!forMe) break
      removeOffer(state, id)
      removeNotice(state, id)
      addMine(state, id)
      learn(state, { id, queue_id: num(d.queue_id), status: 'open', owner_id: state.me })
      out.push({ type: 'load', id })
      break

    case 'interaction.transfer_accepted':
      if (forMe) {
        removeOffer(state, id)
        addMine(state, id)
        learn(state, { id, status: 'open', owner_id: state.me, queue_id: num(d.queue_id) })
        out.push({ type: 'load', id })
      } else if (num(d.from_agent_id) === state.me) {
        removeMine(state, id)
        learn(state, { id, owner_id: agent ?? null })
      }
      break

    case 'interaction.transfer_returned':
      if (forMe && state.mine.includes(id)) state.transfers[id] = 'returned'
      break

    case 'interaction.requeued':
      if (num(d.from_agent_id) === state.me) removeMine(state, id)
      learn(state, { id, status: 'waiting', owner_id: null })
      break

    case 'interaction.closed':
    case 'interaction.closed_unmanaged':
      removeOffer(state, id)
      removeMine(state, id)
      learn(state, { id, status: ev.event === 'interaction.closed' ? 'closed' : 'closed_unmanaged' })
      break
  }
  return out
}

/** Takes what GET /interactions/{id} said: an interaction no longer his leaves his list. */
export function applyInteraction(state: DeskState, it: Interaction) {
  learnInteraction(state, it)
  if (state.mine.includes(it.id) && (it.status !== 'open' || it.owner_id !== state.me)) removeMine(state, it.id)
}

// --- countdowns -------------------------------------------------------------

/**
 * The server's clock minus ours, from (server time of an event, local time it
 * arrived) samples. An event can only arrive after it happened, so the
 * largest difference is the closest to the truth; replayed old events give
 * smaller ones and are thus ignored. 0 without samples.
 */
export function estimateSkew(samples: readonly number[]): number {
  return samples.length ? Math.max(...samples) : 0
}

export interface Countdown {
  /** Milliseconds left, never below 0. */
  remainingMs: number
  /** Whole seconds left, rounded up (what the agent reads). */
  seconds: number
  /** Share of the offer time left, 1 → 0; 1 when the start is not known. */
  fraction: number
}

/** Time left on an offer at local time now, the server's clock being skewMs ahead of ours. */
export function offerCountdown(offer: Pick<AgentOffer, 'expires_at' | 'offered_at'>, now: number, skewMs = 0): Countdown {
  const expires = Date.parse(offer.expires_at)
  if (!Number.isFinite(expires)) return { remainingMs: 0, seconds: 0, fraction: 0 }
  const serverNow = now + skewMs
  const remainingMs = Math.max(0, expires - serverNow)
  const offered = offer.offered_at ? Date.parse(offer.offered_at) : NaN
  const total = expires - offered
  const fraction = Number.isFinite(total) && total > 0 ? Math.min(1, remainingMs / total) : remainingMs > 0 ? 1 : 0
  return { remainingMs, seconds: Math.ceil(remainingMs / 1000), fraction }
}

/** Seconds as m:ss (or h:mm:ss past an hour). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`
}

/** The agent's state as the header shows it. */
export type PresenceState = 'offline' | 'ready' | 'paused' | 'away'

export function presenceState(desk: Desk | null): PresenceState {
  if (!desk?.presence) return 'offline'
  if (desk.presence.paused || desk.routing.paused) return 'paused'
  if (desk.routing.away) return 'away'
  return 'ready'
}
