// The pre-chat and offline forms: what the customer typed, checked before it
// goes (the server checks again and its errors win), and the files he picks,
// checked against the website's attachment rules before they are uploaded.

import { MAX_FIELD_CHARS, type AttachmentRules, type FormField } from './protocol'

export type FieldProblem = 'required' | 'email' | 'phone' | 'tooLong'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9 ()./-]+$/

/** The values that go: trimmed, the empty ones left out. */
export function formValues(fields: readonly FormField[], raw: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {}
  for (const field of fields) {
    const value = (raw[field.name] ?? '').trim()
    if (value) values[field.name] = value
  }
  return values
}

/** The problems of the fields, by name; empty when the form may go. */
export function checkForm(fields: readonly FormField[], raw: Record<string, string>): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {}
  for (const field of fields) {
    const value = (raw[field.name] ?? '').trim()
    if (!value) {
      if (field.required) problems[field.name] = 'required'
    } else if ([...value].length > MAX_FIELD_CHARS) {
      problems[field.name] = 'tooLong'
    } else if (field.type === 'email' && !EMAIL.test(value)) {
      problems[field.name] = 'email'
    } else if (field.type === 'phone' && (!PHONE.test(value) || value.replace(/\D/g, '').length < 5)) {
      problems[field.name] = 'phone'
    }
  }
  return problems
}

export type FileProblem = 'off' | 'size' | 'type'

/** Why a file cannot be sent under the website's rules, or null when it can. */
export function checkFile(file: { size: number; type: string }, rules: AttachmentRules): FileProblem | null {
  if (!rules.enabled) return 'off'
  if (rules.max_bytes > 0 && file.size > rules.max_bytes) return 'size'
  const type = file.type.toLowerCase()
  if (!type) return 'type'
  const allowed = rules.types.some((t) => {
    const rule = t.toLowerCase()
    return rule === type || (rule.endsWith('/*') && type.startsWith(rule.slice(0, -1)))
  })
  return allowed ? null : 'type'
}

/** A size for people: "850 KB", "10 MB", "1.5 MB". */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit > 0 && value < 10 ? 1 : 0
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`
}

/** The kinds of file allowed, for people: "PNG, JPEG, PDF, TXT". */
export function typeNames(types: readonly string[]): string {
  const names = types.map((t) => {
    const sub = (t.split('/')[1] ?? t).replace(/^x-/, '')
    return sub === 'plain' ? 'TXT' : sub === '*' ? t.split('/')[0]! : sub.toUpperCase()
  })
  return [...new Set(names)].join(', ')
}
