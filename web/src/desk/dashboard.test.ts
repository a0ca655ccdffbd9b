import { describe, expect, it } from 'vitest'
import type { InteractionRow } from '../api/interactions'
import type { DeskQueue } from '../api/types'
import {
  ALL_CHANNELS,
  channelFromQuery,
  channelToQuery,
  dashboardChannels,
  isDashboardEvent,
  queuesKey,
  queuesOf,
  waitedMs,
  waitingIn,
  waitingItems,
} from './dashboard'

const queue = (id: number, channel: DeskQueue['channel'], name: string, waiting = 0, penalty = 0): DeskQueue => ({
  id,
  name,
  channel,
  penalty,
  waiting,
})

const SUPPORT = queue(1, 'chat', 'Support', 2)
const SALES = queue(2, 'chat', 'Sales', 1)
const LINE = queue(3, 'voice', 'Line', 4, 2)
const WA = queue(4, 'whatsapp', 'WhatsApp care', 0)
const QUEUES = [SUPPORT, LINE, WA, SALES]

function row(id: number, queueId: number | null, at: string, extra: Partial<InteractionRow> = {}): InteractionRow {
  return {
    id,
    channel: 'chat',
    status: 'waiting',
    sub_status: null,
    subject: '',
    contact_name: `Contact ${id}`,
    account: { id: 9, name: 'Demo shop', channel: 'chat' },
    queue_id: queueId,
    owner: null,
    created_at: at,
    enqueued_at: at,
    closed_at: null,
    last_message_at: null,
    last_message_direction: null,
    tags: [],
    unread: 0,
    watching: [],
    related_unmanaged: 0,
    ...extra,
  }
}

describe('dashboard: the channel in the URL', () => {
  it.each([
    ['chat', 'chat'],
    ['voice', 'voice'],
    [['whatsapp', 'chat'], 'whatsapp'],
    [undefined, ALL_CHANNELS],
    ['', ALL_CHANNELS],
    ['all', ALL_CHANNELS],
    ['pigeon', ALL_CHANNELS],
    [null, ALL_CHANNELS],
  ])('reads %j as %s', (raw, channel) => {
    expect(channelFromQuery(raw)).toBe(channel)
  })

  it('leaves the query out for all channels', () => {
    expect(channelToQuery(ALL_CHANNELS)).toBeUndefined()
    expect(channelToQuery('email')).toBe('email')
  })
})

describe('dashboard: channels and queues', () => {
  it('offers All and the channels he has queues in, in channel order', () => {
    expect(dashboardChannels(QUEUES, ALL_CHANNELS)).toEqual([ALL_CHANNELS, 'voice', 'chat', 'whatsapp'])
  })

  it('keeps the chosen channel even with no queue in it', () => {
    expect(dashboardChannels([SUPPORT], 'email')).toEqual([ALL_CHANNELS, 'chat', 'email'])
    expect(dashboardChannels([], 'sms')).toEqual([ALL_CHANNELS, 'sms'])
    expect(dashboardChannels([], ALL_CHANNELS)).toEqual([ALL_CHANNELS])
  })

  it('lists a channel’s queues by name, and all of them by channel then name', () => {
    expect(queuesOf(QUEUES, 'chat').map((q) => q.name)).toEqual(['Sales', 'Support'])
    expect(queuesOf(QUEUES, ALL_CHANNELS).map((q) => q.name)).toEqual(['Line', 'Sales', 'Support', 'WhatsApp care'])
    expect(queuesOf(QUEUES, 'email')).toEqual([])
  })

  it('does not reorder the desk’s own list', () => {
    const before = QUEUES.map((q) => q.id)
    queuesOf(QUEUES, ALL_CHANNELS)
    expect(QUEUES.map((q) => q.id)).toEqual(before)
  })

  it('counts who waits per channel and in all', () => {
    expect(waitingIn(QUEUES, 'chat')).toBe(3)
    expect(waitingIn(QUEUES, 'voice')).toBe(4)
    expect(waitingIn(QUEUES, 'email')).toBe(0)
    expect(waitingIn(QUEUES, ALL_CHANNELS)).toBe(7)
  })

  it('keys the set of queues, not their counts or order', () => {
    expect(queuesKey(QUEUES)).toBe('1,2,3,4')
    expect(queuesKey([{ ...SALES, waiting: 9 }, WA, LINE, SUPPORT])).toBe('1,2,3,4')
    expect(queuesKey([SUPPORT])).not.toBe(queuesKey(QUEUES))
  })
})

describe('dashboard: waiting interactions', () => {
  const rows = [
    row(10, 1, '2026-11-21T10:05:00Z'),
    row(11, 2, '2026-11-21T10:01:00Z'),
    row(12, 1, '2026-11-21T10:02:00Z'),
    row(13, 1, '2026-11-21T10:02:00Z'), // same time as 12: the id decides
    row(14, 4, '2026-11-21T09:00:00Z', { channel: 'whatsapp' }),
  ]

  it('puts the longest wait first, with each one’s place in its own queue', () => {
    const items = waitingItems(rows, QUEUES, 'chat')
    expect(items.map((i) => [i.row.id, i.queue.name, i.position])).toEqual([
      [11, 'Sales', 1],
      [12, 'Support', 1],
      [13, 'Support', 2],
      [10, 'Support', 3],
    ])
  })

  it('shows every channel’s under All', () => {
    expect(waitingItems(rows, QUEUES, ALL_CHANNELS).map((i) => i.row.id)).toEqual([14, 11, 12, 13, 10])
  })

  it('leaves out what is not waiting in one of his queues', () => {
    const others = [
      row(20, 99, '2026-11-21T08:00:00Z'), // a queue he once handled, not his now
      row(21, null, '2026-11-21T08:00:00Z'),
      row(22, 1, '2026-11-21T08:00:00Z', { status: 'open' }),
      row(23, 1, '2026-11-21T10:00:00Z'),
    ]
    const items = waitingItems(others, QUEUES, 'chat')
    expect(items.map((i) => [i.row.id, i.position])).toEqual([[23, 1]])
  })

  it('counts the wait from the place in the line, not from the start', () => {
    // Transferred to this queue at 10:30 though it started at 09:00.
    const moved = row(30, 1, '2026-11-21T09:00:00Z', { enqueued_at: '2026-11-21T10:30:00Z' })
    const fresh = row(31, 1, '2026-11-21T10:10:00Z')
    const items = waitingItems([moved, fresh], QUEUES, 'chat')
    expect(items.map((i) => [i.row.id, i.position])).toEqual([
      [31, 1],
      [30, 2],
    ])
    expect(items[1]!.since).toBe(Date.parse('2026-11-21T10:30:00Z'))
  })

  it('falls back to the start when the place in the line is not known', () => {
    const items = waitingItems([row(40, 1, '2026-11-21T10:00:00Z', { enqueued_at: undefined })], QUEUES, 'chat')
    expect(items[0]!.since).toBe(Date.parse('2026-11-21T10:00:00Z'))
  })

  it('puts a row without a readable time last rather than failing', () => {
    const items = waitingItems([row(50, 1, 'soon', { enqueued_at: 'later' }), row(51, 1, '2026-11-21T10:00:00Z')], QUEUES, 'chat')
    expect(items.map((i) => i.row.id)).toEqual([51, 50])
    expect(waitedMs(items[1]!.since, Date.parse('2026-11-21T10:00:00Z'))).toBe(0)
  })

  it('is empty without queues', () => {
    expect(waitingItems(rows, [], ALL_CHANNELS)).toEqual([])
  })
})

describe('dashboard: waiting time', () => {
  const since = Date.parse('2026-11-21T10:00:00Z')

  it('is the server’s now minus the start', () => {
    const local = since + 65_000
    expect(waitedMs(since, local)).toBe(65_000)
    // Our clock is 5 s behind the server's.
    expect(waitedMs(since, local, 5_000)).toBe(70_000)
  })

  it('never goes below zero when our clock runs ahead', () => {
    expect(waitedMs(since, since - 3_000)).toBe(0)
  })
})

describe('dashboard: which events refresh it', () => {
  it.each([
    ['interaction.created', true],
    ['interaction.assigned', true],
    ['interaction.requeued', true],
    ['interaction.closed', true],
    ['interaction.closed_unmanaged', true],
    ['interaction.transfer_accepted', true],
    ['interaction.moved', true],
    ['agent.login', true],
    ['agent.logout', true],
    ['agent.profile_changed', true],
    ['interaction.offered', false],
    ['interaction.offer_ended', false],
    ['interaction.watchers_changed', false],
    ['interaction.note_added', false],
    ['interaction.read', false],
    ['message.received', false],
    ['message.delivery', false],
    ['agent.paused', false],
  ])('%s → %s', (name, relevant) => {
    expect(isDashboardEvent(name)).toBe(relevant)
  })
})
