// The filters and sort of an interaction list, and their two spellings: the
// page's URL query (so that a reload or a shared link shows the same list)
// and the API's query. The URL uses the API's parameter names; dates are
// days (YYYY-MM-DD) in the URL and the exact bounds of those days in the
// viewer's time zone for the API.

import type { QueryParam } from '../api/api'
import { LIST_SORTS, type ListSort } from '../api/interactions'
import { INTERACTION_STATUSES, type InteractionStatus, type SortOrder } from '../api/types'

export type ReadFilter = 'read' | 'unread'

export interface ListFilters {
  /** Any text: id, subject, contact, account, messages. */
  q: string
  /** First and last day of the start date (YYYY-MM-DD), both included. */
  from: string | null
  to: string | null
  read: ReadFilter | null
  status: InteractionStatus[]
  subStatusId: number | null
  accountId: number | null
  /** The owner. */
  agentId: number | null
  /** Interactions having all of these tags. */
  tagIds: number[]
  /** The console's list only; a channel's own page has its channel fixed. */
  channel: string | null
  sort: ListSort
  order: SortOrder
}

export const DEFAULT_SORT: ListSort = 'last_message'
export const DEFAULT_ORDER: SortOrder = 'desc'

export function emptyFilters(): ListFilters {
  return {
    q: '',
    from: null,
    to: null,
    read: null,
    status: [],
    subStatusId: null,
    accountId: null,
    agentId: null,
    tagIds: [],
    channel: null,
    sort: DEFAULT_SORT,
    order: DEFAULT_ORDER,
  }
}

/** Sub-statuses are filtered on the email list only (the reference's rule). */
export function hasSubStatusFilter(channel: string | null): boolean {
  return channel === 'email'
}

/** The sub-status filter needs the Open status chosen first: sub-statuses are of open interactions. */
export function subStatusUsable(filters: Pick<ListFilters, 'status'>): boolean {
  return filters.status.includes('open')
}

/** Only email interactions have a subject. */
export function hasSubject(channel: string | null): boolean {
  return channel === 'email'
}

// --- reading the URL ----------------------------------------------------------------

type RawQuery = Record<string, string | null | undefined | (string | null)[]>

function values(raw: RawQuery, key: string): string[] {
  const v = raw[key]
  if (v === undefined || v === null) return []
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '')
}

function first(raw: RawQuery, key: string): string | null {
  return values(raw, key)[0] ?? null
}

function id(text: string | null): number | null {
  if (text === null || !/^[1-9]\d{0,15}$/.test(text)) return null
  return Number(text)
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** A real calendar day written YYYY-MM-DD, or null. */
export function parseDay(text: string | null | undefined): string | null {
  const m = text ? DAY.exec(text) : null
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
  return text!
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)]
}

/** The filters a URL query asks for; what is not understood is left at its default. */
export function filtersFromQuery(raw: RawQuery): ListFilters {
  const f = emptyFilters()
  f.q = first(raw, 'q') ?? ''
  f.from = parseDay(first(raw, 'from'))
  f.to = parseDay(first(raw, 'to'))
  const read = first(raw, 'read')
  f.read = read === 'read' || read === 'unread' ? read : null
  f.status = unique(values(raw, 'status').filter((s): s is InteractionStatus => (INTERACTION_STATUSES as readonly string[]).includes(s)))
  f.subStatusId = id(first(raw, 'sub_status_id'))
  f.accountId = id(first(raw, 'account_id'))
  f.agentId = id(first(raw, 'agent_id'))
  f.tagIds = unique(values(raw, 'tag_id').map(id).filter((x): x is number => x !== null))
  f.channel = first(raw, 'channel')
  const sort = first(raw, 'sort')
  if (sort && (LIST_SORTS as readonly string[]).includes(sort)) f.sort = sort as ListSort
  const order = first(raw, 'order')
  if (order === 'asc' || order === 'desc') f.order = order
  return f
}

// --- writing the URL ---------------------------------------------------------------

/** The URL query for these filters: only what differs from the defaults, in a stable order. */
export function filtersToQuery(f: ListFilters): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  if (f.channel) out.channel = f.channel
  if (f.q.trim()) out.q = f.q.trim()
  if (f.from) out.from = f.from
  if (f.to) out.to = f.to
  if (f.read) out.read = f.read
  if (f.status.length) out.status = INTERACTION_STATUSES.filter((s) => f.status.includes(s))
  if (f.subStatusId !== null) out.sub_status_id = String(f.subStatusId)
  if (f.accountId !== null) out.account_id = String(f.accountId)
  if (f.agentId !== null) out.agent_id = String(f.agentId)
  if (f.tagIds.length) out.tag_id = [...f.tagIds].sort((a, b) => a - b).map(String)
  if (f.sort !== DEFAULT_SORT || f.order !== DEFAULT_ORDER) {
    out.sort = f.sort
    out.order = f.order
  }
  return out
}

/** Whether two filter sets ask for the same list (the same URL). */
export function sameFilters(a: ListFilters, b: ListFilters): boolean {
  return JSON.stringify(filtersToQuery(a)) === JSON.stringify(filtersToQuery(b))
}

/** How many filters narrow the list (search and sort not counted). */
export function activeFilterCount(f: ListFilters): number {
  return [
    f.from !== null || f.to !== null,
    f.read !== null,
    f.status.length > 0,
    f.subStatusId !== null,
    f.accountId !== null,
    f.agentId !== null,
    f.tagIds.length > 0,
    f.channel !== null,
  ].filter(Boolean).length
}

/** The same sort and, on the console's list, the same channel, without any filter. */
export function clearedFilters(f: ListFilters, keepChannel: boolean): ListFilters {
  return { ...emptyFilters(), sort: f.sort, order: f.order, channel: keepChannel ? f.channel : null }
}

// --- the API query -----------------------------------------------------------------

/**
 * Where a range of local calendar days starts (end=false: the day's local
 * midnight) or stops (end=true: the next day's local midnight, which the
 * server's `to` leaves out), as RFC 3339.
 */
export function dayBound(day: string, end: boolean): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, end ? d + 1 : d).toISOString()
}

export interface PageRequest {
  /** A channel page's own channel; null on the console's list (its channel filter applies). */
  channel: string | null
  limit: number
  cursor: string | null
}

/** The GET /interactions query for one page of this list. */
export function apiParams(f: ListFilters, page: PageRequest): Record<string, QueryParam> {
  const channel = page.channel ?? f.channel
  let [from, to] = [f.from, f.to]
  if (from && to && from > to) [from, to] = [to, from]
  const params: Record<string, QueryParam> = {
    channel: channel ?? undefined,
    q: f.q.trim() || undefined,
    from: from ? dayBound(from, false) : undefined,
    to: to ? dayBound(to, true) : undefined,
    read: f.read ?? undefined,
    status: INTERACTION_STATUSES.filter((s) => f.status.includes(s)),
    sub_status_id: hasSubStatusFilter(channel) && subStatusUsable(f) ? (f.subStatusId ?? undefined) : undefined,
    account_id: f.accountId ?? undefined,
    agent_id: f.agentId ?? undefined,
    tag_id: [...f.tagIds].sort((a, b) => a - b),
    sort: f.sort,
    order: f.order,
    limit: page.limit,
    cursor: page.cursor ?? undefined,
  }
  return params
}

// --- the date pickers ----------------------------------------------------------------

/** A day as the date picker holds it: local midnight. */
export function dayToDate(day: string | null): Date | null {
  if (!day || !parseDay(day)) return null
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d)
}

/** The local calendar day of a picked date, YYYY-MM-DD. */
export function dateToDay(date: Date | null | undefined): string | null {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return null
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
