import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay, createRealtimeClient, socketUrl, type RealtimeEvent, type RealtimeOptions, type SocketLike } from './realtime'

/** A WebSocket the test drives: what the server says, and when it drops. */
class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null
  onmessage: SocketLike['onmessage'] = null
  onclose: SocketLike['onclose'] = null
  onerror: SocketLike['onerror'] = null
  closed = false
  constructor(readonly url: string) {}
  close() {
    this.closed = true
  }
  say(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
  hello(last = 0) {
    this.say(last ? { type: 'hello', last_event_id: last } : { type: 'hello' })
  }
  event(id: number, event = 'interaction.offered', data: Record<string, unknown> = {}) {
    this.say({ type: 'event', id, event, at: '2026-11-21T10:00:00Z', data })
  }
  drop() {
    this.onerror?.({})
    this.onclose?.({ code: 1006 })
  }
}

function setup(extra: Partial<RealtimeOptions> = {}) {
  const sockets: FakeSocket[] = []
  const events: RealtimeEvent[] = []
  const syncs: string[] = []
  const statuses: string[] = []
  const client = createRealtimeClient({
    url: (after) => (after ? `ws://test/ws?after=${after}` : 'ws://test/ws'),
    createSocket: (url) => {
      const s = new FakeSocket(url)
      sockets.push(s)
      return s
    },
    onEvent: (e) => events.push(e),
    onSync: (reason) => syncs.push(reason),
    onStatus: (s) => statuses.push(s),
    minDelayMs: 1000,
    maxDelayMs: 8000,
    random: () => 0, // no jitter: the full delay
    ...extra,
  })
  const last = () => sockets[sockets.length - 1]!
  return { client, sockets, events, syncs, statuses, last }
}

describe('realtime client', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('starts from now: loads the state once the server says hello, then passes events on in order', () => {
    const { client, sockets, events, syncs, statuses, last } = setup()
    client.start()
    expect(sockets.map((s) => s.url)).toEqual(['ws://test/ws'])
    expect(client.status).toBe('connecting')
    last().hello(41)
    expect(syncs).toEqual(['start'])
    expect(client.status).toBe('open')
    expect(client.lastEventId).toBe(41)
    last().event(42)
    last().event(43, 'agent.paused')
    expect(events.map((e) => [e.id, e.event])).toEqual([
      [42, 'interaction.offered'],
      [43, 'agent.paused'],
    ])
    expect(client.lastEventId).toBe(43)
    expect(statuses).toEqual(['connecting', 'open'])
  })

  it('ignores an event it already had and messages it cannot read', () => {
    const { client, events, last } = setup()
    client.start()
    last().hello(10)
    last().event(11)
    last().event(11)
    last().event(9)
    last().onmessage?.({ data: 'not json' })
    last().say({ type: 'event', event: 'x' }) // no id
    expect(events.map((e) => e.id)).toEqual([11])
  })

  it('reconnects after a drop and resumes after the last event received, without loading again', () => {
    const { client, sockets, events, syncs, last } = setup()
    client.start()
    last().hello(5)
    last().event(6)
    last().drop()
    expect(client.status).toBe('reconnecting')
    vi.advanceTimersByTime(999)
    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(2)
    expect(last().url).toBe('ws://test/ws?after=6')
    // The server replays what was missed, then goes live.
    last().hello(8)
    last().event(7)
    last().event(8)
    expect(events.map((e) => e.id)).toEqual([6, 7, 8])
    expect(syncs).toEqual(['start']) // no second load: nothing was missed
    expect(client.status).toBe('open')
  })

  it('waits longer after each failed attempt, up to the maximum, and starts over once connected', () => {
    const { client, sockets, last } = setup()
    client.start()
    last().hello(1)
    const waits: number[] = []
    for (let i = 0; i < 5; i++) {
      const before = sockets.length
      last().drop()
      let waited = 0
      while (sockets.length === before) {
        vi.advanceTimersByTime(100)
        waited += 100
      }
      waits.push(waited)
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000])
    last().hello(1)
    last().drop()
    vi.advanceTimersByTime(1000)
    expect(sockets).toHaveLength(7)
  })

  it('loads the state again when the server says reset (too far behind to replay)', () => {
    const { client, events, syncs, last } = setup()
    client.start()
    last().hello(3)
    last().drop()
    vi.advanceTimersByTime(1000)
    last().hello(9000)
    last().say({ type: 'reset', last_event_id: 9000 })
    expect(syncs).toEqual(['start', 'reset'])
    expect(client.lastEventId).toBe(9000)
    last().event(9001)
    expect(events.map((e) => e.id)).toEqual([9001])
  })

  it('starts from now again when it never had an event id to resume from', () => {
    const { client, syncs, last } = setup()
    client.start()
    last().hello() // an empty log: no id
    last().drop()
    vi.advanceTimersByTime(1000)
    expect(last().url).toBe('ws://test/ws')
    last().hello(2)
    expect(syncs).toEqual(['start', 'start'])
  })

  it('stops for good: closes the socket and never reconnects', () => {
    const { client, sockets, last } = setup()
    client.start()
    last().hello(1)
    const socket = last()
    client.stop()
    expect(socket.closed).toBe(true)
    expect(client.status).toBe('idle')
    socket.drop() // a late close event changes nothing
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(1)
  })

  it('stops while waiting to reconnect', () => {
    const { client, sockets, last } = setup()
    client.start()
    last().drop()
    client.stop()
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(1)
  })

  it('reconnects at once when asked (the browser is back online)', () => {
    const { client, sockets, last } = setup()
    client.start()
    last().hello(4)
    last().drop()
    last().drop() // a second close of the same socket is ignored
    client.reconnectNow()
    expect(sockets).toHaveLength(2)
    expect(last().url).toBe('ws://test/ws?after=4')
    client.reconnectNow() // connected or connecting: nothing to do
    expect(sockets).toHaveLength(2)
  })

  it('retries when the socket cannot even be created', () => {
    let fail = true
    const sockets: FakeSocket[] = []
    const client = createRealtimeClient({
      url: () => 'ws://test/ws',
      createSocket: (url) => {
        if (fail) throw new Error('blocked')
        const s = new FakeSocket(url)
        sockets.push(s)
        return s
      },
      onEvent: () => {},
      minDelayMs: 500,
      random: () => 0,
    })
    client.start()
    expect(client.status).toBe('reconnecting')
    fail = false
    vi.advanceTimersByTime(500)
    expect(sockets).toHaveLength(1)
  })
})

describe('socket address and backoff', () => {
  it('uses wss on https and resumes with ?after', () => {
    expect(socketUrl(0, { protocol: 'http:', host: 'cc.example:8080' })).toBe('ws://cc.example:8080/api/v1/ws')
    expect(socketUrl(57, { protocol: 'https:', host: 'cc.example' })).toBe('wss://cc.example/api/v1/ws?after=57')
  })

  it('doubles from the minimum up to the maximum, less up to a half at random', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, 1000, 30_000, () => 0))).toEqual([1000, 2000, 4000, 8000, 16000, 30000])
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(500)
    expect(backoffDelay(50, 1000, 30_000, () => 0.5)).toBe(22500)
  })
})
