// The conversation as the screen shows it: messages and internal notes in
// one time line, kept free of duplicates however they arrive (the first
// load, a live event, the answer to the agent's own send, a catch-up fetch
// after a reconnect), and the delivery checkmarks of the agent's messages.
// Pure functions over plain arrays, so they are easy to test.

import type { Delivery, Message, Note } from '../api/conversation'

/** How far a delivery state has come; a message never moves back (failed ends it). */
const DELIVERY_RANK: Record<Delivery, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 }

/** Whether moving a message from one state to another is a step forward. */
export function deliveryAdvances(from: Delivery, to: Delivery): boolean {
  if (from === to || from === 'read' || from === 'failed') return false
  return DELIVERY_RANK[to] > DELIVERY_RANK[from]
}

/** The furthest of two states for the same message (the one it has reached). */
function furthest(a: Delivery, b: Delivery): Delivery {
  return deliveryAdvances(a, b) ? b : a
}

/**
 * Adds messages to a list sorted by id, each id once. A message seen again
 * takes the newer copy, but keeps the furthest delivery state either copy
 * had: a read receipt that arrived before a slower answer is not lost.
 * Returns the same array when nothing changed.
 */
export function mergeMessages(list: readonly Message[], incoming: readonly Message[]): Message[] {
  return mergeById(list, incoming, (known, m) => {
    const delivery = furthest(known.delivery, m.delivery)
    const from = delivery === known.delivery ? known : m
    return { ...known, ...m, delivery, delivery_error: from.delivery_error ?? m.delivery_error }
  })
}

/**
 * Adds items to a list sorted by id, each id once; an id seen again takes
 * combine(known, newer). The same array when nothing changed.
 */
function mergeById<T extends { id: number }>(list: readonly T[], incoming: readonly T[], combine: (known: T, newer: T) => T): T[] {
  if (!incoming.length) return list as T[]
  const byId = new Map(list.map((x) => [x.id, x]))
  let changed = false
  for (const x of incoming) {
    const known = byId.get(x.id)
    const next = known ? combine(known, x) : x
    if (!known || JSON.stringify(next) !== JSON.stringify(known)) {
      byId.set(x.id, next)
      changed = true
    }
  }
  if (!changed) return list as T[]
  return [...byId.values()].sort((a, b) => a.id - b.id)
}

/**
 * Moves one message's delivery state forward (with the provider's reason
 * when it failed); the same array when it is unknown or not a step forward.
 */
export function applyDelivery(list: readonly Message[], messageId: number, state: Delivery, error = ''): Message[] {
  const i = list.findIndex((m) => m.id === messageId)
  if (i < 0 || !deliveryAdvances(list[i]!.delivery, state)) return list as Message[]
  return list.map((m, j) => (j === i ? { ...m, delivery: state, ...(error ? { delivery_error: error } : {}) } : m))
}

/** Adds notes, each id once, sorted by id. */
export function mergeNotes(list: readonly Note[], incoming: readonly Note[]): Note[] {
  return mergeById(list, incoming, (_known, n) => n)
}

/** The id to fetch messages after when catching up (0: none yet). */
export function lastMessageId(list: readonly Message[]): number {
  return list.length ? list[list.length - 1]!.id : 0
}

export type TimelineEntry =
  | { kind: 'message'; key: string; at: number; message: Message }
  | { kind: 'note'; key: string; at: number; note: Note }
  | { kind: 'day'; key: string; at: number; day: string }

const time = (iso: string): number => {
  const t = Date.parse(iso)
  return Number.isFinite(t) ? t : 0
}

/** The local calendar day of a time, as YYYY-MM-DD (the key of a day separator). */
export function localDay(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/**
 * Messages and notes in one list by time, with a day separator before the
 * first entry of each day. Messages keep their id order (the server's
 * order) even if two clocks disagree; a note goes where its time puts it
 * among them, after a message of the same instant.
 */
export function buildTimeline(messages: readonly Message[], notes: readonly Note[]): TimelineEntry[] {
  const entries: TimelineEntry[] = []
  let ni = 0
  const sortedNotes = [...notes].sort((a, b) => time(a.created_at) - time(b.created_at) || a.id - b.id)
  const pushNote = (n: Note) => entries.push({ kind: 'note', key: `n${n.id}`, at: time(n.created_at), note: n })
  for (const m of messages) {
    const at = time(m.created_at)
    while (ni < sortedNotes.length && time(sortedNotes[ni]!.created_at) < at) pushNote(sortedNotes[ni++]!)
    entries.push({ kind: 'message', key: `m${m.id}`, at, message: m })
  }
  while (ni < sortedNotes.length) pushNote(sortedNotes[ni++]!)

  const out: TimelineEntry[] = []
  let day = ''
  for (const e of entries) {
    const d = localDay(e.at)
    if (d !== day) {
      day = d
      out.push({ kind: 'day', key: `d${d}`, at: e.at, day: d })
    }
    out.push(e)
  }
  return out
}

/**
 * What the checkmarks of one of the agent's messages show: a clock until
 * the provider has it, one check when sent — and one check, red, when it
 * failed (WhatsApp's "a single checkmark means a problem") —, two when
 * delivered, two coloured when read.
 */
export interface DeliveryMark {
  /** 0 while it is being sent, 1 sent or failed, 2 delivered or read. */
  ticks: 0 | 1 | 2
  /** Read by the customer: the two ticks are coloured. */
  read: boolean
  failed: boolean
  /** i18n key of the words for screen readers and the tooltip. */
  label: string
}

export function deliveryMark(state: Delivery | 'sending'): DeliveryMark {
  switch (state) {
    case 'sending':
      return { ticks: 0, read: false, failed: false, label: 'conversation.delivery.sending' }
    case 'pending':
      return { ticks: 0, read: false, failed: false, label: 'conversation.delivery.pending' }
    case 'delivered':
      return { ticks: 2, read: false, failed: false, label: 'conversation.delivery.delivered' }
    case 'read':
      return { ticks: 2, read: true, failed: false, label: 'conversation.delivery.read' }
    case 'failed':
      return { ticks: 1, read: false, failed: true, label: 'conversation.delivery.failed' }
    default:
      return { ticks: 1, read: false, failed: false, label: 'conversation.delivery.sent' }
  }
}

/** Whether a file is a picture the browser can show as a thumbnail. */
export function isImage(contentType: string): boolean {
  return /^image\/(png|jpe?g|gif|webp)$/i.test(contentType)
}

/** How the page plays a file inline (WhatsApp's voice notes and clips); null when it does not. */
export function playableKind(contentType: string): 'audio' | 'video' | null {
  if (/^audio\/(ogg|opus|aac|amr|mp4|mpeg)$/i.test(contentType)) return 'audio'
  if (/^video\/(mp4|3gpp)$/i.test(contentType)) return 'video'
  return null
}

/** A file size for people: "820 B", "14 KB", "2.3 MB". */
export function formatBytes(bytes: number, locale = 'en'): string {
  if (!Number.isFinite(bytes) || bytes < 0) return ''
  if (bytes < 1024) return `${bytes} B`
  const kb = bytes / 1024
  if (kb < 1024) return `${Math.round(kb)} KB`
  const mb = kb / 1024
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(mb)} MB`
}
