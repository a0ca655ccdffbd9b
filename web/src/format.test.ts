import { describe, expect, it } from 'vitest'
import { formatElapsed, initials } from './format'

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
