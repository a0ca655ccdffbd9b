// The agent's Dashboard, per channel: the queues he is logged into with how
// many wait in each, and the interactions waiting in them, oldest first,
// each with its place in its queue's line. Pure: useDashboard.ts loads and
// keeps it live, components/desk/Dashboard*.vue show it.

import type { InteractionRow } from '../api/interactions'
import { QUEUE_CHANNELS, type DeskQueue, type QueueChannel } from '../api/types'

/** The switcher's first entry: every channel at once. */
export const ALL_CHANNELS = 'all'
export type DashboardChannel = QueueChannel | typeof ALL_CHANNELS

/** The URL query parameter that remembers the chosen channel. */
export const CHANNEL_PARAM = 'channel'

/**
 * The realtime events that change who waits where: an interaction arrives,
 * is taken, moves to another queue, waits again or ends. An offer leaves it
 * waiting; tags, notes, reads and watchers change nothing shown here. His own
 * login, logout and profile change change which queues he works.
 */
const RELEVANT = new Set([
  'interaction.created',
  'interaction.assigned',
  'interaction.transfer_accepted',
  'interaction.moved',
  'interaction.requeued',
  'interaction.closed',
  'interaction.closed_unmanaged',
  'agent.login',
  'agent.logout',
  'agent.profile_changed',
])

const isQueueChannel = (value: unknown): value is QueueChannel =>
  typeof value === 'string' && (QUEUE_CHANNELS as readonly string[]).includes(value)

/** The channel a URL query names; anything else (none, unknown, repeated) means all. */
export function channelFromQuery(raw: unknown): DashboardChannel {
  const value = Array.isArray(raw) ? raw[0] : raw
  return isQueueChannel(value) ? value : ALL_CHANNELS
}

/** The query value for a channel: all is the default and leaves the URL clean. */
export function channelToQuery(channel: DashboardChannel): string | undefined {
  return channel === ALL_CHANNELS ? undefined : channel
}

/**
 * The switcher's entries: All, then each channel he has an active queue in,
 * in the usual channel order. The chosen channel stays even without a queue
 * (a remembered link, a profile just changed), so the page can say why it is
 * empty instead of jumping elsewhere.
 */
export function dashboardChannels(queues: readonly DeskQueue[], chosen: DashboardChannel): DashboardChannel[] {
  const present = new Set<string>(queues.map((q) => q.channel))
  if (chosen !== ALL_CHANNELS) present.add(chosen)
  return [ALL_CHANNELS, ...QUEUE_CHANNELS.filter((c) => present.has(c))]
}

const inChannel = (channel: DashboardChannel) => (q: DeskQueue) => channel === ALL_CHANNELS || q.channel === channel

/** His queues shown for a channel: by channel order, then by name. */
export function queuesOf(queues: readonly DeskQueue[], channel: DashboardChannel): DeskQueue[] {
  const order = (c: string) => (QUEUE_CHANNELS as readonly string[]).indexOf(c)
  return queues
    .filter(inChannel(channel))
    .sort((a, b) => order(a.channel) - order(b.channel) || a.name.localeCompare(b.name) || a.id - b.id)
}

/** How many wait in his queues of a channel (all: in every one). */
export function waitingIn(queues: readonly DeskQueue[], channel: DashboardChannel): number {
  return queues.filter(inChannel(channel)).reduce((n, q) => n + q.waiting, 0)
}

/** A waiting interaction as the dashboard shows it. */
export interface WaitingItem {
  row: InteractionRow
  queue: DeskQueue
  /** When its wait in the queue began, server time in ms. */
  since: number
  /** Its place in its queue's line, 1 for the next to be served. */
  position: number
}

/** When a row's wait began: its place in the line, else its start. NaN when neither reads. */
function waitStart(row: InteractionRow): number {
  const enqueued = row.enqueued_at ? Date.parse(row.enqueued_at) : NaN
  return Number.isFinite(enqueued) ? enqueued : Date.parse(row.created_at)
}

/** Oldest wait first; the id breaks ties, as the router's line does. */
function byWait(a: { since: number; row: InteractionRow }, b: { since: number; row: InteractionRow }): number {
  const sa = Number.isFinite(a.since) ? a.since : Infinity
  const sb = Number.isFinite(b.since) ? b.since : Infinity
  return sa === sb ? a.row.id - b.row.id : sa - sb
}

/**
 * The waiting interactions of his queues in a channel, oldest first, each
 * with its position in its queue. The list a caller may read also holds
 * waiting interactions of other queues he once handled: not his line, so
 * they are left out. Positions follow the router's order within a queue —
 * its priority, the same for every interaction of the queue, then the time
 * it took its place, then the id — counted over the rows given, so they are
 * exact when the rows hold the queue's whole line.
 */
export function waitingItems(rows: readonly InteractionRow[], queues: readonly DeskQueue[], channel: DashboardChannel): WaitingItem[] {
  const mine = new Map(queues.filter(inChannel(channel)).map((q) => [q.id, q]))
  const items: WaitingItem[] = []
  for (const row of rows) {
    const queue = row.status === 'waiting' && row.queue_id !== null ? mine.get(row.queue_id) : undefined
    if (queue) items.push({ row, queue, since: waitStart(row), position: 0 })
  }
  items.sort(byWait)
  const seen = new Map<number, number>()
  for (const item of items) {
    const place = (seen.get(item.queue.id) ?? 0) + 1
    seen.set(item.queue.id, place)
    item.position = place
  }
  return items
}

/** Milliseconds waited by local time now, the server's clock being skewMs ahead of ours; never below 0. */
export function waitedMs(since: number, now: number, skewMs = 0): number {
  if (!Number.isFinite(since)) return 0
  return Math.max(0, now + skewMs - since)
}

/** Whether a realtime event on the agent's socket may change the dashboard. */
export function isDashboardEvent(name: string): boolean {
  return RELEVANT.has(name)
}

/** A key that changes when his set of active queues does (not their counts). */
export function queuesKey(queues: readonly DeskQueue[]): string {
  return queues
    .map((q) => q.id)
    .sort((a, b) => a - b)
    .join(',')
}
