import { api, apiUrl, upload, type UploadOptions } from './api'
import type { Interaction, Named, QueueChannel } from './types'

// The conversation of one interaction as the desktop and the supervisor's
// spy view work it: the interaction with its tags, sub-status and
// disposition, its messages (with files and delivery states), internal
// notes, and the owner's actions. The server leaves out some empty values;
// the normalize functions put them back, and accept the few shapes that
// are still settling (the account, the customer's form).

type Items<T> = { items: T[] | null }

/**
 * Where an agent's message is on its way to the customer ("pending": still
 * in WhatsApp's outbox); customer messages: whether the agent has them / read them.
 */
export const DELIVERY_STATES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const
export type Delivery = (typeof DELIVERY_STATES)[number]

export interface Attachment {
  id: number
  name: string
  content_type: string
  size: number
}

export interface Message {
  id: number
  /** "in" from the customer, "out" from an agent. */
  direction: 'in' | 'out'
  author_id: number | null
  body: string
  created_at: string
  delivery: Delivery
  /** The provider's reason when delivery failed (WhatsApp). */
  delivery_error?: string
  attachment: Attachment | null
}

/** An internal note: never sent to the customer. */
export interface Note {
  id: number
  author_id: number | null
  body: string
  created_at: string
}

export interface TagRef {
  id: number
  name: string
  colour: string
}

/** One answer of the customer's chat form, as the desktop shows it. */
export interface FormAnswer {
  name: string
  label: string
  value: string
}

export interface AccountRef {
  id: number
  name: string
  channel?: QueueChannel | string
}

/** An interaction as GET /interactions/{id} answers it, to the caller. */
export interface InteractionDetail extends Interaction {
  account_id: number | null
  account: AccountRef | null
  contact_name: string
  sub_status_id: number | null
  sub_status: Named | null
  disposition_id: number | null
  disposition: Named | null
  disposition_note: string
  last_message_at: string | null
  last_message_direction: 'in' | 'out' | null
  tags: TagRef[]
  /** Messages after the caller's read mark. */
  unread: number
  /** Who else has it open now. */
  watching: Named[]
  /** What the customer typed in the chat's form. */
  form: FormAnswer[]
  /** WhatsApp: when the 24-hour customer service window closes (null: closed, or he never wrote). */
  window_expires_at?: string | null
}

/** A member of staff a conversation mentions (an author, the owner). */
export interface Person {
  id: number
  name: string
  kind: 'admin' | 'user' | 'agent'
}

/** Who may be handed an interaction: colleagues online, and the queues of its channel. */
export interface TransferTargets {
  agents: { id: number; username: string; full_name: string; paused: boolean }[]
  queues: { id: number; name: string; channel: QueueChannel }[]
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')

/**
 * The customer's form, whatever shape the server sends: a list of
 * {name, label, value}, or an object of name → value or name → {label, value}.
 * Empty answers are left out.
 */
export function normalizeForm(raw: unknown): FormAnswer[] {
  const out: FormAnswer[] = []
  const add = (name: string, label: unknown, value: unknown) => {
    const text = str(value).trim()
    if (text) out.push({ name, label: str(label).trim() || name, value: text })
  }
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (item && typeof item === 'object') {
        const f = item as Record<string, unknown>
        add(str(f.name), f.label, f.value)
      }
    }
  } else if (raw && typeof raw === 'object') {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const f = value as Record<string, unknown>
        add(name, f.label, f.value)
      } else {
        add(name, name, value)
      }
    }
  }
  return out
}

export function normalizeMessage(m: Message): Message {
  return {
    ...m,
    author_id: m.author_id ?? null,
    body: m.body ?? '',
    delivery: (DELIVERY_STATES as readonly string[]).includes(m.delivery) ? m.delivery : 'sent',
    attachment: m.attachment ?? null,
  }
}

export function normalizeNote(n: Note): Note {
  return { ...n, author_id: n.author_id ?? null, body: n.body ?? '' }
}

type RawDetail = Partial<InteractionDetail> & Interaction & { account_name?: string; form?: unknown }

export function normalizeInteraction(raw: RawDetail): InteractionDetail {
  const accountId = raw.account_id ?? raw.account?.id ?? null
  let account: AccountRef | null = raw.account ?? null
  if (!account && accountId !== null && raw.account_name) account = { id: accountId, name: raw.account_name }
  return {
    ...raw,
    queue_id: raw.queue_id ?? null,
    owner_id: raw.owner_id ?? null,
    first_agent_id: raw.first_agent_id ?? null,
    closed_at: raw.closed_at ?? null,
    subject: raw.subject ?? '',
    account_id: accountId,
    account,
    contact_name: raw.contact_name ?? '',
    sub_status_id: raw.sub_status_id ?? raw.sub_status?.id ?? null,
    sub_status: raw.sub_status ?? null,
    disposition_id: raw.disposition_id ?? raw.disposition?.id ?? null,
    disposition: raw.disposition ?? null,
    disposition_note: raw.disposition_note ?? '',
    last_message_at: raw.last_message_at ?? null,
    last_message_direction: raw.last_message_direction ?? null,
    tags: raw.tags ?? [],
    unread: typeof raw.unread === 'number' && raw.unread > 0 ? raw.unread : 0,
    watching: raw.watching ?? [],
    form: normalizeForm(raw.form),
  }
}

/** One page of messages the server gives at most (GET …/messages?limit=). */
export const MESSAGE_PAGE = 500

async function allMessages(id: number, after: number): Promise<Message[]> {
  const out: Message[] = []
  for (;;) {
    const page = await api.get<Items<Message>>(`/interactions/${id}/messages`, { query: { after, limit: MESSAGE_PAGE } })
    const items = (page.items ?? []).map(normalizeMessage)
    out.push(...items)
    if (items.length < MESSAGE_PAGE) return out
    after = items[items.length - 1]!.id
  }
}

export interface CloseRequest {
  disposition_id: number | null
  note: string
}

export const conversationApi = {
  get: (id: number) => api.get<RawDetail>(`/interactions/${id}`).then(normalizeInteraction),
  /** Every message after the message id after (0: all), oldest first. */
  messages: (id: number, after = 0) => allMessages(id, after),
  notes: (id: number) => api.get<Items<Note>>(`/interactions/${id}/notes`).then((r) => (r.items ?? []).map(normalizeNote)),
  send: (id: number, body: string) => api.post<Message>(`/interactions/${id}/messages`, { body }).then(normalizeMessage),
  /** One file, with an optional caption; the server answers the message it stored. */
  sendFile: (id: number, file: File, body: string, options: UploadOptions = {}) => {
    const form = new FormData()
    form.append('file', file, file.name)
    if (body.trim()) form.append('body', body)
    return upload<Message>(`/interactions/${id}/attachments`, form, options).then(normalizeMessage)
  },
  /** Names of the staff the conversation mentions (agents may not list staff). */
  people: (id: number) => api.get<Items<Person>>(`/interactions/${id}/people`).then((r) => r.items ?? []),
  addNote: (id: number, body: string) => api.post<Note>(`/interactions/${id}/notes`, { body }).then(normalizeNote),
  setTags: (id: number, tagIds: number[]) =>
    api.put<RawDetail>(`/interactions/${id}/tags`, { tag_ids: tagIds }).then(normalizeInteraction),
  /** null clears it. */
  setSubStatus: (id: number, subStatusId: number | null) =>
    api.put<RawDetail>(`/interactions/${id}/sub-status`, { sub_status_id: subStatusId }).then(normalizeInteraction),
  markRead: (id: number) => api.post<RawDetail>(`/interactions/${id}/read`).then(normalizeInteraction),
  close: (id: number, request: CloseRequest) =>
    api
      .post<RawDetail>(`/interactions/${id}/close`, {
        disposition_id: request.disposition_id,
        note: request.note.trim() || undefined,
      })
      .then(normalizeInteraction),
  /** A closed interaction without a disposition (the customer ended it) gets one afterwards. */
  dispose: (id: number, request: CloseRequest) =>
    api
      .post<RawDetail>(`/interactions/${id}/disposition`, {
        disposition_id: request.disposition_id,
        note: request.note.trim() || undefined,
      })
      .then(normalizeInteraction),
  /** "I have it on screen": repeated while it stays open (the server forgets a watch after a minute). */
  watch: (id: number) => api.post<void>(`/interactions/${id}/watch`),
  unwatch: (id: number) => api.delete<void>(`/interactions/${id}/watch`),
  /** The agent's open interactions (his desktop tabs). */
  mine: () => api.get<Items<RawDetail>>('/me/interactions').then((r) => (r.items ?? []).map(normalizeInteraction)),
  transferTargets: (id: number) =>
    api
      .get<Partial<TransferTargets>>('/me/transfer-targets', { query: { interaction_id: id } })
      .then((r): TransferTargets => ({ agents: r.agents ?? [], queues: r.queues ?? [] })),
}

/** The download address of a file of a conversation. */
export function attachmentUrl(attachment: Pick<Attachment, 'id'>): string {
  return apiUrl(`/attachments/${attachment.id}`)
}

/** The PDF transcript of an interaction (messages, never notes). */
export function transcriptUrl(interactionId: number): string {
  return apiUrl(`/interactions/${interactionId}/transcript.pdf`)
}
