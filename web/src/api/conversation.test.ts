import { describe, expect, it } from 'vitest'
import { normalizeForm, normalizeInteraction, normalizeMessage, type Message } from './conversation'

describe('normalizeForm', () => {
  it('reads the server shape: name → {label, value}, in order', () => {
    expect(normalizeForm({ name: { label: 'Name', value: 'Anna' }, order: { label: 'Order number', value: '4411' } })).toEqual([
      { name: 'name', label: 'Name', value: 'Anna' },
      { name: 'order', label: 'Order number', value: '4411' },
    ])
  })

  it('reads a list of answers, and plain values named by their field', () => {
    expect(normalizeForm([{ name: 'email', label: 'Email', value: 'a@b.it' }])).toEqual([{ name: 'email', label: 'Email', value: 'a@b.it' }])
    expect(normalizeForm({ phone: '+39 02 123' })).toEqual([{ name: 'phone', label: 'phone', value: '+39 02 123' }])
  })

  it('leaves out empty answers and anything else', () => {
    expect(normalizeForm({ name: { label: 'Name', value: '  ' }, x: null })).toEqual([])
    expect(normalizeForm(null)).toEqual([])
    expect(normalizeForm('text')).toEqual([])
  })
})

describe('normalizeInteraction', () => {
  it('fills what the server leaves out', () => {
    const it = normalizeInteraction({ id: 1, channel: 'chat', queue_id: 2, subject: '', status: 'open', owner_id: 3, created_at: 'x', closed_at: null })
    expect(it).toMatchObject({ tags: [], unread: 0, watching: [], form: [], sub_status: null, disposition: null, account: null, contact_name: '' })
  })

  it('takes the account from a name when there is no account object', () => {
    const it = normalizeInteraction({ id: 1, channel: 'chat', queue_id: 2, subject: '', status: 'open', owner_id: 3, created_at: 'x', closed_at: null, account_id: 4, account_name: 'Demo shop' } as never)
    expect(it.account).toEqual({ id: 4, name: 'Demo shop' })
  })
})

describe('normalizeMessage', () => {
  it('gives every message a known delivery state and an attachment field', () => {
    const m = normalizeMessage({ id: 1, direction: 'in', author_id: null, body: 'hi', created_at: 'x', delivery: 'weird' } as unknown as Message)
    expect(m.delivery).toBe('sent')
    expect(m.attachment).toBeNull()
  })
})
