import { describe, expect, it } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import { normalizeInteraction, type InteractionDetail } from '../api/conversation'
import type { ContactField, ContactJourneyEntry, ContactListAccess } from '../api/contacts'
import { OWN_FIELDS, inputNames } from '../components/conversation/ContactFields.vue'
import { draftOf } from '../contacts/form'
import en from '../i18n/locales/en.json'
import itMessages from '../i18n/locales/it.json'
import {
  contactOf,
  editableLists,
  fieldText,
  journeyRows,
  linkInteractionContact,
  prefillDraft,
  splitName,
  touchesJourney,
} from './contactPanel'

function interaction(over: Partial<InteractionDetail> & { contact?: unknown } = {}): InteractionDetail {
  return normalizeInteraction({
    id: 10,
    channel: 'chat',
    queue_id: 1,
    subject: '',
    status: 'open',
    owner_id: 2,
    first_agent_id: 2,
    priority: 0,
    enqueued_at: '2026-11-21T10:00:00Z',
    created_at: '2026-11-21T10:00:00Z',
    closed_at: null,
    ...over,
  } as Parameters<typeof normalizeInteraction>[0])
}

const entry = (id: number, created: string, canOpen = true): ContactJourneyEntry => ({
  id,
  channel: 'chat',
  subject: '',
  status: 'closed',
  created_at: created,
  closed_at: null,
  contact_name: 'Anna',
  account: null,
  agent: null,
  disposition: null,
  tags: [],
  can_open: canOpen,
})

describe('the contact of the interaction on screen', () => {
  it('is the view’s contact, or none', () => {
    expect(contactOf(interaction({ contact: { id: 4, list_id: 1, name: 'Anna' } }))).toEqual({ id: 4, list_id: 1, name: 'Anna' })
    expect(contactOf(interaction({ contact: null }))).toBeNull()
    expect(contactOf(interaction())).toBeNull()
  })

  it('may be created only in the lists the caller may edit', () => {
    const lists = [
      { id: 1, name: 'Customers', access: 'read' },
      { id: 2, name: 'Leads', access: 'edit' },
    ] as ContactListAccess[]
    expect(editableLists(lists).map((l) => l.name)).toEqual(['Leads'])
  })
})

describe('a new contact from what the customer told us', () => {
  const fields: ContactField[] = [{ id: 1, list_id: 2, key: 'vip', label: 'VIP', type: 'checkbox', required: false, options: [], position: 1 }]

  it('takes the name, email, phone and company of the chat form', () => {
    const it = interaction({
      contact_name: 'Someone Else',
      form: [
        { name: 'name', label: 'Your name', value: 'Anna Maria Bianchi' },
        { name: 'mail', label: 'E-mail', value: 'anna@example.com' },
        { name: 'phone', label: 'Phone', value: '+39 333 123 4567' },
        { name: 'company', label: 'Company', value: 'Acme' },
        { name: 'message', label: 'Message', value: 'Hello, my order is late' },
      ],
    } as Partial<InteractionDetail>)
    const draft = prefillDraft(it, draftOf(null, fields))
    expect(draft).toMatchObject({
      first_name: 'Anna Maria',
      last_name: 'Bianchi',
      email: 'anna@example.com',
      phone: '+39 333 123 4567',
      company: 'Acme',
      mobile: '',
      fields: { vip: false },
    })
  })

  it('falls back on the interaction’s contact name and leaves the rest empty', () => {
    const draft = prefillDraft(interaction({ contact_name: 'Bruno' }), draftOf(null, []))
    expect(draft).toMatchObject({ first_name: 'Bruno', last_name: '', email: '', phone: '', company: '' })
  })

  it('splits a name at its last word', () => {
    expect(splitName('  Anna   Maria Bianchi ')).toEqual({ first_name: 'Anna Maria', last_name: 'Bianchi' })
    expect(splitName('Anna')).toEqual({ first_name: 'Anna', last_name: '' })
    expect(splitName('')).toEqual({ first_name: '', last_name: '' })
  })
})

describe('the card', () => {
  const field = (type: ContactField['type']): ContactField => ({ id: 1, list_id: 1, key: 'k', label: 'K', type, required: false, options: [], position: 0 })
  const yesNo = (v: boolean) => (v ? 'Yes' : 'No')

  it('shows custom values as text and hides the empty ones', () => {
    expect(fieldText(field('number'), 12.5, yesNo)).toBe('12.5')
    expect(fieldText(field('date'), '2026-01-31', yesNo)).toBe('2026-01-31')
    expect(fieldText(field('checkbox'), true, yesNo)).toBe('Yes')
    expect(fieldText(field('checkbox'), false, yesNo)).toBe('')
    expect(fieldText(field('text'), '', yesNo)).toBe('')
    expect(fieldText(field('select'), null, yesNo)).toBe('')
    expect(fieldText(field('text'), undefined, yesNo)).toBe('')
  })

  it('places the server’s errors under the contact’s own fields and the list’s custom ones', () => {
    expect(inputNames([field('text')])).toEqual(['first_name', 'last_name', 'company', 'phone', 'mobile', 'email', 'fields.k'])
  })

  it('names every field it edits in both languages', () => {
    for (const name of OWN_FIELDS) {
      expect(typeof (en.contactPanel.fields as Record<string, string>)[name], name).toBe('string')
      expect(typeof (itMessages.contactPanel.fields as Record<string, string>)[name], `it ${name}`).toBe('string')
    }
  })
})

describe('the journey', () => {
  it('lists his interactions oldest first, marks the one on screen, and opens only what the server allows', () => {
    const rows = journeyRows(
      [entry(12, '2026-11-21T11:00:00Z'), entry(10, '2026-11-20T09:00:00Z', false), entry(11, '2026-11-21T11:00:00Z')],
      11,
    )
    expect(rows.map((r) => [r.entry.id, r.current, r.opens])).toEqual([
      [10, false, false],
      [11, true, false],
      [12, false, true],
    ])
  })

  it('is read again for events about his interactions, not for the chatter', () => {
    const ids = new Set([10, 11])
    const ev = (event: string, data: Record<string, unknown>) => ({ id: 1, event, at: '', data })
    expect(touchesJourney(ev('interaction.closed', { interaction_id: 11 }), 4, ids)).toBe(true)
    expect(touchesJourney(ev('interaction.disposed', { interaction_id: 99 }), 4, ids)).toBe(false)
    expect(touchesJourney(ev('interaction.contact_linked', { interaction_id: 99, contact_id: 4 }), 4, ids)).toBe(true)
    expect(touchesJourney(ev('interaction.watchers_changed', { interaction_id: 11 }), 4, ids)).toBe(false)
    expect(touchesJourney(ev('message.received', { interaction_id: 11 }), 4, ids)).toBe(false)
  })
})

describe('linking the interaction to a contact', () => {
  const { fetchMock } = useFetchMock('csrf-1')

  it('puts the contact id and answers the interaction as the panel reads it', async () => {
    fetchMock.mockImplementation(
      async () =>
        new Response(
          JSON.stringify({ id: 10, channel: 'chat', status: 'open', created_at: '2026-11-21T10:00:00Z', contact_id: 4, contact: { id: 4, list_id: 1, name: 'Anna' } }),
          { status: 200 },
        ),
    )
    const it = await linkInteractionContact(10, 4)
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/v1/interactions/10/contact')
    expect(init.method).toBe('PUT')
    expect(JSON.parse(String(init.body))).toEqual({ contact_id: 4 })
    expect(contactOf(it)?.name).toBe('Anna')
    expect(it.form).toEqual([])
  })
})
