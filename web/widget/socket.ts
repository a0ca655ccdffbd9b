// The conversation socket (GET /widget/ws): connects, hands the frames on,
// and after a loss reconnects by itself with a growing delay (1 s, 2 s, 4 s
// … 30 s), resuming after the last message shown (?after=), so nothing is
// missed. It stops for good when told to, or when the chat is over.

import { createReconnectingSocket, type ConnectionStatus, type SocketLike as BaseSocket } from '../src/reconnecting'
import type { ServerFrame, WidgetFrame } from './protocol'

/** What the client needs of a WebSocket (the browser's, or a fake in tests). */
export type SocketLike = BaseSocket & { send(data: string): void }

export type SocketStatus = ConnectionStatus

export interface ChatSocketOptions {
  /** The socket address, resuming after a message id. */
  url(after: number): string
  /** The last message id shown, read at each (re)connect. */
  after(): number
  onFrame(frame: ServerFrame): void
  onStatus?(status: SocketStatus): void
  /**
   * The socket has failed this many times in a row without ever saying hello
   * since start: perhaps the chat's token is no good any more.
   */
  onNeverOpened?(failures: number): void
  /** Asked when the socket is lost: false when there is nothing more to wait for (the chat is over). */
  shouldReconnect?(): boolean
  createSocket?(url: string): SocketLike
  minDelayMs?: number
  maxDelayMs?: number
  random?(): number
}

export interface ChatSocket {
  start(): void
  stop(): void
  /** Sends a frame if the socket is open (said hello); false when it is not. */
  send(frame: WidgetFrame): boolean
  /** Reconnects at once if waiting to (the browser is back online, the tab visible again). */
  reconnectNow(): void
  readonly status: SocketStatus
}

export function createChatSocket(options: ChatSocketOptions): ChatSocket {
  let everOpened = false
  const loop = createReconnectingSocket({
    url: () => options.url(options.after()),
    createSocket: options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike),
    onData: (data) => {
      let frame: ServerFrame
      try {
        frame = JSON.parse(data) as ServerFrame
      } catch {
        return // not ours to understand
      }
      if (!frame || typeof frame.type !== 'string') return
      if (frame.type === 'hello') {
        everOpened = true
        loop.opened()
      }
      options.onFrame(frame)
    },
    onStatus: options.onStatus,
    onLost: (failures) => {
      if (!everOpened) options.onNeverOpened?.(failures)
    },
    shouldReconnect: options.shouldReconnect,
    minDelayMs: options.minDelayMs,
    maxDelayMs: options.maxDelayMs,
    random: options.random,
  })
  return {
    start: () => loop.start(),
    stop: () => loop.stop(),
    send: (frame) => loop.send(JSON.stringify(frame)),
    reconnectNow: () => loop.reconnectNow(),
    get status() {
      return loop.status
    },
  }
}
