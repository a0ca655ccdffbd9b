import { api, type QueryParam } from './api'
import type { InteractionStatus, Named, QueueChannel } from './types'

// The interaction lists (GET /interactions): every channel's list on the
// agent desktop and the supervisors' list in the console, filtered and
// sorted on the server and read a page at a time with an opaque cursor
// (keyset pagination: no page numbers, no totals).

/** The columns a list sorts by. */
export const LIST_SORTS = ['id', 'subject', 'started', 'last_message', 'status'] as const
export type ListSort = (typeof LIST_SORTS)[number]

/** One row of an interaction list, as the caller sees it. */
export interface InteractionRow {
  id: number
  channel: QueueChannel | string
  status: InteractionStatus
  sub_status: Named | null
  subject: string
  contact_name: string
  account: { id: number; name: string; channel: string } | null
  queue_id: number | null
  owner: Named | null
  created_at: string
  /** When it took its place in its queue's line (a transfer to another queue takes a new place). */
  enqueued_at?: string
  closed_at: string | null
  last_message_at: string | null
  /** The last message's way: from the customer ("in") or to him ("out"). */
  last_message_direction: 'in' | 'out' | null
  tags: { id: number; name: string; colour: string }[]
  /** Messages after the caller's read mark. */
  unread: number
  /** Who has it open on screen now. */
  watching: Named[]
  /** New interactions of the same conversation that nobody managed. */
  related_unmanaged: number
}

export interface InteractionPage {
  items: InteractionRow[]
  /** Where the next page starts; null on the last page. */
  next_cursor: string | null
}

/** The server may leave out empty lists and null fields; put them back. */
export function normalizeRow(row: InteractionRow): InteractionRow {
  return {
    ...row,
    sub_status: row.sub_status ?? null,
    subject: row.subject ?? '',
    contact_name: row.contact_name ?? '',
    account: row.account ?? null,
    owner: row.owner ?? null,
    closed_at: row.closed_at ?? null,
    last_message_at: row.last_message_at ?? null,
    last_message_direction: row.last_message_direction ?? null,
    tags: row.tags ?? [],
    unread: row.unread ?? 0,
    watching: row.watching ?? [],
    related_unmanaged: row.related_unmanaged ?? 0,
  }
}

export const interactionListApi = {
  /** One page; the query is made by interactions/query.ts (apiParams). */
  page: (query: Record<string, QueryParam>, signal?: AbortSignal) =>
    api.get<InteractionPage>('/interactions', { query, signal }).then((page) => ({
      items: (page.items ?? []).map(normalizeRow),
      next_cursor: page.next_cursor ?? null,
    })),
}
