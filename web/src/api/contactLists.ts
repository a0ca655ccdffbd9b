import { api } from './api'
import { CONTACT_FIELD_TYPES, type ContactAccess, type ContactField, type ContactFieldType } from './contacts'
import type { ContactList, ListQuery, Page } from './types'
import type { PickableAgent } from '../components/routing/pickableAgent'

// The Contact Manager's lists as the console configures them: the lists
// themselves, each list's custom fields (in order), and the agents allowed
// to use a list (read, or edit too). Users see only their profile's lists.
// The types are the ones the contacts pages use (contacts.ts, types.ts).

export type { ContactList }

/** The types a custom field can hold (contacts.FieldTypes on the server). */
export const LIST_FIELD_TYPES = CONTACT_FIELD_TYPES
export type ListFieldType = ContactFieldType

/** What an agent may do with a list's contacts. */
export const LIST_ACCESS = ['read', 'edit'] as const satisfies readonly ContactAccess[]
export type ListAccess = ContactAccess

/** A list's custom field; key names it in contacts' fields, searches and CSV imports. */
export type ListField = ContactField

/** A field as the editor sends it (the server sets the rest). */
export type ListFieldInput = Pick<ListField, 'key' | 'label' | 'type' | 'required' | 'options' | 'position'>

export interface ListAgent {
  id: number
  username: string
  full_name: string
  access: ListAccess
}

/** A list as GET /lists/{id} answers it: with how many contacts it holds. */
export interface ContactListDetail extends ContactList {
  contact_count: number
}

type Items<T> = { items: T[] | null }

const listPath = (id: number) => `/lists/${id}`

/** A field's options are left out by some answers; an empty list then. */
export function normalizeField(field: ListField): ListField {
  return { ...field, options: field.options ?? [] }
}

/** Fields in the order the server keeps them (position, then id). */
export function sortFields(fields: ListField[]): ListField[] {
  return [...fields].sort((a, b) => a.position - b.position || a.id - b.id)
}

export const contactListsApi = {
  list: () => api.get<Items<ContactList>>('/lists').then((r) => r.items ?? []),
  get: (id: number) => api.get<ContactListDetail>(listPath(id)),
  create: (list: { name: string; description: string }) => api.post<ContactList>('/lists', list),
  update: (id: number, patch: { name?: string; description?: string }) => api.patch<ContactList>(listPath(id), patch),
  /**
   * Deletes the list with its fields. One that holds contacts is refused
   * (409 list.not_empty) unless deleteContacts says they go with it.
   */
  remove: (id: number, options: { deleteContacts?: boolean } = {}) =>
    api.delete<void>(listPath(id), options.deleteContacts ? { query: { delete_contacts: 'true' } } : undefined),
}

export const listFieldsApi = {
  list: (listId: number) =>
    api.get<Items<ListField>>(`${listPath(listId)}/fields`).then((r) => sortFields((r.items ?? []).map(normalizeField))),
  create: (listId: number, field: ListFieldInput) => api.post<ListField>(`${listPath(listId)}/fields`, field).then(normalizeField),
  /** Changes what is sent; options sent replace the old ones whole. */
  update: (listId: number, fieldId: number, patch: Partial<ListFieldInput>) =>
    api.patch<ListField>(`${listPath(listId)}/fields/${fieldId}`, patch).then(normalizeField),
  /** Deletes the field with every contact's value for it. */
  remove: (listId: number, fieldId: number) => api.delete<void>(`${listPath(listId)}/fields/${fieldId}`),
}

export const listAgentsApi = {
  list: (listId: number) => api.get<Items<ListAgent>>(`${listPath(listId)}/agents`).then((r) => r.items ?? []),
  /** Gives an agent the list (or changes how); answers the list's agents. */
  set: (listId: number, agentId: number, access: ListAccess) =>
    api.put<Items<ListAgent>>(`${listPath(listId)}/agents/${agentId}`, { access }).then((r) => r.items ?? []),
  remove: (listId: number, agentId: number) => api.delete<void>(`${listPath(listId)}/agents/${agentId}`),
  /** The agents one may give the list to (the contact lists' edit right is enough: no staff rights needed). */
  choices: (listId: number, query: ListQuery, signal?: AbortSignal) =>
    api.get<Page<PickableAgent>>(`${listPath(listId)}/agent-choices`, { query: { ...query }, signal }),
}

/**
 * The positions after moving the field at `from` to `to`: each field's
 * position becomes its index, and only the fields whose position changes
 * are returned (each needs a PATCH).
 */
export function reorderFields(fields: ListField[], from: number, to: number): { ordered: ListField[]; changed: ListField[] } {
  const ordered = [...fields]
  if (from < 0 || from >= ordered.length || to < 0 || to >= ordered.length || from === to) return { ordered, changed: [] }
  const [moved] = ordered.splice(from, 1)
  ordered.splice(to, 0, moved!)
  const changed: ListField[] = []
  const renumbered = ordered.map((f, index) => {
    if (f.position === index) return f
    const next = { ...f, position: index }
    changed.push(next)
    return next
  })
  return { ordered: renumbered, changed }
}

/** A key from a label while none was typed: "Date of birth" → "date_of_birth". */
export function suggestFieldKey(label: string): string {
  const key = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40)
    .replace(/_+$/, '')
  return key
}
