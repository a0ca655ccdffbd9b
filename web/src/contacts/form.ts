import type { Contact, ContactField, ContactFieldValue, ContactInput } from '../api/contacts'

// The contact form's draft and what it sends. An edit sends only what
// changed: values the caller sees masked stay as they are on the server
// (sending the masked text back would overwrite the real one).

/** The contact's own fields, in the order the form shows them. */
export const STANDARD_FIELDS = ['first_name', 'last_name', 'company', 'phone', 'mobile', 'fax', 'email'] as const
export type StandardField = (typeof STANDARD_FIELDS)[number]

export interface ContactDraft {
  first_name: string
  last_name: string
  company: string
  phone: string
  mobile: string
  fax: string
  email: string
  tag_ids: number[]
  /** Custom values by key: text for text, date (YYYY-MM-DD) and select, a number or null, a boolean. */
  fields: Record<string, ContactFieldValue>
}

/** A custom field's value in the form: what the server gave, or the type's empty value. */
function formValue(field: ContactField, value: ContactFieldValue | undefined): ContactFieldValue {
  switch (field.type) {
    case 'checkbox':
      return value === true
    case 'number':
      return typeof value === 'number' ? value : null
    default:
      return typeof value === 'string' ? value : ''
  }
}

/** The value sent for a custom field: an empty one is null (no value). */
function sentValue(field: ContactField, value: ContactFieldValue | undefined): ContactFieldValue {
  if (field.type === 'checkbox') return value === true
  if (value === undefined || value === null) return null
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim()
  return value
}

/** The form's draft of a contact (or of a new one in a list with these fields). */
export function draftOf(contact: Contact | null, fields: readonly ContactField[]): ContactDraft {
  const values: Record<string, ContactFieldValue> = {}
  for (const field of fields) values[field.key] = formValue(field, contact?.fields[field.key])
  return {
    first_name: contact?.first_name ?? '',
    last_name: contact?.last_name ?? '',
    company: contact?.company ?? '',
    phone: contact?.phone ?? '',
    mobile: contact?.mobile ?? '',
    fax: contact?.fax ?? '',
    email: contact?.email ?? '',
    tag_ids: contact ? contact.tags.map((t) => t.id) : [],
    fields: values,
  }
}

const sameIds = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && [...a].sort((x, y) => x - y).every((id, n) => id === [...b].sort((x, y) => x - y)[n])

/**
 * What to send for the draft: for a new contact every value given; for an
 * edit only what differs from the contact as loaded. Empty when nothing changed.
 */
export function inputOf(draft: ContactDraft, original: Contact | null, fields: readonly ContactField[]): ContactInput {
  const before = draftOf(original, fields)
  const input: ContactInput = {}
  for (const key of STANDARD_FIELDS) {
    const value = draft[key].trim()
    if (original ? value !== before[key].trim() : value !== '') input[key] = value
  }
  if (original ? !sameIds(draft.tag_ids, before.tag_ids) : draft.tag_ids.length > 0) input.tag_ids = [...draft.tag_ids]
  const changed: Record<string, ContactFieldValue> = {}
  for (const field of fields) {
    const value = sentValue(field, draft.fields[field.key])
    const was = original ? sentValue(field, before.fields[field.key]) : field.type === 'checkbox' ? false : null
    if (value !== was) changed[field.key] = value
  }
  if (Object.keys(changed).length) input.fields = changed
  return input
}

/** A date field's text (YYYY-MM-DD) as the date picker's Date, and back, in local time. */
export function dateOfText(text: ContactFieldValue): Date | null {
  if (typeof text !== 'string') return null
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null
}

export function textOfDate(date: Date | null | undefined): string {
  if (!date) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
