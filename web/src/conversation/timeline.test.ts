import { describe, expect, it } from 'vitest'
import type { Message, Note } from '../api/conversation'
import { applyDelivery, buildTimeline, deliveryAdvances, deliveryMark, formatBytes, isImage, lastMessageId, mergeMessages, mergeNotes } from './timeline'

function msg(id: number, patch: Partial<Message> = {}): Message {
  return {
    id,
    direction: 'out',
    author_id: 2,
    body: `message ${id}`,
    created_at: `2026-11-21T10:00:${String(id).padStart(2, '0')}Z`,
    delivery: 'sent',
    attachment: null,
    ...patch,
  }
}

function note(id: number, at: string): Note {
  return { id, author_id: 7, body: `note ${id}`, created_at: at }
}

describe('mergeMessages', () => {
  it('keeps each message once, in id order, whatever the order they arrive in', () => {
    let list: Message[] = []
    list = mergeMessages(list, [msg(3)]) // a live event first
    list = mergeMessages(list, [msg(1), msg(2), msg(3)]) // then the first load's answer
    list = mergeMessages(list, [msg(3), msg(4)]) // the send's answer and a catch-up fetch
    expect(list.map((m) => m.id)).toEqual([1, 2, 3, 4])
  })

  it('answers the same array when nothing is new, so nothing re-renders', () => {
    const list = mergeMessages([], [msg(1), msg(2)])
    expect(mergeMessages(list, [msg(2)])).toBe(list)
    expect(mergeMessages(list, [])).toBe(list)
  })

  it('never moves a delivery state back when an older copy arrives late', () => {
    let list = mergeMessages([], [msg(1, { delivery: 'read' })])
    list = mergeMessages(list, [msg(1, { delivery: 'sent' })])
    expect(list[0]!.delivery).toBe('read')
  })

  it('takes a newer copy of a message (its body, its file)', () => {
    let list = mergeMessages([], [msg(1)])
    list = mergeMessages(list, [msg(1, { attachment: { id: 9, name: 'a.pdf', content_type: 'application/pdf', size: 10 }, delivery: 'delivered' })])
    expect(list[0]!.attachment?.id).toBe(9)
    expect(list[0]!.delivery).toBe('delivered')
  })
})

describe('delivery', () => {
  it('moves only forward: sent → delivered → read; failed ends it', () => {
    expect(deliveryAdvances('sent', 'delivered')).toBe(true)
    expect(deliveryAdvances('delivered', 'read')).toBe(true)
    expect(deliveryAdvances('sent', 'read')).toBe(true)
    expect(deliveryAdvances('read', 'delivered')).toBe(false)
    expect(deliveryAdvances('delivered', 'sent')).toBe(false)
    expect(deliveryAdvances('sent', 'failed')).toBe(true)
    expect(deliveryAdvances('read', 'failed')).toBe(false)
    expect(deliveryAdvances('failed', 'read')).toBe(false)
  })

  it('applies an event to the one message it names', () => {
    const list = mergeMessages([], [msg(1), msg(2)])
    const next = applyDelivery(list, 2, 'delivered')
    expect(next.map((m) => m.delivery)).toEqual(['sent', 'delivered'])
    expect(applyDelivery(next, 2, 'sent')).toBe(next)
    expect(applyDelivery(next, 99, 'read')).toBe(next)
  })

  it('shows one tick for sent, two for delivered, two coloured for read, a clear mark for failed', () => {
    expect(deliveryMark('sending')).toMatchObject({ ticks: 0, read: false, failed: false })
    expect(deliveryMark('sent')).toMatchObject({ ticks: 1, read: false, failed: false })
    expect(deliveryMark('delivered')).toMatchObject({ ticks: 2, read: false, failed: false })
    expect(deliveryMark('read')).toMatchObject({ ticks: 2, read: true, failed: false })
    expect(deliveryMark('failed')).toMatchObject({ ticks: 1, failed: true }) // a single check: a problem
    expect(deliveryMark('pending')).toMatchObject({ ticks: 0, failed: false, label: 'conversation.delivery.pending' })
    expect(deliveryMark('read').label).toBe('conversation.delivery.read')
  })
})

describe('notes and the time line', () => {
  it('merges notes once each', () => {
    let notes = mergeNotes([], [note(1, '2026-11-21T10:00:00Z')])
    notes = mergeNotes(notes, [note(1, '2026-11-21T10:00:00Z'), note(2, '2026-11-21T10:01:00Z')])
    expect(notes.map((n) => n.id)).toEqual([1, 2])
  })

  it('interleaves notes with messages by time, after a message of the same instant', () => {
    const messages = [msg(1), msg(2), msg(3)]
    const notes = [note(10, '2026-11-21T10:00:02Z'), note(11, '2026-11-21T10:00:02.5Z'), note(12, '2026-11-21T11:00:00Z')]
    const keys = buildTimeline(messages, notes).filter((e) => e.kind !== 'day').map((e) => e.key)
    expect(keys).toEqual(['m1', 'm2', 'n10', 'n11', 'm3', 'n12'])
  })

  it('keeps messages in the server order even when their clocks disagree', () => {
    const messages = [msg(1, { created_at: '2026-11-21T10:00:05Z' }), msg(2, { created_at: '2026-11-21T10:00:04Z' })]
    const keys = buildTimeline(messages, []).filter((e) => e.kind === 'message').map((e) => e.key)
    expect(keys).toEqual(['m1', 'm2'])
  })

  it('puts a day separator before the first entry of each day', () => {
    const messages = [msg(1, { created_at: '2026-11-20T12:00:00' }), msg(2, { created_at: '2026-11-20T13:00:00' }), msg(3, { created_at: '2026-11-21T09:00:00' })]
    const kinds = buildTimeline(messages, []).map((e) => e.kind)
    expect(kinds).toEqual(['day', 'message', 'message', 'day', 'message'])
  })

  it('knows where to catch up from', () => {
    expect(lastMessageId([])).toBe(0)
    expect(lastMessageId(mergeMessages([], [msg(4), msg(7)]))).toBe(7)
  })
})

describe('files', () => {
  it('shows the usual pictures as thumbnails, not other files', () => {
    expect(isImage('image/png')).toBe(true)
    expect(isImage('image/jpeg')).toBe(true)
    expect(isImage('image/svg+xml')).toBe(false)
    expect(isImage('application/pdf')).toBe(false)
  })

  it('writes sizes for people', () => {
    expect(formatBytes(820)).toBe('820 B')
    expect(formatBytes(14 * 1024)).toBe('14 KB')
    expect(formatBytes(2.34 * 1024 * 1024)).toBe('2.3 MB')
    expect(formatBytes(2.34 * 1024 * 1024, 'it')).toBe('2,3 MB')
  })
})
