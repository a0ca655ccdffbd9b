import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { FakeWebSocket } from '../testing/fakeWebSocket'
import type { Desk } from '../api/types'

const deskGet = vi.fn<() => Promise<Desk>>()
vi.mock('../api/routing', () => ({ deskApi: { get: () => deskGet() }, interactionsApi: {} }))

const { useDeskStore } = await import('./desk')

function desk(serverTime?: string): Desk {
  return {
    presence: null,
    profiles: [],
    pause_reasons: [],
    routing: { logged_in: false, paused: false, away: false, active_queues: {}, offers: [], load: {} },
    queues: [],
    server_time: serverTime,
  }
}

describe('the desk learns the clock skew', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-11-21T10:00:00Z'))
    setActivePinia(createPinia())
    FakeWebSocket.all = []
    vi.stubGlobal('WebSocket', FakeWebSocket)
    vi.stubGlobal('location', { protocol: 'http:', host: 'cc.test' })
    vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined })
  })

  afterEach(() => {
    useDeskStore().reset()
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('from the desk answer, before any realtime event', async () => {
    deskGet.mockResolvedValue(desk('2026-11-21T10:00:05Z')) // the server is 5 s ahead
    const store = useDeskStore()
    store.start(2)
    FakeWebSocket.last().say({ type: 'hello', last_event_id: 0 })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.loaded).toBe(true)
    expect(store.skew).toBe(5000)
    // A later event that shows a larger lead wins (answers arrive late, never early).
    FakeWebSocket.last().say({ type: 'event', id: 1, event: 'agent.pause', at: '2026-11-21T10:00:07Z', data: { agent_id: 2 } })
    expect(store.skew).toBe(7000)
  })

  it('stays 0 when the server says nothing of its time', async () => {
    deskGet.mockResolvedValue(desk())
    const store = useDeskStore()
    store.start(2)
    FakeWebSocket.last().say({ type: 'hello', last_event_id: 0 })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.loaded).toBe(true)
    expect(store.skew).toBe(0)
  })
})
