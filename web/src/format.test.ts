import { describe, expect, it } from 'vitest'
import { firstLine, formatElapsed, initials } from './format'

describe('formatElapsed', () => {
  it.each([
    [0, '00:00:00'],
    [59_999, '00:00:59'],
    [61_000, '00:01:01'],
    [3_600_000 * 9 + 5_000, '09:00:05'],
    [3_600_000 * 27, '27:00:00'],
    [-5_000, '00:00:00'], // the browser clock runs behind the server's
  ])('%d ms is %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text)
  })
})

describe('initials', () => {
  it.each([
    ['Mario Rossi', 'mario.rossi', 'MR'],
    ['Anna Maria De Luca', 'adeluca', 'AL'],
    ['Administrator', 'admin', 'A'],
    ['', 'admin', 'AD'],
    ['élodie bernard', 'eb', 'ÉB'],
  ])('%s (%s) is %s', (name, username, expected) => {
    expect(initials(name, username)).toBe(expected)
  })
})

describe('firstLine', () => {
  it.each([
    ['Hello,\nthanks for writing.', 'Hello,'],
    ['\n\n   \n  Dear customer  \nmore', 'Dear customer'],
    ['One line only', 'One line only'],
    ['Windows\r\nline ends', 'Windows'],
    ['Old Mac\rline ends', 'Old Mac'],
    ['', ''],
    ['  \n\t\n', ''],
  ])('of %j is %j', (text, line) => {
    expect(firstLine(text)).toBe(line)
  })

  it('is empty for no text', () => {
    expect(firstLine(null)).toBe('')
    expect(firstLine(undefined)).toBe('')
  })

  it('cuts a long line with an ellipsis, within the limit', () => {
    const line = firstLine('a'.repeat(100), 20)
    expect(line).toBe('a'.repeat(19) + '…')
    expect(Array.from(line)).toHaveLength(20)
    expect(firstLine('a'.repeat(20), 20)).toBe('a'.repeat(20))
    expect(firstLine('word '.repeat(10), 12)).toBe('word word w…')
  })

  it('never splits an emoji or accented letter', () => {
    expect(firstLine('😀'.repeat(10), 5)).toBe('😀😀😀😀…')
  })
})
