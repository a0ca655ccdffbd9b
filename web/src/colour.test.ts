import { describe, expect, it } from 'vitest'
import { contrastRatio, isHexColour, normalizeHex, readableTextColour } from './colour'

describe('isHexColour', () => {
  it.each([
    ['#1a2b3c', true],
    ['#ABCDEF', true],
    ['#000000', true],
    ['1a2b3c', false],
    ['#abc', false],
    ['#1a2b3g', false],
    ['#1a2b3c4d', false],
    ['', false],
    [' #1a2b3c', false],
  ])('%j is %s', (value, ok) => {
    expect(isHexColour(value)).toBe(ok)
  })
})

describe('normalizeHex', () => {
  it.each([
    ['#1A2B3C', '#1a2b3c'],
    ['1a2b3c', '#1a2b3c'],
    ['  #ff0000 ', '#ff0000'],
    ['#abc', '#aabbcc'],
    ['F0A', '#ff00aa'],
  ])('%j becomes %s', (value, hex) => {
    expect(normalizeHex(value)).toBe(hex)
  })

  it.each(['', '#', '#12', '#12345', '#1234567', 'red', '#gggggg', '##123456'])('refuses %j', (value) => {
    expect(normalizeHex(value)).toBeNull()
  })
})

describe('readableTextColour', () => {
  it.each([
    ['#ffffff', '#000000'],
    ['#000000', '#ffffff'],
    ['#ffeb3b', '#000000'], // yellow
    ['#1d4ed8', '#ffffff'], // dark blue
    ['#dc2626', '#ffffff'], // red
    ['#22c55e', '#000000'], // light green
    ['#808080', '#000000'], // mid grey: black contrasts a little more
    ['#ABC', '#000000'], // short and upper case are fine
  ])('on %s writes %s', (background, text) => {
    expect(readableTextColour(background)).toBe(text)
  })

  it('falls back to black on something that is no colour', () => {
    expect(readableTextColour('not a colour')).toBe('#000000')
  })

  it('always reaches at least the WCAG large-text contrast', () => {
    for (let v = 0; v < 256; v += 15) {
      for (const hex of [`#${v.toString(16).padStart(2, '0').repeat(3)}`, `#ff${v.toString(16).padStart(2, '0')}00`, `#00${v.toString(16).padStart(2, '0')}ff`]) {
        expect(contrastRatio(hex, readableTextColour(hex)), hex).toBeGreaterThanOrEqual(3)
      }
    }
  })
})
