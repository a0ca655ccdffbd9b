// The desktop's right panel as the Contact Manager feeds it: the contact of
// the interaction on screen (his card, editable in place), a new contact
// prefilled from what the customer told us, linking the interaction to a
// contact, and his customer journey kept current by the realtime events.
// Pure functions; ContactCard.vue and JourneyList.vue hold the state.

import { api } from '../api/api'
import type { FormAnswer, InteractionDetail } from '../api/conversation'
import { normalizeInteraction } from '../api/conversation'
import type { ContactField, ContactFieldValue, ContactJourneyEntry, ContactListAccess } from '../api/contacts'
import type { RealtimeEvent } from '../realtime'
import type { ContactDraft } from '../contacts/form'

/** The interaction's contact as its views carry it (null when it has none). */
export interface ContactRef {
  id: number
  list_id: number
  name: string
}

/** The contact of an interaction, whatever the server left out. */
export function contactOf(it: InteractionDetail): ContactRef | null {
  const raw = (it as InteractionDetail & { contact?: ContactRef | null }).contact
  return raw && typeof raw.id === 'number' ? raw : null
}

/** Says which contact an interaction is with (PUT /interactions/{id}/contact); answers the interaction. */
export function linkInteractionContact(interactionId: number, contactId: number): Promise<InteractionDetail> {
  return api.put<InteractionDetail>(`/interactions/${interactionId}/contact`, { contact_id: contactId }).then(normalizeInteraction)
}

/** The lists the caller may create contacts in. */
export function editableLists(lists: readonly ContactListAccess[]): ContactListAccess[] {
  return lists.filter((l) => l.access === 'edit')
}

/** First and last name from one name: the last word is the last name. */
export function splitName(name: string): { first_name: string; last_name: string } {
  const words = name.trim().split(/\s+/).filter(Boolean)
  if (words.length < 2) return { first_name: words[0] ?? '', last_name: '' }
  return { first_name: words.slice(0, -1).join(' '), last_name: words[words.length - 1]! }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[\d\s().-]{6,}$/

/** Which of a contact's own fields a form answer fills, by its name or the shape of its value. */
function answerField(a: FormAnswer): 'email' | 'phone' | 'company' | 'name' | null {
  const name = `${a.name} ${a.label}`.toLowerCase()
  if (EMAIL.test(a.value)) return 'email'
  if (/company|azienda|organi[sz]ation/.test(name)) return 'company'
  if (/phone|mobile|telefono|cellulare/.test(name) && PHONE.test(a.value)) return 'phone'
  if (/^name\b|full.?name|nome/.test(name)) return 'name'
  return null
}

/**
 * A new contact as the customer described himself: his name (the form's, else
 * the interaction's contact name), email, phone and company from the chat
 * form. Anything he did not give stays empty for the agent to fill in.
 */
export function prefillDraft(it: InteractionDetail, base: ContactDraft): ContactDraft {
  const draft: ContactDraft = { ...base, fields: { ...base.fields }, tag_ids: [...base.tag_ids] }
  let name = ''
  for (const a of it.form) {
    const field = answerField(a)
    if (field === 'name' && !name) name = a.value
    else if (field && field !== 'name' && !draft[field]) draft[field] = a.value.trim()
  }
  const parts = splitName(name || it.contact_name)
  if (!draft.first_name && !draft.last_name) Object.assign(draft, parts)
  return draft
}

/** A custom field's value as the card shows it ('' when it has none). */
export function fieldText(field: ContactField, value: ContactFieldValue | undefined, yesNo: (v: boolean) => string): string {
  if (value === undefined || value === null || value === '') return ''
  if (field.type === 'checkbox') return value === true ? yesNo(true) : ''
  return String(value)
}

/** One line of the journey as the panel shows it. */
export interface JourneyRow {
  entry: ContactJourneyEntry
  /** The interaction on screen. */
  current: boolean
  /** It opens (the server's can_open), unless it is the one on screen. */
  opens: boolean
}

/** The journey in time order (oldest first), the interaction on screen marked. */
export function journeyRows(items: readonly ContactJourneyEntry[], currentId: number): JourneyRow[] {
  return [...items]
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id)
    .map((entry) => ({ entry, current: entry.id === currentId, opens: entry.can_open && entry.id !== currentId }))
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/**
 * Whether a realtime event changes the contact's journey: an event about one
 * of his interactions (the journey's, or the one on screen), or one linking
 * an interaction to him. (Contact events do not reach agents' sockets: the
 * card reloads when the interaction on screen changes.)
 */
export function touchesJourney(ev: RealtimeEvent, contactId: number, interactionIds: ReadonlySet<number>): boolean {
  if (!ev.event.startsWith('interaction.') || QUIET_EVENTS.has(ev.event)) return false
  const d = ev.data ?? {}
  const id = num(d.interaction_id)
  return (id !== undefined && interactionIds.has(id)) || num(d.contact_id) === contactId
}

/** Interaction events that change nothing the journey shows. */
const QUIET_EVENTS = new Set(['interaction.watchers_changed', 'interaction.read', 'interaction.note_added'])
