// The realtime socket (/api/v1/ws): the events the signed-in principal may
// see, live. The client reconnects by itself with a growing delay and resumes
// after the last event it received (?after=id), so nothing is missed across a
// short outage; when it cannot resume (first connection, or the server says
// "reset"), it asks its owner to load the state again (onSync). Used by the
// agent desktop and by the supervisor's realtime page.

import { API_BASE } from './api/api'
import { backoffDelay, createReconnectingSocket, type SocketLike as BaseSocket } from './reconnecting'

export { backoffDelay }

export interface RealtimeEvent {
  id: number
  event: string
  at: string
  data: Record<string, unknown>
}

type Message =
  | { type: 'hello'; last_event_id?: number }
  | { type: 'reset'; last_event_id?: number }
  | ({ type: 'event' } & Partial<RealtimeEvent>)

/** What the client needs of a WebSocket (the browser's, or a fake in tests). */
export type SocketLike = Omit<BaseSocket, 'send'>

export type RealtimeStatus = 'idle' | 'connecting' | 'open' | 'reconnecting'

/** Why the state must be loaded again: the stream started from now, or the server could not replay the gap. */
export type SyncReason = 'start' | 'reset'

export interface RealtimeOptions {
  onEvent(event: RealtimeEvent): void
  /** Load the state again: events before this point were not (all) received. */
  onSync?(reason: SyncReason): void
  onStatus?(status: RealtimeStatus): void
  /** Builds the socket address; ?after= when resuming. */
  url?(after: number): string
  createSocket?(url: string): SocketLike
  /** First reconnect delay; doubles on each failure up to maxDelayMs. */
  minDelayMs?: number
  maxDelayMs?: number
  /** 0–1; spreads the reconnects of many desktops after a server restart. */
  random?(): number
}

/** The socket address on this page's host, resuming after an event id when given. */
export function socketUrl(after: number, loc: { protocol: string; host: string } = globalThis.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws'
  const query = after > 0 ? `?after=${after}` : ''
  return `${scheme}://${loc.host}${API_BASE}/ws${query}`
}

export interface RealtimeClient {
  start(): void
  stop(): void
  /** Reconnects at once if waiting to (e.g. the browser is back online). */
  reconnectNow(): void
  readonly status: RealtimeStatus
  /** The id of the last event received: where a reconnect resumes. */
  readonly lastEventId: number
}

export function createRealtimeClient(options: RealtimeOptions): RealtimeClient {
  const makeUrl = options.url ?? ((after: number) => socketUrl(after))
  const makeSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike)

  let lastEventId = 0
  // Whether the current connection resumes after an event (set as it starts).
  let resuming = false

  const loop = createReconnectingSocket({
    url: () => {
      resuming = lastEventId > 0
      return makeUrl(lastEventId)
    },
    createSocket: makeSocket,
    isFirst: () => lastEventId === 0,
    onData: (data) => {
      let message: Message
      try {
        message = JSON.parse(data) as Message
      } catch {
        return // not ours to understand
      }
      handle(message)
    },
    onStatus: options.onStatus,
    minDelayMs: options.minDelayMs,
    maxDelayMs: options.maxDelayMs,
    random: options.random,
  })

  function handle(message: Message) {
    switch (message.type) {
      case 'hello':
        loop.opened()
        if (!resuming) {
          // The stream starts now: what came before is in the state to load.
          lastEventId = Math.max(lastEventId, message.last_event_id ?? 0)
          options.onSync?.('start')
        }
        return
      case 'reset':
        lastEventId = Math.max(lastEventId, message.last_event_id ?? 0)
        options.onSync?.('reset')
        return
      case 'event': {
        const id = Number(message.id)
        if (!Number.isFinite(id) || typeof message.event !== 'string') return
        if (id <= lastEventId) return // already had it (a replay overlapping the live stream)
        lastEventId = id
        options.onEvent({ id, event: message.event, at: message.at ?? '', data: (message.data as Record<string, unknown>) ?? {} })
        return
      }
    }
  }

  return {
    start: () => loop.start(),
    stop: () => loop.stop(),
    reconnectNow: () => loop.reconnectNow(),
    get status() {
      return loop.status
    },
    get lastEventId() {
      return lastEventId
    },
  }
}
