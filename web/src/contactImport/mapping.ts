import Papa from 'papaparse'
import type { ImportDelimiter } from '../api/contactImports'
import type { ListField } from '../api/contactLists'

// The browser's side of a CSV import: the first rows of the file, read with
// papaparse (quoted values, separators inside quotes, line breaks in values —
// what spreadsheets write), so the importer can say which field each column
// is; a first guess at that from the header; and the checks the server
// would make on the mapping, said before the upload.

/**
 * The fields every contact has, and its tags (a column of tag names
 * separated by ';' or ','; a row naming no known tag is rejected), as
 * import targets.
 */
export const STANDARD_TARGETS = ['first_name', 'last_name', 'company', 'phone', 'mobile', 'fax', 'email', 'tags'] as const

/** How many rows under the header the preview shows. */
export const PREVIEW_ROWS = 5

export interface CsvPreview {
  /** The first row: column names when the file has a header. */
  header: string[]
  rows: string[][]
  /** The separator found, as the server's delimiter option. */
  delimiter: ImportDelimiter
}

const delimiters: Record<string, ImportDelimiter> = { ',': ',', ';': ';', '|': '|', '\t': 'tab' }

/** The preview of what papaparse read (the first row, then PREVIEW_ROWS more). */
export function toPreview(data: string[][], delimiter: string): CsvPreview {
  const [first = [], ...rest] = data
  return {
    header: first.map((cell, n) => (n === 0 ? cell.replace(/^\ufeff/, '') : cell).trim()),
    rows: rest.slice(0, PREVIEW_ROWS),
    delimiter: delimiters[delimiter] ?? 'auto',
  }
}

/** Parses the start of a CSV text (tests, and what a File gives). */
export function previewText(text: string): CsvPreview {
  const result = Papa.parse<string[]>(text, { preview: PREVIEW_ROWS + 1, skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', '|'] })
  return toPreview(result.data, result.meta.delimiter)
}

/** Reads only the first rows of a file, however large it is. */
export function previewFile(file: File): Promise<CsvPreview> {
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(file, {
      preview: PREVIEW_ROWS + 1,
      skipEmptyLines: 'greedy',
      delimitersToGuess: [',', ';', '\t', '|'],
      complete: (result) => resolve(toPreview(result.data, result.meta.delimiter)),
      error: (err) => reject(err),
    })
  })
}

const normalize = (s: string) => s.trim().toLowerCase().replace(/[\s_-]+/g, '')

// Header names that mean a standard field, in English and Italian (the
// server's contacts.AutoTargets knows the same ones).
const aliases: Record<string, string> = {
  firstname: 'first_name',
  name: 'first_name',
  nome: 'first_name',
  lastname: 'last_name',
  surname: 'last_name',
  cognome: 'last_name',
  telephone: 'phone',
  phonenumber: 'phone',
  telefono: 'phone',
  cell: 'mobile',
  cellphone: 'mobile',
  cellulare: 'mobile',
  mail: 'email',
  emailaddress: 'email',
  organisation: 'company',
  organization: 'company',
  azienda: 'company',
  societa: 'company',
  società: 'company',
  tag: 'tags',
  etichette: 'tags',
}

/**
 * A first mapping from the header: a column named like a standard field or
 * a custom field's key or label goes to it; each field to one column only
 * (the first that names it); the rest are ignored ("").
 */
export function guessTargets(header: string[], fields: ListField[]): string[] {
  const names = new Map<string, string>()
  for (const target of STANDARD_TARGETS) names.set(normalize(target), target)
  for (const [alias, target] of Object.entries(aliases)) names.set(alias, target)
  for (const field of fields) {
    names.set(normalize(field.key), field.key)
    names.set(normalize(field.label), field.key)
  }
  const used = new Set<string>()
  return header.map((name) => {
    const target = names.get(normalize(name))
    if (!target || used.has(target)) return ''
    used.add(target)
    return target
  })
}

export interface MappingProblems {
  /** Nothing mapped: the server would refuse the file. */
  empty: boolean
  /** Column indexes whose field an earlier column already takes. */
  twice: number[]
  /** Required custom fields no column fills: every row would be rejected. */
  missingRequired: ListField[]
}

/** What is wrong with a mapping before it is sent. */
export function mappingProblems(targets: string[], fields: ListField[]): MappingProblems {
  const seen = new Set<string>()
  const twice: number[] = []
  targets.forEach((target, n) => {
    if (!target) return
    if (seen.has(target)) twice.push(n)
    seen.add(target)
  })
  return {
    empty: seen.size === 0,
    twice,
    missingRequired: fields.filter((f) => f.required && !seen.has(f.key)),
  }
}

/** Whether the mapping can be sent: something mapped, nothing twice (a missing required field only warns). */
export function mappingSendable(problems: MappingProblems): boolean {
  return !problems.empty && problems.twice.length === 0
}
