import { describe, expect, it } from 'vitest'
import type { Contact, ContactField } from '../api/contacts'
import { dateOfText, draftOf, inputOf, textOfDate } from './form'

const field = (key: string, type: ContactField['type'], options: string[] = []): ContactField => ({
  id: 1, list_id: 1, key, label: key, type, required: false, options, position: 0,
})
const fields = [field('note', 'text'), field('visits', 'number'), field('since', 'date'), field('tier', 'select', ['gold']), field('vip', 'checkbox')]

const contact: Contact = {
  id: 7, list_id: 1, list_name: 'Customers', first_name: 'Anna', last_name: 'Rossi', company: '',
  phone: '+39333123****', mobile: '', fax: '', email: 'anna@example.com',
  tags: [{ id: 3, name: 'VIP', colour: '#f00' }], fields: { visits: 2, vip: true, since: '2024-05-01' },
  identities: [], created_at: '', updated_at: '',
}

describe('contact form', () => {
  it('fills each custom field with its value or its type\'s empty value', () => {
    expect(draftOf(contact, fields).fields).toEqual({ note: '', visits: 2, since: '2024-05-01', tier: '', vip: true })
    expect(draftOf(null, fields).fields).toEqual({ note: '', visits: null, since: '', tier: '', vip: false })
  })

  it('sends only what changed, never a masked value left as it was', () => {
    const draft = draftOf(contact, fields)
    expect(inputOf(draft, contact, fields)).toEqual({})
    draft.company = ' ACME '
    draft.fields.note = 'Calls in the morning'
    draft.fields.vip = false
    draft.tag_ids = [3, 4]
    expect(inputOf(draft, contact, fields)).toEqual({
      company: 'ACME',
      tag_ids: [3, 4],
      fields: { note: 'Calls in the morning', vip: false },
    })
  })

  it('clears a custom value with null', () => {
    const draft = draftOf(contact, fields)
    draft.fields.visits = null
    draft.fields.since = ''
    expect(inputOf(draft, contact, fields)).toEqual({ fields: { visits: null, since: null } })
  })

  it('sends every value given for a new contact', () => {
    const draft = draftOf(null, fields)
    draft.first_name = 'Luca'
    draft.fields.tier = 'gold'
    draft.fields.vip = true
    expect(inputOf(draft, null, fields)).toEqual({ first_name: 'Luca', fields: { tier: 'gold', vip: true } })
  })

  it('turns a date field\'s text into the picker\'s date and back', () => {
    expect(textOfDate(dateOfText('2024-02-29'))).toBe('2024-02-29')
    expect(dateOfText('29/02/2024')).toBeNull()
    expect(textOfDate(null)).toBe('')
  })
})
