import { describe, expect, it } from 'vitest'
import { cannedScore, findCannedSearch, fold, insertCanned, matchCanned } from './canned'

const answers = [
  { id: 1, title: 'Greeting', body: 'Hello, thanks for contacting us! How can I help you today?' },
  { id: 2, title: 'Closing', body: 'Is there anything else I can do for you? Have a nice day!' },
  { id: 3, title: 'Refund policy', body: 'Refunds are issued within 14 days of the request.' },
  { id: 4, title: 'Shipping times', body: 'Orders ship within 2 working days; refunds for late parcels are possible.' },
  { id: 5, title: 'Cortesìa', body: 'Grazie per la pazienza.' },
]

describe('findCannedSearch', () => {
  it('finds "/" or "#" at the start or after a space, with the words typed up to the caret', () => {
    expect(findCannedSearch('/gree', 5)).toEqual({ start: 0, end: 5, query: 'gree' })
    expect(findCannedSearch('Hi! #refund pol', 15)).toEqual({ start: 4, end: 15, query: 'refund pol' })
    expect(findCannedSearch('/', 1)).toEqual({ start: 0, end: 1, query: '' })
  })

  it('looks only up to the caret', () => {
    expect(findCannedSearch('/greeting and more', 4)).toEqual({ start: 0, end: 4, query: 'gre' })
  })

  it('ignores a trigger inside a word (a URL, a date) or on an earlier line', () => {
    expect(findCannedSearch('see https://shop.test/orders', 28)).toBeNull()
    expect(findCannedSearch('21/11', 5)).toBeNull()
    expect(findCannedSearch('/greet\nand then', 15)).toBeNull()
  })

  it('ignores a lone trigger followed by a space, and long ordinary text', () => {
    expect(findCannedSearch('a / b', 5)).toBeNull()
    expect(findCannedSearch('#' + 'x'.repeat(60), 61)).toBeNull()
  })
})

describe('matchCanned', () => {
  it('lists every answer by title for a bare trigger', () => {
    expect(matchCanned(answers, '').map((a) => a.id)).toEqual([2, 5, 1, 3, 4])
  })

  it('needs every word, as the start of a word of the title or body', () => {
    expect(matchCanned(answers, 'ship days').map((a) => a.id)).toEqual([4])
    expect(matchCanned(answers, 'help today').map((a) => a.id)).toEqual([1])
    expect(matchCanned(answers, 'xyz')).toEqual([])
    expect(matchCanned(answers, 'efund')).toEqual([]) // not the start of a word
  })

  it('ranks a title starting with the search first, then titles, then bodies', () => {
    // "refund": title of 3, body of 4.
    expect(matchCanned(answers, 'refund').map((a) => a.id)).toEqual([3, 4])
    expect(cannedScore(answers[2]!, 'refund')).toBeGreaterThan(cannedScore(answers[3]!, 'refund'))
  })

  it('ignores case and accents', () => {
    expect(fold('Cortesìa')).toBe('cortesia')
    expect(matchCanned(answers, 'CORTESIA').map((a) => a.id)).toEqual([5])
    expect(matchCanned(answers, 'grazie').map((a) => a.id)).toEqual([5])
  })

  it('stops at the limit', () => {
    expect(matchCanned(answers, '', 2)).toHaveLength(2)
  })
})

describe('insertCanned', () => {
  it('replaces the search with the answer and puts the caret after it', () => {
    const text = 'Hi! /gree'
    const search = findCannedSearch(text, text.length)!
    expect(insertCanned(text, search, 'Hello there.')).toEqual({ text: 'Hi! Hello there.', caret: 16 })
  })

  it('keeps what follows the caret, with a space between', () => {
    const text = '/refthanks'
    const search = findCannedSearch(text, 4)!
    expect(insertCanned(text, search, 'Refunds take 14 days.')).toEqual({ text: 'Refunds take 14 days. thanks', caret: 22 })
  })
})
