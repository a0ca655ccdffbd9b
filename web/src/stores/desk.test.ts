import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeWebSocket } from '../testing/fakeWebSocket'
import { createPinia, setActivePinia } from 'pinia'
import { ApiError } from '../api/api'
import type { AgentOffer, Desk, Interaction } from '../api/types'

const deskGet = vi.fn<() => Promise<Desk>>()
const deskLogin = vi.fn<(profileId: number | null) => Promise<Desk>>()
const interactionGet = vi.fn<(id: number) => Promise<Interaction>>()
const interactionAccept = vi.fn<(id: number) => Promise<Interaction>>()
vi.mock('../api/routing', () => ({
  deskApi: { get: () => deskGet(), login: (id: number | null) => deskLogin(id) },
  interactionsApi: { get: (id: number) => interactionGet(id), accept: (id: number) => interactionAccept(id) },
}))

const { useDeskStore, mineKey, DESK_REFRESH_MS } = await import('./desk')


const ME = 2
const presence = {
  agent_id: ME, logged_in_at: '2026-11-21T09:00:00Z', profile_id: null, profile_name: '', paused: false,
  pause_reason_id: null, pause_reason: '', paused_at: null,
}

function desk(offers: AgentOffer[] = [], loggedIn = true): Desk {
  return {
    presence: loggedIn ? presence : null,
    profiles: [{ id: 5, name: 'Morning' }],
    pause_reasons: [],
    routing: { logged_in: loggedIn, paused: false, away: false, active_queues: {}, offers, load: {} },
    queues: [],
  }
}

function interaction(id: number, status: Interaction['status'] = 'open', owner: number | null = ME): Interaction {
  return { id, channel: 'chat', queue_id: 1, subject: `Subject ${id}`, status, owner_id: owner, created_at: '', closed_at: null }
}

const storage = new Map<string, string>()

describe('desk store', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-11-21T10:00:00Z'))
    setActivePinia(createPinia())
    FakeWebSocket.all = []
    storage.clear()
    vi.stubGlobal('WebSocket', FakeWebSocket)
    vi.stubGlobal('location', { protocol: 'http:', host: 'cc.test' })
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
    })
    deskGet.mockReset().mockResolvedValue(desk())
    deskLogin.mockReset()
    interactionGet.mockReset().mockImplementation(async (id) => interaction(id))
    interactionAccept.mockReset()
  })

  afterEach(() => {
    useDeskStore().reset()
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  const socket = () => FakeWebSocket.last()

  it('opens the socket, and loads the desk once the stream has started', async () => {
    const store = useDeskStore()
    store.start(ME)
    expect(socket().url).toBe('ws://cc.test/api/v1/ws')
    expect(deskGet).not.toHaveBeenCalled()
    socket().say({ type: 'hello', last_event_id: 10 })
    await vi.advanceTimersByTimeAsync(0)
    expect(deskGet).toHaveBeenCalledTimes(1)
    expect(store.loaded).toBe(true)
    expect(store.loggedIn).toBe(true)
    expect(store.current).toBe('ready')
    expect(store.connection).toBe('open')
    // And again every minute, as a safety net.
    await vi.advanceTimersByTimeAsync(DESK_REFRESH_MS)
    expect(deskGet).toHaveBeenCalledTimes(2)
  })

  it('rings for a live offer, then shows "taken" for three seconds when another agent accepts it', async () => {
    const store = useDeskStore()
    const ring = vi.fn()
    store.setRinger(ring)
    store.start(ME)
    socket().say({ type: 'hello', last_event_id: 10 })
    await vi.advanceTimersByTimeAsync(0)
    socket().say({
      type: 'event', id: 11, event: 'interaction.offered', at: '2026-11-21T10:00:02Z',
      data: { interaction_id: 7, queue_id: 1, agent_id: ME, expires_at: '2026-11-21T10:01:02Z', private: true },
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.state.offers.map((o) => o.interaction_id)).toEqual([7])
    expect(ring).toHaveBeenCalledWith(expect.objectContaining({ interaction_id: 7 }))
    expect(store.state.info[7]?.subject).toBe('Subject 7') // loaded for the card
    expect(store.skew).toBe(2000) // the server is 2 s ahead of this clock
    socket().say({ type: 'event', id: 12, event: 'interaction.offer_ended', at: '2026-11-21T10:00:03Z', data: { interaction_id: 7, agent_id: ME, reason: 'taken' } })
    expect(store.state.offers).toEqual([])
    expect(store.state.notices.map((n) => [n.interaction_id, n.kind])).toEqual([[7, 'taken']])
    await vi.advanceTimersByTimeAsync(3100)
    expect(store.state.notices).toEqual([])
  })

  it('shows the offers the desk already had at load, ringing for them', async () => {
    deskGet.mockResolvedValue(desk([{ interaction_id: 8, queue_id: 1, channel: 'chat', expires_at: '2026-11-21T10:01:00Z' }]))
    const store = useDeskStore()
    const ring = vi.fn()
    store.setRinger(ring)
    store.start(ME)
    socket().say({ type: 'hello', last_event_id: 10 })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.state.offers.map((o) => o.interaction_id)).toEqual([8])
    expect(ring).toHaveBeenCalledTimes(1)
  })

  it('accepts an offer into his interactions, remembered across reloads', async () => {
    deskGet.mockResolvedValue(desk([{ interaction_id: 8, queue_id: 1, channel: 'chat', expires_at: '2026-11-21T10:01:00Z' }]))
    interactionAccept.mockResolvedValue(interaction(8))
    const store = useDeskStore()
    store.start(ME)
    socket().say({ type: 'hello', last_event_id: 10 })
    await vi.advanceTimersByTimeAsync(0)
    await store.accept(8)
    expect(store.state.offers).toEqual([])
    expect(store.state.mine).toEqual([8])
    expect(JSON.parse(storage.get(mineKey(ME))!)).toEqual([8])

    // A new page: the list comes back, checked against the server.
    store.reset()
    storage.set(mineKey(ME), JSON.stringify([8, 9]))
    interactionGet.mockImplementation(async (id) => (id === 9 ? interaction(9, 'closed') : interaction(id)))
    store.start(ME)
    socket().say({ type: 'hello', last_event_id: 20 })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.state.mine).toEqual([8])
  })

  it('says why when an accepted offer was gone already', async () => {
    deskGet.mockResolvedValue(desk([{ interaction_id: 8, queue_id: 1, channel: 'chat', expires_at: '2026-11-21T10:01:00Z' }]))
    interactionAccept.mockRejectedValue(new ApiError(409, 'conflict', 'This offer is no longer available: someone else took it, or it timed out.'))
    const store = useDeskStore()
    store.start(ME)
    socket().say({ type: 'hello', last_event_id: 10 })
    await vi.advanceTimersByTimeAsync(0)
    await store.accept(8)
    expect(store.state.offers).toEqual([])
    expect(store.state.notices[0]).toMatchObject({ interaction_id: 8, kind: 'gone', message: expect.stringContaining('no longer available') })
  })

  it('reloads the desk when the supervisor pauses him, and keeps the newest answer', async () => {
    const store = useDeskStore()
    store.start(ME)
    socket().say({ type: 'hello', last_event_id: 10 })
    await vi.advanceTimersByTimeAsync(0)
    // A slow reload overtaken by a login answer: the older answer is not applied.
    let slow: (d: Desk) => void = () => {}
    deskGet.mockImplementationOnce(() => new Promise((resolve) => (slow = resolve)))
    socket().say({ type: 'event', id: 11, event: 'agent.paused', at: '2026-11-21T10:00:00Z', data: { reason_id: null } })
    deskLogin.mockResolvedValue({ ...desk(), presence: { ...presence, profile_id: 5, profile_name: 'Morning' } })
    await store.login(5)
    slow({ ...desk(), presence: { ...presence, paused: true } })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.presence?.profile_name).toBe('Morning')
    expect(store.current).toBe('ready')
  })

  it('resumes after a drop from the last event and shows that it is reconnecting meanwhile', async () => {
    const store = useDeskStore()
    store.start(ME)
    socket().say({ type: 'hello', last_event_id: 10 })
    socket().say({ type: 'event', id: 11, event: 'interaction.created', at: '2026-11-21T10:00:00Z', data: { interaction_id: 7, queue_id: 1, channel: 'chat', subject: 'Hi' } })
    await vi.advanceTimersByTimeAsync(0)
    socket().onclose?.({})
    expect(store.connection).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(1000)
    expect(socket().url).toBe('ws://cc.test/api/v1/ws?after=11')
    socket().say({ type: 'hello', last_event_id: 11 })
    expect(store.connection).toBe('open')
  })
})
