import type { FieldErrors } from '../api/api'
import type { FormFieldType, WebsiteFormField } from '../api/types'

// The pure parts of the website editor: checking a widget form's fields
// before they go, tidying origins, and putting the server's field errors
// (paths such as "online_form.2.name" or "allowed_origins.1") on the rows
// they belong to, so that they follow a row when it is moved.

/** A field name as the server takes it. */
export const FIELD_NAME = /^[a-z0-9_]+$/

/** Why a form field cannot go; the view turns it into a text (websites.problems.*). */
export type FieldProblem =
  | 'nameRequired'
  | 'nameInvalid'
  | 'nameTaken'
  | 'labelRequired'
  | 'optionsRequired'
  | 'optionDuplicate'
  | 'originRequired'
  | 'originInvalid'
  | 'originScheme'
  | 'originPath'
  | 'originDuplicate'

export const FIELD_PROBLEMS: readonly FieldProblem[] = [
  'nameRequired',
  'nameInvalid',
  'nameTaken',
  'labelRequired',
  'optionsRequired',
  'optionDuplicate',
  'originRequired',
  'originInvalid',
  'originScheme',
  'originPath',
  'originDuplicate',
]

/** A field name made from its label: "E-mail address" → "e_mail_address". */
export function suggestFieldName(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50)
}

/** A field as it is sent: trimmed texts, and options only for a select. */
export function tidyField(field: WebsiteFormField): WebsiteFormField {
  const options = field.type === 'select' ? field.options.map((o) => o.trim()).filter(Boolean) : []
  return { name: field.name.trim(), label: field.label.trim(), type: field.type, required: field.required, options }
}

/**
 * The problems of a form's fields, keyed like the server's errors:
 * "<prefix>.<index>.<property>". Empty when the form may go.
 */
export function checkFormFields(prefix: string, fields: readonly WebsiteFormField[]): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {}
  const seen = new Set<string>()
  fields.forEach((raw, index) => {
    const field = tidyField(raw)
    const at = `${prefix}.${index}`
    if (!field.name) problems[`${at}.name`] = 'nameRequired'
    else if (!FIELD_NAME.test(field.name)) problems[`${at}.name`] = 'nameInvalid'
    else if (seen.has(field.name)) problems[`${at}.name`] = 'nameTaken'
    seen.add(field.name)
    if (!field.label) problems[`${at}.label`] = 'labelRequired'
    if (field.type === 'select') {
      if (!field.options.length) problems[`${at}.options`] = 'optionsRequired'
      else if (new Set(field.options.map((o) => o.toLocaleLowerCase())).size !== field.options.length) {
        problems[`${at}.options`] = 'optionDuplicate'
      }
    }
  })
  return problems
}

/** A new, empty field of a type. */
export function blankField(type: FormFieldType = 'text'): WebsiteFormField {
  return { name: '', label: '', type, required: false, options: [] }
}

// --- origins -----------------------------------------------------------------------

export type OriginResult = { origin: string } | { problem: FieldProblem }

/**
 * An origin as the API keeps it: "scheme://host[:port]", lower case, no
 * default port, no trailing slash. "www.example.com" becomes
 * "https://www.example.com"; a path, query or a scheme other than http(s)
 * is refused.
 */
export function normalizeOrigin(value: string): OriginResult {
  let text = value.trim()
  if (!text) return { problem: 'originRequired' }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)
  if (!scheme) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/]+:\d+/.test(text)) return { problem: 'originScheme' }
    text = 'https://' + text
  } else if (!['http', 'https'].includes(scheme[1]!.toLowerCase())) {
    return { problem: 'originScheme' }
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { problem: 'originInvalid' }
  }
  if (!url.hostname || url.username || url.password) return { problem: 'originInvalid' }
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash) return { problem: 'originPath' }
  return { origin: url.origin }
}

/**
 * The origins as they are sent (normalised, blank rows dropped) and the
 * problems of those that cannot go, keyed "<prefix>.<index>" by their row.
 */
export function checkOrigins(
  prefix: string,
  values: readonly string[],
): { origins: string[]; problems: Record<string, FieldProblem> } {
  const origins: string[] = []
  const problems: Record<string, FieldProblem> = {}
  values.forEach((value, index) => {
    if (!value.trim()) return
    const result = normalizeOrigin(value)
    if ('problem' in result) problems[`${prefix}.${index}`] = result.problem
    else if (origins.includes(result.origin)) problems[`${prefix}.${index}`] = 'originDuplicate'
    else origins.push(result.origin)
  })
  return { origins, problems }
}

// --- errors on rows ----------------------------------------------------------------

/**
 * The errors with the row indexes under prefix replaced by the rows' keys:
 * with keys [7, 3], "online_form.1.name" becomes "online_form#3.name" and
 * "online_form.0" "online_form#7". Rows keep their errors when they are moved
 * or others removed. An index with no row keeps its path (it stays unplaced);
 * other errors are left as they are.
 */
export function errorsToRows(errors: FieldErrors, prefix: string, keys: readonly (string | number)[]): FieldErrors {
  const out: FieldErrors = {}
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)(?:\\.([A-Za-z_]+))?(?:\\.\\d+)?$`)
  for (const [path, text] of Object.entries(errors)) {
    const match = pattern.exec(path)
    const key = match ? keys[Number(match[1])] : undefined
    if (!match || key === undefined) {
      out[path] = text
      continue
    }
    const at = rowPath(prefix, key, match[2])
    // Several errors on one place (e.g. two bad options): keep them all.
    out[at] = out[at] ? `${out[at]} ${text}` : text
  }
  return out
}

/** Where errorsToRows puts a row's error (property absent: the row itself). */
export function rowPath(prefix: string, key: string | number, property?: string): string {
  return property ? `${prefix}#${key}.${property}` : `${prefix}#${key}`
}

/** The errors no field on the page shows, for the box above it. */
export function unplacedErrors(errors: FieldErrors, placed: (path: string) => boolean): string[] {
  return Object.entries(errors)
    .filter(([path]) => !placed(path))
    .map(([, text]) => text)
}

/** A copy of a list with one item moved from one place to another. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list]
  if (from < 0 || from >= out.length || to < 0 || to >= out.length) return out
  const [item] = out.splice(from, 1)
  out.splice(to, 0, item as T)
  return out
}

/**
 * The parts of next that differ from base, for a PATCH: compared as JSON,
 * so arrays and objects count as changed when any part of them did.
 */
export function changedParts<T extends object>(base: T, next: T): Partial<T> {
  const patch: Partial<T> = {}
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (JSON.stringify(base[key]) !== JSON.stringify(next[key])) patch[key] = next[key]
  }
  return patch
}

// --- editor rows -------------------------------------------------------------------

let lastKey = 0

/** A key for a new editor row, unique on the page. */
export function nextRowKey(): number {
  lastKey += 1
  return lastKey
}

/** An allowed origin as the editor holds it. */
export interface OriginRow {
  key: number
  value: string
}

/** A form field as the editor holds it. */
export interface FieldRow {
  key: number
  field: WebsiteFormField
}

export const originRows = (origins: readonly string[]): OriginRow[] => origins.map((value) => ({ key: nextRowKey(), value }))

export const fieldRows = (fields: readonly WebsiteFormField[]): FieldRow[] =>
  fields.map((field) => ({ key: nextRowKey(), field: { ...field, options: [...field.options] } }))
