import type { ConditionOp, ContactCondition, ContactField, ContactListAccess } from '../api/contacts'

// The advanced search's conditions: which fields one may put a condition
// on (the standard ones and the custom fields of the lists searched), which
// operators each type takes (the server's rule, internal/contacts/search.go),
// and conditions as they travel in the page's URL (field:op[:value]).

/** A field's kind in a condition: a custom field's type, or phone/email for those standard fields. */
export type ConditionKind = 'text' | 'number' | 'date' | 'select' | 'checkbox' | 'phone' | 'email'

export interface ConditionField {
  /** A standard field's name or a custom field's key. */
  key: string
  /** A custom field's label; standard fields are named by i18n (contacts.fields.<key>). */
  label: string | null
  kind: ConditionKind
  /** A select's choices. */
  options: string[]
}

const STANDARD_KINDS: [string, ConditionKind][] = [
  ['first_name', 'text'],
  ['last_name', 'text'],
  ['company', 'text'],
  ['phone', 'phone'],
  ['mobile', 'phone'],
  ['fax', 'phone'],
  ['email', 'email'],
]

const OPS_BY_KIND: Record<ConditionKind, ConditionOp[]> = {
  phone: ['equals', 'contains', 'set', 'not_set'],
  email: ['equals', 'contains', 'set', 'not_set'],
  text: ['equals', 'contains', 'set', 'not_set'],
  select: ['equals', 'contains', 'set', 'not_set'],
  number: ['equals', 'greater', 'less', 'set', 'not_set'],
  date: ['equals', 'before', 'after', 'set', 'not_set'],
  checkbox: ['equals', 'set', 'not_set'],
}

/** The operators a kind of field takes. */
export function operatorsFor(kind: ConditionKind): ConditionOp[] {
  return OPS_BY_KIND[kind]
}

/** Whether an operator compares with a value (set and not set do not). */
export function takesValue(op: ConditionOp): boolean {
  return op !== 'set' && op !== 'not_set'
}

/**
 * The fields a search's conditions may name: the standard ones, then the
 * custom fields of the lists searched (every list when none is chosen). A
 * key two lists give different types is left out: the server refuses it as
 * ambiguous.
 */
export function conditionFields(lists: readonly ContactListAccess[], listIds: readonly number[]): ConditionField[] {
  const out: ConditionField[] = STANDARD_KINDS.map(([key, kind]) => ({ key, label: null, kind, options: [] }))
  const searched = listIds.length ? lists.filter((l) => listIds.includes(l.id)) : lists
  const custom = new Map<string, ConditionField | null>()
  for (const field of searched.flatMap((l) => l.fields)) {
    const known = custom.get(field.key)
    if (known === undefined) custom.set(field.key, customField(field))
    else if (known && known.kind !== field.type) custom.set(field.key, null)
    else if (known && known.kind === 'select') known.options = [...new Set([...known.options, ...field.options])]
  }
  for (const field of custom.values()) if (field) out.push(field)
  return out
}

function customField(field: ContactField): ConditionField {
  return { key: field.key, label: field.label, kind: field.type, options: [...field.options] }
}

/** A condition ready to send: its operator allowed for its field, its value there when it needs one. */
export function completeCondition(c: ContactCondition, fields: readonly ConditionField[]): boolean {
  const field = fields.find((f) => f.key === c.field)
  if (!field || !operatorsFor(field.kind).includes(c.op)) return false
  return !takesValue(c.op) || (c.value ?? '').trim() !== ''
}

const ALL_OPS = new Set<string>(Object.values(OPS_BY_KIND).flat())

/** A condition read back from the URL (field:op[:value]); null when it is not one. */
export function parseCondition(text: string): ContactCondition | null {
  const first = text.indexOf(':')
  if (first <= 0) return null
  const second = text.indexOf(':', first + 1)
  const field = text.slice(0, first)
  const op = second < 0 ? text.slice(first + 1) : text.slice(first + 1, second)
  if (!ALL_OPS.has(op)) return null
  const condition: ContactCondition = { field, op: op as ConditionOp }
  if (second >= 0) condition.value = text.slice(second + 1)
  return condition
}
