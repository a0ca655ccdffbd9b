import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeWebSocket } from '../testing/fakeWebSocket'
import { createPinia, setActivePinia } from 'pinia'
import type { InteractionDetail, Message } from '../api/conversation'
import type { Desk } from '../api/types'

const ME = 2
const mine = vi.fn<() => Promise<InteractionDetail[]>>()
const get = vi.fn<(id: number) => Promise<InteractionDetail>>()
const markRead = vi.fn<(id: number) => Promise<InteractionDetail>>()
const messages = vi.fn<(id: number, after?: number) => Promise<Message[]>>()

vi.mock('../api/conversation', async (importOriginal) => {
  const real = await importOriginal<typeof import('../api/conversation')>()
  return {
    ...real,
    conversationApi: {
      mine: () => mine(),
      get: (id: number) => get(id),
      markRead: (id: number) => markRead(id),
      messages: (id: number, after?: number) => messages(id, after),
      notes: async () => [],
      people: async () => [],
    },
  }
})
vi.mock('../api/channels', () => ({ accountsApi: { list: async () => [{ id: 1, channel: 'chat', name: 'Demo shop', enabled: true }] } }))
vi.mock('../api/routing', () => ({
  deskApi: {
    get: async (): Promise<Desk> => ({
      presence: null,
      profiles: [],
      pause_reasons: [],
      routing: { logged_in: false, paused: false, away: false, active_queues: {}, offers: [], load: {} },
      queues: [],
    }),
  },
  interactionsApi: { get: async () => ({}) },
}))

const { normalizeInteraction } = await import('../api/conversation')
const { useDeskStore } = await import('./desk')
const { useTabsStore, tabsKey } = await import('./tabs')

const socket = () => FakeWebSocket.last()

function detail(id: number, patch: Partial<InteractionDetail> = {}): InteractionDetail {
  return normalizeInteraction({
    id, channel: 'chat', queue_id: 1, subject: '', status: 'open', owner_id: ME, created_at: '2026-11-21T10:00:00Z', closed_at: null,
    contact_name: `Customer ${id}`, account_id: 1, ...patch,
  })
}

const storage = new Map<string, string>()
let seq = 100

describe('tabs store', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    setActivePinia(createPinia())
    FakeWebSocket.all = []
    storage.clear()
    vi.stubGlobal('WebSocket', FakeWebSocket)
    vi.stubGlobal('location', { protocol: 'http:', host: 'cc.test' })
    vi.stubGlobal('localStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) })
    mine.mockReset().mockResolvedValue([detail(5, { unread: 1 }), detail(7)])
    get.mockReset().mockImplementation(async (id) => detail(id))
    markRead.mockReset().mockImplementation(async (id) => detail(id))
    messages.mockReset().mockResolvedValue([])
  })
  afterEach(() => {
    useTabsStore().reset()
    useDeskStore().reset()
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  async function started() {
    const tabs = useTabsStore()
    const desk = useDeskStore()
    tabs.start(ME)
    desk.start(ME)
    socket().say({ type: 'hello', last_event_id: 1 })
    await vi.advanceTimersByTimeAsync(0)
    return { tabs, desk }
  }

  const received = (id: number, messageId: number) =>
    socket().say({ type: 'event', id: ++seq, event: 'message.received', at: '2026-11-21T10:01:00Z', data: { interaction_id: id, agent_id: ME, message_id: messageId } })

  it('opens a tab per interaction the server lists, and the desk lists them as his', async () => {
    const { tabs, desk } = await started()
    expect(tabs.tabs.map((t) => [t.id, t.contactName, t.accountName, t.unread])).toEqual([
      [5, 'Customer 5', 'Demo shop', 1],
      [7, 'Customer 7', 'Demo shop', 0],
    ])
    expect(desk.state.mine).toEqual([5, 7])
    expect(JSON.parse(storage.get(tabsKey(ME))!)).toEqual([5, 7])
  })

  it('counts live messages in the tabs not on screen, and marks the one on screen read', async () => {
    const { tabs } = await started()
    tabs.show(7)
    received(5, 20)
    received(7, 21)
    expect(tabs.state.tabs[5]!.unread).toBe(2)
    expect(tabs.state.tabs[7]!.unread).toBe(0)
    await vi.advanceTimersByTimeAsync(500)
    expect(markRead).toHaveBeenCalledWith(7)
    expect(markRead).not.toHaveBeenCalledWith(5)
    expect(tabs.unread).toBe(2)
  })

  it('feeds each tab’s conversation from the desk socket, and lets it go with the tab', async () => {
    const { tabs } = await started()
    const c = tabs.conversation(5)
    await c.load()
    socket().say({
      type: 'event', id: ++seq, event: 'message.received', at: '2026-11-21T10:01:00Z',
      data: { interaction_id: 5, agent_id: ME, message_id: 30, message: { id: 30, direction: 'in', author_id: null, body: 'hi', created_at: '2026-11-21T10:01:00Z', delivery: 'sent', attachment: null } },
    })
    expect(c.state.messages.map((m) => m.id)).toEqual([30])
    expect(tabs.conversation(5)).toBe(c)
    tabs.show(5)
    expect(tabs.close(5)).toBe(7)
    expect(tabs.conversation(5)).not.toBe(c)
  })

  it('keeps the tab of an interaction closed elsewhere, and remembers it across a reload', async () => {
    const { tabs } = await started()
    get.mockImplementation(async (id) => detail(id, { status: 'closed', closed_at: '2026-11-21T10:02:00Z' }))
    socket().say({ type: 'event', id: ++seq, event: 'interaction.closed', at: '2026-11-21T10:02:00Z', data: { interaction_id: 5, agent_id: ME, by: 'customer' } })
    await vi.advanceTimersByTimeAsync(0)
    expect(tabs.state.tabs[5]!.status).toBe('closed')
    // A reload: the server no longer lists it, the remembered tab stays.
    tabs.reset()
    useDeskStore().reset()
    mine.mockResolvedValue([detail(7)])
    const again = await started()
    expect(again.tabs.tabs.map((t) => [t.id, t.status])).toEqual([
      [5, 'closed'],
      [7, 'open'],
    ])
  })
})
