import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/api'
import type { Message } from '../api/conversation'
import { applyDelivery, mergeMessages, playableKind } from './timeline'
import {
  missingParameters,
  outboundRefusal,
  outboundStep,
  parameterCount,
  previewTemplate,
  renderTemplate,
  templateLabel,
  windowLeft,
  windowState,
} from './whatsapp'

const T0 = Date.parse('2026-03-02T10:00:00Z')
const HOUR = 3_600_000

describe('the 24-hour window', () => {
  it('is open until its end on the server clock, then closed', () => {
    const ends = new Date(T0 + 24 * HOUR).toISOString()
    expect(windowState(ends, T0)).toEqual({ open: true, remainingMs: 24 * HOUR })
    expect(windowState(ends, T0 + 23 * HOUR + 59 * 60_000)).toEqual({ open: true, remainingMs: 60_000 })
    expect(windowState(ends, T0 + 24 * HOUR)).toEqual({ open: false, remainingMs: 0 })
    expect(windowState(ends, T0 + 25 * HOUR)).toEqual({ open: false, remainingMs: 0 })
  })

  it('is closed when the customer never wrote (no end) or the end is unreadable', () => {
    expect(windowState(null, T0).open).toBe(false)
    expect(windowState(undefined, T0).open).toBe(false)
    expect(windowState('soon', T0).open).toBe(false)
  })

  it('reads the time left in hours and minutes, rounding up', () => {
    expect(windowLeft(24 * HOUR)).toEqual({ hours: 24, minutes: 0 })
    expect(windowLeft(5 * HOUR + 30 * 60_000 + 1)).toEqual({ hours: 5, minutes: 31 })
    expect(windowLeft(59_000)).toEqual({ hours: 0, minutes: 1 })
    expect(windowLeft(0)).toEqual({ hours: 0, minutes: 0 })
  })
})

describe('templates', () => {
  const body = 'Hello {{1}}, your order {{2}} has shipped. Thanks, {{1}}!'

  it('counts parameters by the highest number', () => {
    expect(parameterCount(body)).toBe(2)
    expect(parameterCount('No parameters')).toBe(0)
    expect(parameterCount('{{ 3 }} then {{1}}')).toBe(3)
  })

  it('fills the parameters typed so far and keeps the others as {{n}}', () => {
    expect(renderTemplate(body, ['Anna', ''])).toBe('Hello Anna, your order {{2}} has shipped. Thanks, Anna!')
    expect(renderTemplate(body, ['Anna', 'A-17'])).toBe('Hello Anna, your order A-17 has shipped. Thanks, Anna!')
    expect(renderTemplate('Just text', [])).toBe('Just text')
  })

  it('marks in the preview which parameters are filled', () => {
    expect(previewTemplate('Hi {{1}} and {{2}}.', [' Anna ', ''])).toEqual([
      { text: 'Hi ', parameter: 0, filled: false },
      { text: 'Anna', parameter: 1, filled: true },
      { text: ' and ', parameter: 0, filled: false },
      { text: '{{2}}', parameter: 2, filled: false },
      { text: '.', parameter: 0, filled: false },
    ])
  })

  it('names the parameters still blank or holding what WhatsApp refuses', () => {
    const tpl = { body, parameter_count: 2 }
    expect(missingParameters(tpl, [])).toEqual([1, 2])
    expect(missingParameters(tpl, ['Anna', '  '])).toEqual([2])
    expect(missingParameters(tpl, ['An\nna', 'A-17'])).toEqual([1])
    expect(missingParameters(tpl, ['Anna', 'A-17'])).toEqual([])
    expect(missingParameters({ body: 'Hi', parameter_count: 0 }, [])).toEqual([])
  })

  it('labels a template by its name and language', () => {
    expect(templateLabel({ name: 'order_update', language: 'en_US' })).toBe('order_update · en_US')
  })
})

describe('the + dialog after a check', () => {
  it('opens his own open conversation rather than starting another', () => {
    expect(outboundStep({ interaction_id: 42, send: 'text' })).toBe('open')
    expect(outboundStep({ interaction_id: 42, send: 'template' })).toBe('open')
  })

  it('lets him write freely while the window is open', () => {
    expect(outboundStep({ interaction_id: null, send: 'text' })).toBe('text')
  })

  it('asks for a template when the window has closed or the number never wrote', () => {
    expect(outboundStep({ interaction_id: null, send: 'template' })).toBe('template')
  })

  it("says why a number is refused in the server's words (another agent, a queue, not his account)", () => {
    expect(outboundRefusal(new ApiError(409, 'conflict', 'This customer has an open conversation with Mario Rossi.'))).toBe(
      'This customer has an open conversation with Mario Rossi.',
    )
    expect(outboundRefusal(new ApiError(403, 'forbidden', 'You are not in the queue of this WhatsApp account.'))).toBe(
      'You are not in the queue of this WhatsApp account.',
    )
    // A wrong number is the form's business (its field), not a refusal.
    expect(outboundRefusal(new ApiError(400, 'invalid', 'Some fields are not valid.', { number: 'must be a phone number' }))).toBe('')
    expect(outboundRefusal(new Error('boom'))).toBe('')
  })
})

describe('WhatsApp checkmarks', () => {
  const out = (id: number, delivery: Message['delivery'], extra: Partial<Message> = {}): Message => ({
    id, direction: 'out', author_id: 7, body: `m${id}`, created_at: '2026-03-02T10:00:00Z', delivery, attachment: null, ...extra,
  })

  it('moves from the outbox (pending) to sent, delivered, read; a failure keeps the provider\'s reason', () => {
    let list = mergeMessages([], [out(1, 'pending'), out(2, 'pending')])
    list = applyDelivery(list, 1, 'sent')
    list = applyDelivery(list, 1, 'delivered')
    list = applyDelivery(list, 2, 'failed', 'Recipient phone number not in allowed list (#131030)')
    expect(list.map((m) => m.delivery)).toEqual(['delivered', 'failed'])
    expect(list[1]!.delivery_error).toBe('Recipient phone number not in allowed list (#131030)')
    expect(applyDelivery(list, 1, 'pending')).toBe(list) // never back
    // A slower copy of the message (the send's answer) does not undo the failure or lose its reason.
    list = mergeMessages(list, [out(2, 'pending')])
    expect(list[1]).toMatchObject({ delivery: 'failed', delivery_error: 'Recipient phone number not in allowed list (#131030)' })
  })

  it('plays voice notes and clips in the page, nothing else', () => {
    expect(playableKind('audio/ogg')).toBe('audio')
    expect(playableKind('audio/mpeg')).toBe('audio')
    expect(playableKind('video/mp4')).toBe('video')
    expect(playableKind('image/png')).toBeNull()
    expect(playableKind('text/html')).toBeNull()
  })
})
