import { describe, expect, it } from 'vitest'
import { detectLocale } from './locale'

describe('detectLocale', () => {
  it('keeps the stored choice', () => {
    expect(detectLocale('it', ['en-US'])).toBe('it')
    expect(detectLocale('en', ['it-IT'])).toBe('en')
  })

  it('follows an Italian browser', () => {
    expect(detectLocale(null, ['it-IT', 'en'])).toBe('it')
    expect(detectLocale(null, ['it'])).toBe('it')
  })

  it('falls back to English for any other language', () => {
    expect(detectLocale(null, ['de-DE', 'it'])).toBe('en')
    expect(detectLocale(null, [])).toBe('en')
    expect(detectLocale('fr', ['fr-FR'])).toBe('en')
  })
})
