import { api, apiUrl, type QueryParam } from './api'
import type { Named } from './types'

// The Contact Manager's contacts (docs/api.md, "The Contact Manager"):
// search (quick, by list and tags, advanced conditions) a page at a time
// with a cursor, one contact, create, change, delete, merge, copy, the
// customer journey, My Contacts, the lists the caller may use, and the CSV
// export. Masked values arrive masked: the browser shows them as they come.
// Lists administration and imports are in contactLists.ts and contactImports.ts.

/** Custom field types a list's field can have. */
export const CONTACT_FIELD_TYPES = ['text', 'number', 'date', 'select', 'checkbox'] as const
export type ContactFieldType = (typeof CONTACT_FIELD_TYPES)[number]

/** A list's custom field; key names it in contacts' fields, searches and CSV. */
export interface ContactField {
  id: number
  list_id: number
  key: string
  label: string
  type: ContactFieldType
  required: boolean
  /** A select's choices. */
  options: string[]
  position: number
}

/** What the caller may do with a list's contacts. */
export type ContactAccess = 'read' | 'edit'

/** A list as its user sees it in the Contact Manager (GET /contact-lists). */
export interface ContactListAccess {
  id: number
  name: string
  description: string
  access: ContactAccess
  fields: ContactField[]
}

/** The ways a channel names a customer. */
export const IDENTITY_KINDS = ['whatsapp', 'phone', 'email', 'chat', 'openchannel'] as const
export type IdentityKind = (typeof IDENTITY_KINDS)[number]

export interface ContactIdentity {
  kind: IdentityKind | string
  value: string
}

export interface ContactTag {
  id: number
  name: string
  colour: string
}

/** A custom value: a number for a number field, a boolean for a checkbox, text otherwise. */
export type ContactFieldValue = string | number | boolean | null

export interface Contact {
  id: number
  list_id: number
  list_name: string
  first_name: string
  last_name: string
  company: string
  phone: string
  mobile: string
  fax: string
  email: string
  tags: ContactTag[]
  fields: Record<string, ContactFieldValue>
  identities: ContactIdentity[]
  created_at: string
  updated_at: string
}

/** A contact as sent to create or change one: what is left out stays as it is. */
export interface ContactInput {
  list_id?: number
  first_name?: string
  last_name?: string
  company?: string
  phone?: string
  mobile?: string
  fax?: string
  email?: string
  /** Custom values by key; null clears one. */
  fields?: Record<string, ContactFieldValue>
  /** Replaces the whole set. */
  tag_ids?: number[]
}

export interface ContactPage {
  items: Contact[]
  /** Where the next page starts; null on the last page. */
  next_cursor: string | null
}

/** Operators of an advanced condition (which apply depends on the field's type). */
export type ConditionOp = 'equals' | 'contains' | 'before' | 'after' | 'greater' | 'less' | 'set' | 'not_set'

/** One advanced condition: a standard field's name or a custom field's key. */
export interface ContactCondition {
  field: string
  op: ConditionOp
  value?: string
}

export interface ContactSearch {
  /** Quick search: names, company, email, a phone number in any format, an identity. */
  q?: string
  list_ids?: number[]
  tag_ids?: number[]
  where?: ContactCondition[]
  cursor?: string | null
  limit?: number
}

/** One interaction of a contact's customer journey. */
export interface ContactJourneyEntry {
  id: number
  channel: string
  subject: string
  status: string
  created_at: string
  closed_at: string | null
  contact_name: string
  account: { id: number; name: string; channel: string } | null
  /** Who handled it: its owner, else the first agent; null when nobody managed it. */
  agent: Named | null
  disposition: Named | null
  tags: ContactTag[]
  /** The caller may open it (the interaction lists' rule). */
  can_open: boolean
}

export interface ContactJourneyPage {
  items: ContactJourneyEntry[]
  next_cursor: string | null
}

/** A condition as the API writes it: field:op[:value]. */
export function conditionParam(c: ContactCondition): string {
  return c.op === 'set' || c.op === 'not_set' || c.value === undefined ? `${c.field}:${c.op}` : `${c.field}:${c.op}:${c.value}`
}

/** The query of a search, as GET /contacts and the export take it. */
export function contactSearchQuery(search: ContactSearch): Record<string, QueryParam> {
  return {
    q: search.q?.trim() || undefined,
    list_id: search.list_ids ?? [],
    tag_id: search.tag_ids ?? [],
    where: (search.where ?? []).map(conditionParam),
    cursor: search.cursor ?? undefined,
    limit: search.limit,
  }
}

/** The server may leave out empty lists and empty texts; put them back. */
export function normalizeContact(c: Contact): Contact {
  return {
    ...c,
    list_name: c.list_name ?? '',
    first_name: c.first_name ?? '',
    last_name: c.last_name ?? '',
    company: c.company ?? '',
    phone: c.phone ?? '',
    mobile: c.mobile ?? '',
    fax: c.fax ?? '',
    email: c.email ?? '',
    tags: c.tags ?? [],
    fields: c.fields ?? {},
    identities: c.identities ?? [],
  }
}

function normalizePage(page: ContactPage): ContactPage {
  return { items: (page.items ?? []).map(normalizeContact), next_cursor: page.next_cursor ?? null }
}

function normalizeJourneyEntry(e: ContactJourneyEntry): ContactJourneyEntry {
  return {
    ...e,
    subject: e.subject ?? '',
    closed_at: e.closed_at ?? null,
    contact_name: e.contact_name ?? '',
    account: e.account ?? null,
    agent: e.agent ?? null,
    disposition: e.disposition ?? null,
    tags: e.tags ?? [],
    can_open: e.can_open ?? false,
  }
}

/** How a contact is called: first and last name. */
export function contactName(c: Pick<Contact, 'first_name' | 'last_name'>): string {
  return `${c.first_name} ${c.last_name}`.trim()
}

export function searchContacts(search: ContactSearch, signal?: AbortSignal): Promise<ContactPage> {
  return api.get<ContactPage>('/contacts', { query: contactSearchQuery(search), signal }).then(normalizePage)
}

/** My Contacts: the contacts the agent edited or served, in any list. */
export function myContacts(search: ContactSearch, signal?: AbortSignal): Promise<ContactPage> {
  return api.get<ContactPage>('/me/contacts', { query: contactSearchQuery(search), signal }).then(normalizePage)
}

export function getContact(id: number): Promise<Contact> {
  return api.get<Contact>(`/contacts/${id}`).then(normalizeContact)
}

export function createContact(input: ContactInput & { list_id: number }): Promise<Contact> {
  return api.post<Contact>('/contacts', input).then(normalizeContact)
}

export function updateContact(id: number, patch: ContactInput): Promise<Contact> {
  return api.patch<Contact>(`/contacts/${id}`, patch).then(normalizeContact)
}

export function deleteContact(id: number): Promise<void> {
  return api.delete<void>(`/contacts/${id}`)
}

/** Contacts that could be merged into this one, by first or last name, email or phone. */
export function mergeCandidates(id: number, q: string, signal?: AbortSignal): Promise<Contact[]> {
  return api
    .get<{ items: Contact[] | null }>(`/contacts/${id}/merge-candidates`, { query: { q: q.trim() }, signal })
    .then((r) => (r.items ?? []).map(normalizeContact))
}

/** Merges the other contact into this one; the answer is the survivor. */
export function mergeContact(id: number, otherId: number): Promise<Contact> {
  return api.post<Contact>(`/contacts/${id}/merge`, { other_id: otherId }).then(normalizeContact)
}

/** Copies a contact into another list (without its identities); the answer is the copy. */
export function copyContact(id: number, listId: number): Promise<Contact> {
  return api.post<Contact>(`/contacts/${id}/copy`, { list_id: listId }).then(normalizeContact)
}

export function contactJourney(
  id: number,
  page: { cursor?: string | null; limit?: number; order?: 'asc' | 'desc' } = {},
  signal?: AbortSignal,
): Promise<ContactJourneyPage> {
  return api
    .get<ContactJourneyPage>(`/contacts/${id}/journey`, {
      query: { cursor: page.cursor ?? undefined, limit: page.limit, order: page.order },
      signal,
    })
    .then((r) => ({ items: (r.items ?? []).map(normalizeJourneyEntry), next_cursor: r.next_cursor ?? null }))
}

/** The lists the caller may use, his access to each and their fields. */
export function contactLists(): Promise<ContactListAccess[]> {
  return api.get<{ items: ContactListAccess[] | null }>('/contact-lists').then((r) =>
    (r.items ?? []).map((l) => ({
      ...l,
      description: l.description ?? '',
      fields: (l.fields ?? []).map((f) => ({ ...f, options: f.options ?? [] })),
    })),
  )
}

/** The download URL of a search as CSV (every page; the cookie is enough for a GET). */
export function exportContactsUrl(search: ContactSearch): string {
  return apiUrl('/contacts/export.csv', contactSearchQuery({ ...search, cursor: null, limit: undefined }))
}
