// A WebSocket that comes back by itself: after a loss it reconnects with a
// growing delay (min × 2^n up to max, with some jitter) until stopped, and
// the back-off starts again once the server has greeted the new connection.
// The desktop's realtime client (realtime.ts) and the customer chat widget
// (widget/socket.ts) are both made of it; each reads its own frames.

/** What the loop needs of a WebSocket (the browser's, or a fake in tests). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code?: number }) => void) | null
  onerror: ((ev: unknown) => void) | null
  close(code?: number, reason?: string): void
  send?(data: string): void
}

export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'reconnecting'

export interface ReconnectingOptions {
  /** The address of the next connection (it may resume where the last one stopped). */
  url(): string
  createSocket(url: string): SocketLike
  /** A frame of the current connection, as text. */
  onData(data: string): void
  onStatus?(status: ConnectionStatus): void
  /** Whether a fresh connection counts as a first one ('connecting') rather than a return ('reconnecting'). */
  isFirst?(): boolean
  /** The connection was lost or never made; failures is how many in a row. */
  onLost?(failures: number): void
  /** Asked when the connection is lost: false when there is nothing more to wait for. */
  shouldReconnect?(): boolean
  /** First reconnect delay; doubles on each failure up to maxDelayMs. */
  minDelayMs?: number
  maxDelayMs?: number
  /** 0–1; spreads the reconnects of many clients after a server restart. */
  random?(): number
}

export interface ReconnectingSocket {
  start(): void
  stop(): void
  /** The server greeted this connection: it is open, and the back-off starts again. */
  opened(): void
  /** Sends a text on an open connection; false when there is none. */
  send(data: string): boolean
  /** Reconnects at once if waiting to (e.g. the browser is back online). */
  reconnectNow(): void
  readonly status: ConnectionStatus
}

/**
 * The wait before reconnect attempt n (0 = the first after a loss): min × 2^n,
 * capped at max, then reduced by up to a half at random.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30))
  return Math.round(base * (1 - random() / 2))
}

export function createReconnectingSocket(options: ReconnectingOptions): ReconnectingSocket {
  const minDelay = options.minDelayMs ?? 1000
  const maxDelay = options.maxDelayMs ?? 30_000
  const random = options.random ?? Math.random

  let socket: SocketLike | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let status: ConnectionStatus = 'idle'
  let running = false

  function setStatus(next: ConnectionStatus) {
    if (status === next) return
    status = next
    options.onStatus?.(next)
  }

  function connect() {
    timer = undefined
    setStatus(attempt === 0 && (options.isFirst?.() ?? true) ? 'connecting' : 'reconnecting')
    let ws: SocketLike
    try {
      ws = options.createSocket(options.url())
    } catch {
      lost()
      return
    }
    socket = ws
    ws.onmessage = (ev) => {
      if (socket === ws) options.onData(String(ev.data))
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      lost()
    }
    ws.onerror = () => {
      // A close follows; it reconnects.
    }
  }

  function lost() {
    if (running && options.shouldReconnect?.() === false) {
      running = false
      setStatus('idle')
    }
    if (!running) return
    setStatus('reconnecting')
    const delay = backoffDelay(attempt, minDelay, maxDelay, random)
    attempt++
    options.onLost?.(attempt)
    // onLost may have stopped it.
    if (running) timer = setTimeout(connect, delay)
  }

  function closeSocket() {
    const ws = socket
    socket = null
    if (!ws) return
    ws.onmessage = ws.onclose = ws.onerror = ws.onopen = null
    try {
      ws.close(1000, 'done')
    } catch {
      // already closed
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
    opened() {
      attempt = 0
      setStatus('open')
    },
    send(data) {
      if (!socket?.send || status !== 'open') return false
      try {
        socket.send(data)
        return true
      } catch {
        return false
      }
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
  }
}
