import { beforeEach, describe, expect, it, vi } from 'vitest'
import { normalizeInteraction, type InteractionDetail, type Message, type Note, type Person } from '../api/conversation'
import type { RealtimeEvent } from '../realtime'
import { coalesce, createConversation, type ConversationApi } from './conversation'

const ID = 5

function msg(id: number, patch: Partial<Message> = {}): Message {
  return { id, direction: 'in', author_id: null, body: `m${id}`, created_at: `2026-11-21T10:00:${String(id).padStart(2, '0')}Z`, delivery: 'sent', attachment: null, ...patch }
}

function detail(patch: Partial<InteractionDetail> = {}): InteractionDetail {
  return normalizeInteraction({ id: ID, channel: 'chat', queue_id: 1, subject: '', status: 'open', owner_id: 2, created_at: '2026-11-21T10:00:00Z', closed_at: null, ...patch })
}

let seq = 0
const ev = (event: string, data: Record<string, unknown>): RealtimeEvent => ({ id: ++seq, event, at: '2026-11-21T10:01:00Z', data: { interaction_id: ID, ...data } })

/** A server holding one conversation. */
function fakeApi() {
  const server = {
    messages: [msg(1), msg(2)] as Message[],
    notes: [] as Note[],
    people: [{ id: 2, name: 'Mario Rossi', kind: 'agent' }] as Person[],
    interaction: detail(),
  }
  const api: ConversationApi = {
    get: vi.fn(async () => server.interaction),
    messages: vi.fn(async (_id: number, after = 0) => server.messages.filter((m) => m.id > after)),
    notes: vi.fn(async () => server.notes),
    people: vi.fn(async () => server.people),
    send: vi.fn(async (_id: number, body: string) => {
      const m = msg(server.messages.length + 1, { direction: 'out', author_id: 2, body })
      server.messages.push(m)
      return m
    }),
    sendFile: vi.fn(),
    addNote: vi.fn(async (_id: number, body: string) => {
      const n = { id: server.notes.length + 1, author_id: 2, body, created_at: '2026-11-21T10:02:00Z' }
      server.notes.push(n)
      return n
    }),
    setTags: vi.fn(),
    setSubStatus: vi.fn(),
    markRead: vi.fn(async () => server.interaction),
    close: vi.fn(),
    dispose: vi.fn(async (_id: number, request: { disposition_id: number | null; note: string }) => {
      server.interaction = detail({ status: 'closed', disposition_id: request.disposition_id, disposition_note: request.note })
      return server.interaction
    }),
  }
  return { server, api }
}

const flush = () => new Promise((r) => setTimeout(r, 0))

describe('a conversation', () => {
  beforeEach(() => {
    seq = 0
  })

  it('loads the interaction, its messages and notes', async () => {
    const { api } = fakeApi()
    const c = createConversation(ID, api)
    await c.load()
    expect(c.state.loaded).toBe(true)
    expect(c.state.messages.map((m) => m.id)).toEqual([1, 2])
  })

  it('takes whole messages from events, without duplicating the answer to its own send', async () => {
    const { api } = fakeApi()
    const c = createConversation(ID, api)
    await c.load()
    const sending = c.send('hello')
    expect(c.state.pending.map((p) => p.body)).toEqual(['hello'])
    // The event of the reply may come before the POST's answer.
    c.handle(ev('message.sent', { message_id: 3, message: msg(3, { direction: 'out', body: 'hello' }) }))
    await sending
    expect(c.state.pending).toEqual([])
    expect(c.state.messages.map((m) => m.id)).toEqual([1, 2, 3])
  })

  it('fetches what it missed when an event does not carry the message', async () => {
    const { server, api } = fakeApi()
    const c = createConversation(ID, api)
    await c.load()
    server.messages.push(msg(3), msg(4))
    c.handle(ev('message.received', { message_id: 4 }))
    await flush()
    expect(api.messages).toHaveBeenLastCalledWith(ID, 2)
    expect(c.state.messages.map((m) => m.id)).toEqual([1, 2, 3, 4])
  })

  it('moves checkmarks forward from delivery events', async () => {
    const { api } = fakeApi()
    const c = createConversation(ID, api)
    await c.load()
    await c.send('hi')
    c.handle(ev('message.delivery', { message_id: 3, delivery: 'delivered' }))
    c.handle(ev('message.delivery', { message_id: 3, delivery: 'read' }))
    c.handle(ev('message.delivery', { message_id: 3, delivery: 'delivered' })) // late and out of order
    expect(c.state.messages.find((m) => m.id === 3)!.delivery).toBe('read')
  })

  it('reads notes again when one is added, and never lists one twice', async () => {
    const { server, api } = fakeApi()
    const c = createConversation(ID, api)
    await c.load()
    await c.addNote('for the supervisor')
    c.handle(ev('interaction.note_added', { note_id: 1 }))
    await flush()
    server.notes.push({ id: 2, author_id: 9, body: 'spy note', created_at: '2026-11-21T10:03:00Z' })
    c.handle(ev('interaction.note_added', { note_id: 2 }))
    await flush()
    expect(c.state.notes.map((n) => n.id)).toEqual([1, 2])
  })

  it('reads the interaction again when its status, tags or owner change', async () => {
    const { server, api } = fakeApi()
    const c = createConversation(ID, api)
    await c.load()
    server.interaction = detail({ status: 'closed', closed_at: '2026-11-21T10:05:00Z' })
    c.handle(ev('interaction.closed', { by: 'customer' }))
    await flush()
    expect(c.state.interaction?.status).toBe('closed')
    expect(c.state.closedBy).toBe('customer')
  })

  it('gives a chat the customer closed its disposition afterwards', async () => {
    const { server, api } = fakeApi()
    server.interaction = detail({ status: 'closed', closed_at: '2026-11-21T10:05:00Z' })
    const c = createConversation(ID, api)
    await c.load()
    await c.giveDisposition({ disposition_id: 7, note: 'ok' })
    expect(api.dispose).toHaveBeenCalledWith(ID, { disposition_id: 7, note: 'ok' })
    expect(c.state.interaction?.disposition_id).toBe(7)
  })

  it('ignores other interactions and clears the sub-status when the customer writes', async () => {
    const { server, api } = fakeApi()
    server.interaction = detail({ sub_status: { id: 1, name: 'Pending' }, sub_status_id: 1 })
    const c = createConversation(ID, api)
    await c.load()
    expect(c.handle({ id: 1, event: 'message.received', at: '', data: { interaction_id: 99 } })).toBe(false)
    c.handle(ev('message.received', { message: msg(3) }))
    expect(c.state.interaction?.sub_status).toBeNull()
  })

  it('puts back nothing of a failed send, and says why', async () => {
    const { api } = fakeApi()
    ;(api.send as ReturnType<typeof vi.fn>).mockRejectedValueOnce(Object.assign(new Error('The interaction is closed.'), { status: 409 }))
    const c = createConversation(ID, api)
    await c.load()
    await expect(c.send('late')).rejects.toThrow('closed')
    expect(c.state.pending).toEqual([])
    expect(c.state.messages).toHaveLength(2)
  })

  it('remembers why it could not load', async () => {
    const { api } = fakeApi()
    ;(api.get as ReturnType<typeof vi.fn>).mockRejectedValueOnce(Object.assign(new Error('Not yours.'), { status: 403 }))
    const c = createConversation(ID, api)
    await expect(c.load()).rejects.toThrow()
    expect(c.state).toMatchObject({ loaded: false, error: 'Not yours.', errorStatus: 403 })
  })
})

describe('names', () => {
  it('loads who is who with the conversation, and asks again for a new author', async () => {
    const { server, api } = fakeApi()
    const c = createConversation(ID, api)
    await c.load()
    expect(c.state.people[2]?.name).toBe('Mario Rossi')
    expect(api.people).toHaveBeenCalledTimes(1)
    c.handle(ev('message.sent', { message: msg(3, { direction: 'out', author_id: 2 }) }))
    expect(api.people).toHaveBeenCalledTimes(1) // known already
    server.people.push({ id: 9, name: 'Sara Supervisor', kind: 'user' })
    server.notes.push({ id: 1, author_id: 9, body: 'Check the refund', created_at: '2026-11-21T10:03:00Z' })
    c.handle(ev('interaction.note_added', { note_id: 1 }))
    await flush()
    await flush()
    expect(c.state.people[9]?.name).toBe('Sara Supervisor')
  })

  it('shows the conversation even when the names cannot be had', async () => {
    const { api } = fakeApi()
    ;(api.people as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error('404'))
    const c = createConversation(ID, api)
    await c.load()
    expect(c.state.loaded).toBe(true)
    expect(c.state.people).toEqual({})
  })
})

describe('coalesce', () => {
  it('runs at most once more however many calls arrive while it runs', async () => {
    let runs = 0
    let release!: () => void
    const fn = coalesce(async () => {
      runs++
      await new Promise<void>((r) => (release = r))
    })
    const first = fn()
    fn()
    fn()
    release()
    await flush()
    release()
    await first
    expect(runs).toBe(2)
  })
})
