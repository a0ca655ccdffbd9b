// One interaction's conversation, live: what the conversation view shows
// and what its buttons do. It loads the interaction, its messages and its
// notes, takes the realtime events about it (whole messages when the event
// carries them, a catch-up fetch when it does not), and keeps the agent's
// replies on screen while they are being sent. Framework-free apart from
// Vue's reactive(), so tests drive it with a fake API.

import { reactive } from 'vue'
import type { CloseRequest, Delivery, InteractionDetail, Message, Note, Person } from '../api/conversation'
import { normalizeMessage, normalizeNote } from '../api/conversation'
import type { RealtimeEvent } from '../realtime'
import { applyDelivery, lastMessageId, mergeMessages, mergeNotes } from './timeline'

/** What the conversation needs of the API (conversationApi; a fake in tests). */
export interface ConversationApi {
  get(id: number): Promise<InteractionDetail>
  messages(id: number, after?: number): Promise<Message[]>
  notes(id: number): Promise<Note[]>
  people(id: number): Promise<Person[]>
  send(id: number, body: string): Promise<Message>
  sendFile(id: number, file: File, body: string, options?: { onProgress?(fraction: number): void }): Promise<Message>
  addNote(id: number, body: string): Promise<Note>
  setTags(id: number, tagIds: number[]): Promise<InteractionDetail>
  setSubStatus(id: number, subStatusId: number | null): Promise<InteractionDetail>
  markRead(id: number): Promise<InteractionDetail>
  close(id: number, request: CloseRequest): Promise<InteractionDetail>
  dispose(id: number, request: CloseRequest): Promise<InteractionDetail>
}

/** A reply on its way: shown at the end of the conversation until the server has it. */
export interface PendingMessage {
  key: string
  body: string
  fileName: string
  /** Upload progress, 0–1 (files only). */
  progress: number
}

export interface ConversationState {
  id: number
  interaction: InteractionDetail | null
  messages: Message[]
  notes: Note[]
  /** Staff named by id (authors, owner, first agent). */
  people: Record<number, Person>
  pending: PendingMessage[]
  loading: boolean
  loaded: boolean
  /** Why loading failed (the server's words); empty when it did not. */
  error: string
  /** The HTTP status of that failure (403: not his to see), 0 when none. */
  errorStatus: number
  /** Who closed it, when an event said so ("customer", "agent"…). */
  closedBy: string
}

export interface Conversation {
  state: ConversationState
  load(): Promise<void>
  /** Catches up after events may have been missed (a reconnect that could not resume). */
  refresh(): Promise<void>
  /** Takes a realtime event; returns whether it was about this interaction. */
  handle(ev: RealtimeEvent): boolean
  send(body: string): Promise<Message>
  sendFile(file: File, caption: string): Promise<Message>
  /**
   * Sends through another request (a WhatsApp template), shown as being
   * sent with the text the customer will read until the server has it.
   */
  sendWith(text: string, request: () => Promise<Message>): Promise<Message>
  addNote(body: string): Promise<Note>
  setTags(tagIds: number[]): Promise<void>
  setSubStatus(subStatusId: number | null): Promise<void>
  markRead(): Promise<void>
  close(request: CloseRequest): Promise<void>
  /** Gives a closed interaction its disposition afterwards. */
  giveDisposition(request: CloseRequest): Promise<void>
  /** Stops answering: late answers to requests under way are dropped. */
  dispose(): void
}

/**
 * Runs fn once at a time: calls while it runs make it run once more after,
 * so a burst of events costs two requests and the last answer is fresh.
 */
export function coalesce(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null
  let again = false
  const run = async (): Promise<void> => {
    do {
      again = false
      await fn()
    } while (again)
  }
  return () => {
    if (running) {
      again = true
      return running
    }
    running = run().finally(() => (running = null))
    return running
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

function isMessage(v: unknown): v is Message {
  const m = v as Partial<Message> | null
  return !!m && typeof m === 'object' && typeof m.id === 'number' && (m.direction === 'in' || m.direction === 'out') && typeof m.created_at === 'string'
}

function isNote(v: unknown): v is Note {
  const n = v as Partial<Note> | null
  return !!n && typeof n === 'object' && typeof n.id === 'number' && typeof n.body === 'string' && typeof n.created_at === 'string'
}

/** Events that change the interaction itself (status, owner, tags…): its details are read again. */
const INTERACTION_EVENTS = new Set([
  'interaction.tags_changed',
  'interaction.sub_status_changed',
  'interaction.disposed',
  'interaction.assigned',
  'interaction.accepted',
  'interaction.transfer_accepted',
  'interaction.transfer_returned',
  'interaction.requeued',
  'interaction.moved',
  'interaction.watchers_changed',
  'interaction.closed',
  'interaction.closed_unmanaged',
  'interaction.contact_linked',
])

let pendingSeq = 0

export function createConversation(id: number, api: ConversationApi): Conversation {
  const state = reactive<ConversationState>({
    id,
    interaction: null,
    messages: [],
    notes: [],
    people: {},
    pending: [],
    loading: false,
    loaded: false,
    error: '',
    errorStatus: 0,
    closedBy: '',
  }) as ConversationState
  let disposed = false

  const takeMessages = (list: Message[]) => {
    if (disposed) return
    state.messages = mergeMessages(state.messages, list)
    askWho(list.map((m) => m.author_id))
  }
  const takeNotes = (list: Note[]) => {
    if (disposed) return
    state.notes = mergeNotes(state.notes, list)
    askWho(list.map((n) => n.author_id))
  }
  const takePeople = (list: Person[]) => {
    if (!disposed) state.people = Object.fromEntries(list.map((p) => [p.id, p]))
  }
  /** Someone wrote whose name this screen does not know (a supervisor's first note): ask again. */
  function askWho(authors: (number | null)[]) {
    if (state.loaded && authors.some((a) => a !== null && !state.people[a])) quietly(fetchPeople())
  }
  const takeInteraction = (it: InteractionDetail) => {
    if (!disposed) state.interaction = it
  }

  const fetchInteraction = coalesce(async () => takeInteraction(await api.get(id)))
  const fetchNewMessages = coalesce(async () => takeMessages(await api.messages(id, lastMessageId(state.messages))))
  const fetchNotes = coalesce(async () => takeNotes(await api.notes(id)))
  const fetchPeople = coalesce(async () => takePeople(await api.people(id)))

  /** Background refreshes fail quietly: the next event or reconnect tries again. */
  const quietly = (p: Promise<void>) => void p.catch(() => {})

  async function load() {
    state.loading = true
    try {
      // Names are a nicety: the conversation shows without them.
      const [it, messages, notes, people] = await Promise.all([
        api.get(id),
        api.messages(id, 0),
        api.notes(id),
        api.people(id).catch(() => [] as Person[]),
      ])
      takePeople(people)
      takeInteraction(it)
      takeMessages(messages)
      takeNotes(notes)
      state.error = ''
      state.errorStatus = 0
      state.loaded = true
    } catch (err) {
      const e = err as { message?: string; status?: number }
      state.error = e.message ?? String(err)
      state.errorStatus = e.status ?? 0
      throw err
    } finally {
      state.loading = false
    }
  }

  async function refresh() {
    if (!state.loaded) return load()
    await Promise.all([fetchInteraction(), fetchNewMessages(), fetchNotes(), fetchPeople().catch(() => {})])
  }

  function handle(ev: RealtimeEvent): boolean {
    const d = ev.data ?? {}
    if (num(d.interaction_id) !== id || disposed) return false
    switch (ev.event) {
      case 'message.sent':
      case 'message.received': {
        if (isMessage(d.message)) takeMessages([normalizeMessage(d.message)])
        else quietly(fetchNewMessages())
        // The customer writing again clears the sub-status (the server did it too).
        if (ev.event === 'message.received' && state.interaction?.sub_status) {
          state.interaction = { ...state.interaction, sub_status: null, sub_status_id: null }
        }
        // On WhatsApp the customer writing opens a new 24-hour window: its end is read again.
        if (ev.event === 'message.received' && state.interaction?.channel === 'whatsapp') quietly(fetchInteraction())
        break
      }
      case 'message.delivery': {
        const messageId = num(d.message_id)
        const delivery = d.delivery as Delivery | undefined
        if (messageId === undefined || !delivery) break
        const reason = typeof d.delivery_error === 'string' ? d.delivery_error : ''
        if (state.messages.some((m) => m.id === messageId)) state.messages = applyDelivery(state.messages, messageId, delivery, reason)
        else quietly(fetchNewMessages()) // a message this screen has not seen yet
        break
      }
      case 'interaction.note_added':
        if (isNote(d.note)) takeNotes([normalizeNote(d.note)])
        else quietly(fetchNotes())
        break
      default:
        if (INTERACTION_EVENTS.has(ev.event)) {
          if (ev.event === 'interaction.closed' && typeof d.by === 'string') state.closedBy = d.by
          quietly(fetchInteraction())
        }
    }
    return true
  }

  async function sendWith(body: string, fileName: string, request: (p: PendingMessage) => Promise<Message>): Promise<Message> {
    const pending = reactive<PendingMessage>({ key: `p${++pendingSeq}`, body, fileName, progress: 0 }) as PendingMessage
    state.pending = [...state.pending, pending]
    try {
      const m = await request(pending)
      takeMessages([m])
      return m
    } finally {
      state.pending = state.pending.filter((p) => p.key !== pending.key)
    }
  }

  return {
    state,
    load,
    refresh,
    handle,
    send: (body) => sendWith(body, '', () => api.send(id, body)),
    sendFile: (file, caption) =>
      sendWith(caption, file.name, (p) => api.sendFile(id, file, caption, { onProgress: (f) => (p.progress = f) })),
    sendWith: (text, request) => sendWith(text, '', request),
    async addNote(body) {
      const n = await api.addNote(id, body)
      takeNotes([n])
      return n
    },
    async setTags(tagIds) {
      takeInteraction(await api.setTags(id, tagIds))
    },
    async setSubStatus(subStatusId) {
      takeInteraction(await api.setSubStatus(id, subStatusId))
    },
    async markRead() {
      takeInteraction(await api.markRead(id))
    },
    async close(request) {
      takeInteraction(await api.close(id, request))
    },
    async giveDisposition(request) {
      takeInteraction(await api.dispose(id, request))
    },
    dispose() {
      disposed = true
    },
  }
}
