import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ServerFrame } from './protocol'
import { createChatSocket, type ChatSocketOptions, type SocketLike } from './socket'

/** A WebSocket the test drives: what the server says, and when it drops. */
class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null
  onmessage: SocketLike['onmessage'] = null
  onclose: SocketLike['onclose'] = null
  onerror: SocketLike['onerror'] = null
  sent: unknown[] = []
  closed = false
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  close() {
    this.closed = true
  }
  say(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) })
  }
  drop() {
    this.onerror?.({})
    this.onclose?.({ code: 1006 })
  }
}

function setup(extra: Partial<ChatSocketOptions> = {}) {
  const sockets: FakeSocket[] = []
  const frames: ServerFrame[] = []
  const statuses: string[] = []
  let lastId = 0
  const socket = createChatSocket({
    url: (after) => `ws://test/ws?after=${after}`,
    after: () => lastId,
    onFrame: (f) => {
      frames.push(f)
      if (f.type === 'message') lastId = f.id
    },
    onStatus: (s) => statuses.push(s),
    createSocket: (url) => {
      const s = new FakeSocket(url)
      sockets.push(s)
      return s
    },
    random: () => 0, // no jitter: the full delay
    ...extra,
  })
  const last = () => sockets[sockets.length - 1]!
  return { socket, sockets, frames, statuses, last }
}

const message = (id: number) => ({ type: 'message', id, direction: 'out', body: 'hi', created_at: '2026-11-21T10:00:00Z' })

describe('chat socket', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('connects from the start, is open after the hello, and passes frames on', () => {
    const { socket, sockets, frames, statuses, last } = setup()
    socket.start()
    expect(sockets.map((s) => s.url)).toEqual(['ws://test/ws?after=0'])
    expect(socket.send({ type: 'close' })).toBe(false) // not before the hello
    last().say({ type: 'hello', status: 'waiting', agent: null })
    last().say(message(4))
    last().say('not json')
    last().say({ no: 'type' })
    expect(frames.map((f) => f.type)).toEqual(['hello', 'message'])
    expect(statuses).toEqual(['connecting', 'open'])
    expect(socket.send({ type: 'delivered', up_to: 4 })).toBe(true)
    expect(last().sent).toEqual([{ type: 'delivered', up_to: 4 }])
  })

  it('reconnects after 1, 2, 4 … 30 s and resumes after the last message shown', () => {
    const { socket, sockets, statuses, last } = setup()
    socket.start()
    last().say({ type: 'hello', status: 'open' })
    last().say(message(7))
    last().drop()
    expect(statuses.at(-1)).toBe('reconnecting')
    const delays: number[] = []
    for (let i = 0; i < 7; i++) {
      const before = sockets.length
      let waited = 0
      while (sockets.length === before) {
        vi.advanceTimersByTime(500)
        waited += 500
      }
      delays.push(waited / 1000)
      expect(last().url).toBe('ws://test/ws?after=7')
      last().drop()
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 30, 30])
  })

  it('starts the back-off again once a reconnect says hello', () => {
    const { socket, sockets, last } = setup()
    socket.start()
    last().drop()
    vi.advanceTimersByTime(1000)
    last().drop()
    vi.advanceTimersByTime(2000)
    expect(sockets).toHaveLength(3)
    last().say({ type: 'hello', status: 'open' })
    last().drop()
    vi.advanceTimersByTime(1000)
    expect(sockets).toHaveLength(4)
  })

  it('does not reconnect after stop, nor when the chat is over', () => {
    const a = setup()
    a.socket.start()
    a.last().say({ type: 'hello', status: 'open' })
    a.socket.stop()
    expect(a.last().closed).toBe(true)
    a.last().drop()
    vi.advanceTimersByTime(60_000)
    expect(a.sockets).toHaveLength(1)
    expect(a.socket.status).toBe('idle')

    let over = false
    const b = setup({ shouldReconnect: () => !over })
    b.socket.start()
    b.last().say({ type: 'hello', status: 'closed' })
    over = true
    b.last().drop() // the server closes a finished chat's socket
    vi.advanceTimersByTime(60_000)
    expect(b.sockets).toHaveLength(1)
    expect(b.socket.status).toBe('idle')
  })

  it('reconnects at once on request while waiting to', () => {
    const { socket, sockets, last } = setup()
    socket.start()
    last().drop()
    socket.reconnectNow()
    expect(sockets).toHaveLength(2)
    socket.reconnectNow() // connecting, not waiting: nothing to do
    expect(sockets).toHaveLength(2)
  })

  it('tells when the socket never opened after several tries', () => {
    const failures: number[] = []
    const { socket, last } = setup({ onNeverOpened: (n) => failures.push(n) })
    socket.start()
    last().drop()
    vi.advanceTimersByTime(1000)
    last().drop()
    expect(failures).toEqual([1, 2])
    vi.advanceTimersByTime(2000)
    last().say({ type: 'hello', status: 'open' })
    last().drop()
    expect(failures).toEqual([1, 2]) // it did open: a server outage, not a bad chat
  })

  it('ignores what an old socket says after a new one took over', () => {
    const { socket, frames, sockets, last } = setup()
    socket.start()
    const first = last()
    first.drop()
    vi.advanceTimersByTime(1000)
    first.say({ type: 'hello', status: 'open' })
    expect(frames).toEqual([])
    expect(sockets).toHaveLength(2)
  })
})
