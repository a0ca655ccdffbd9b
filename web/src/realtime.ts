// The realtime socket (/api/v1/ws): the events the signed-in principal may
// see, live. The client reconnects by itself with a growing delay and resumes
// after the last event it received (?after=id), so nothing is missed across a
// short outage; when it cannot resume (first connection, or the server says
// "reset"), it asks its owner to load the state again (onSync). Used by the
// agent desktop and by the supervisor's realtime page.

import { API_BASE } from './api/api'

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
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code?: number }) => void) | null
  onerror: ((ev: unknown) => void) | null
  close(code?: number, reason?: string): void
}

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

/**
 * The wait before reconnect attempt n (0 = the first after a loss): min × 2^n,
 * capped at max, then reduced by up to a half at random.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30))
  return Math.round(base * (1 - random() / 2))
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
  const minDelay = options.minDelayMs ?? 1000
  const maxDelay = options.maxDelayMs ?? 30_000
  const random = options.random ?? Math.random
  const makeUrl = options.url ?? ((after: number) => socketUrl(after))
  const makeSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike)

  let socket: SocketLike | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let lastEventId = 0
  let status: RealtimeStatus = 'idle'
  let running = false

  function setStatus(next: RealtimeStatus) {
    if (status === next) return
    status = next
    options.onStatus?.(next)
  }

  function connect() {
    timer = undefined
    const resuming = lastEventId > 0
    setStatus(attempt === 0 && !resuming ? 'connecting' : 'reconnecting')
    let ws: SocketLike
    try {
      ws = makeSocket(makeUrl(lastEventId))
    } catch {
      scheduleReconnect()
      return
    }
    socket = ws
    ws.onmessage = (ev) => {
      if (socket !== ws) return
      let message: Message
      try {
        message = JSON.parse(String(ev.data)) as Message
      } catch {
        return // not ours to understand
      }
      handle(message, resuming)
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      scheduleReconnect()
    }
    ws.onerror = () => {
      // A close follows; it reconnects.
    }
  }

  function handle(message: Message, resuming: boolean) {
    switch (message.type) {
      case 'hello':
        attempt = 0
        setStatus('open')
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

  function scheduleReconnect() {
    if (!running) return
    setStatus('reconnecting')
    const delay = backoffDelay(attempt, minDelay, maxDelay, random)
    attempt++
    timer = setTimeout(connect, delay)
  }

  function closeSocket() {
    const ws = socket
    socket = null
    if (ws) {
      ws.onmessage = ws.onclose = ws.onerror = ws.onopen = null
      try {
        ws.close(1000, 'done')
      } catch {
        // already closed
      }
    }
  }

  return {
    start() {
      if (running) return
      running = true
      attempt = 0
      connect()
    },
    stop() {
      running = false
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      closeSocket()
      setStatus('idle')
    },
    reconnectNow() {
      if (!running || timer === undefined) return
      clearTimeout(timer)
      attempt = 0
      connect()
    },
    get status() {
      return status
    },
    get lastEventId() {
      return lastEventId
    },
  }
}
