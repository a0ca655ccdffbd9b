import { describe, expect, it } from 'vitest'
import { dictionaries, translator, widgetLocale } from './i18n'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('widget texts', () => {
  it('has the same keys in English and Italian', () => {
    expect(Object.keys(dictionaries.it).sort()).toEqual(Object.keys(dictionaries.en).sort())
  })

  it('has the same placeholders in both languages, and no empty text', () => {
    for (const [key, text] of Object.entries(dictionaries.en)) {
      const italian = dictionaries.it[key as keyof typeof dictionaries.it]
      expect(placeholders(italian), key).toEqual(placeholders(text))
      expect(text.trim(), key).not.toBe('')
      expect(italian.trim(), key).not.toBe('')
    }
  })

  it('speaks the browser’s language when it can, else the website’s, else English', () => {
    expect(widgetLocale(['it-IT', 'en'])).toBe('it')
    expect(widgetLocale(['de-DE', 'en-GB'], 'it')).toBe('en')
    expect(widgetLocale(['de-DE'], 'it')).toBe('it')
    expect(widgetLocale(['fr'], 'de')).toBe('en')
    expect(widgetLocale([], undefined)).toBe('en')
  })

  it('fills in the values', () => {
    const t = translator('it')
    expect(t('agentJoined', { name: 'Mario' })).toBe('Mario è entrato nella chat')
    expect(translator('en')('chattingWith', {})).toBe('You are chatting with {name}')
  })
})
