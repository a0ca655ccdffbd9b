import { describe, expect, it } from 'vitest'
import { splitLinks } from './dom'
import { insertAt } from './emoji'
import { checkFile, checkForm, formatBytes, formValues, typeNames } from './form'
import type { FormField } from './protocol'

const field = (name: string, type: FormField['type'], required = true, options: string[] = []): FormField => ({ name, label: name, type, required, options })

const FORM = [field('name', 'text'), field('email', 'email'), field('phone', 'phone', false), field('topic', 'select', false, ['Orders', 'Returns']), field('message', 'textarea', false)]

describe('forms', () => {
  it('needs the required fields', () => {
    expect(checkForm(FORM, { name: '  ', email: '' })).toEqual({ name: 'required', email: 'required' })
  })

  it('checks the shape of emails and phones, and the length', () => {
    expect(checkForm(FORM, { name: 'Anna', email: 'anna@', phone: 'call me' })).toEqual({ email: 'email', phone: 'phone' })
    expect(checkForm(FORM, { name: 'Anna', email: 'anna@example.com', phone: '+39 06 1234 5678' })).toEqual({})
    expect(checkForm(FORM, { name: 'x'.repeat(1001), email: 'a@b.it' })).toEqual({ name: 'tooLong' })
  })

  it('sends the values trimmed and leaves the empty ones out', () => {
    expect(formValues(FORM, { name: ' Anna ', email: 'anna@example.com', phone: '', topic: 'Orders', stray: 'x' })).toEqual({
      name: 'Anna',
      email: 'anna@example.com',
      topic: 'Orders',
    })
  })
})

describe('files', () => {
  const rules = { enabled: true, max_bytes: 1024 * 1024, types: ['image/png', 'application/pdf'] }

  it('takes a file of an allowed type within the size', () => {
    expect(checkFile({ size: 1000, type: 'image/png' }, rules)).toBeNull()
    expect(checkFile({ size: 1000, type: 'IMAGE/PNG' }, rules)).toBeNull()
  })

  it('refuses a file when attachments are off, too large, or of another type', () => {
    expect(checkFile({ size: 1, type: 'image/png' }, { ...rules, enabled: false })).toBe('off')
    expect(checkFile({ size: rules.max_bytes + 1, type: 'image/png' }, rules)).toBe('size')
    expect(checkFile({ size: 1, type: 'text/html' }, rules)).toBe('type')
    expect(checkFile({ size: 1, type: '' }, rules)).toBe('type')
  })

  it('understands a wildcard type', () => {
    expect(checkFile({ size: 1, type: 'image/webp' }, { ...rules, types: ['image/*'] })).toBeNull()
  })

  it('writes sizes and types for people', () => {
    expect(formatBytes(10 * 1024 * 1024, 'en')).toBe('10 MB')
    expect(formatBytes(1536 * 1024, 'it')).toBe('1,5 MB')
    expect(formatBytes(800, 'en')).toBe('800 B')
    expect(typeNames(['image/png', 'image/jpeg', 'application/pdf', 'text/plain'])).toBe('PNG, JPEG, PDF, TXT')
  })
})

describe('emoji', () => {
  it('goes in place of the selection, the caret after it', () => {
    expect(insertAt('Hi there', 2, 2, ' 👋')).toEqual({ text: 'Hi 👋 there', caret: 5 })
    expect(insertAt('Hi there', 3, 8, '🙂')).toEqual({ text: 'Hi 🙂', caret: 5 })
    expect(insertAt('', 4, 9, '👍')).toEqual({ text: '👍', caret: 2 })
  })
})

describe('links in messages', () => {
  it('finds http and https addresses, leaving the closing punctuation out', () => {
    expect(splitLinks('See https://shop.example.com/track?id=4, or http://x.it/a.')).toEqual([
      { text: 'See ', link: false },
      { text: 'https://shop.example.com/track?id=4', link: true },
      { text: ', or ', link: false },
      { text: 'http://x.it/a', link: true },
      { text: '.', link: false },
    ])
  })

  it('leaves other schemes as text', () => {
    expect(splitLinks('javascript:alert(1) ftp://x.it')).toEqual([{ text: 'javascript:alert(1) ftp://x.it', link: false }])
  })
})
