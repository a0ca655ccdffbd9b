import { api, apiUrl, upload, type UploadOptions } from './api'

// CSV imports of contacts: the file goes up with the list, how each column
// maps to a field and how the file is written; the server imports it in the
// background, announces its counts to the importer (realtime
// contact_import.progress / .finished) and keeps the rejected rows with the
// reasons, downloadable as CSV.

export type ImportStatus = 'running' | 'done' | 'failed'

export interface ImportCounts {
  /** Rows in the file (its header not counted); 0 until the server has counted them. */
  total: number
  processed: number
  created: number
  /** Rows that matched a contact of the list (by phone, mobile or email) and updated it. */
  updated: number
  rejected: number
}

export interface ContactImport {
  id: number
  list_id: number | null
  filename: string
  status: ImportStatus
  created_at: string
  finished_at: string | null
  counts: ImportCounts
  /** Why it failed, in the caller's language. */
  failure: string | null
}

/** The separators the server reads; "auto" lets it guess between ',' and ';'. */
export type ImportDelimiter = ',' | ';' | '|' | 'tab' | 'auto'

export interface NewImport {
  listId: number
  file: Blob
  /** The file's name (a Blob has none). */
  filename: string
  /** The field of each column, in order ("" skips the column). */
  mapping: string[]
  /** Whether the first row names the columns (and is not imported). */
  header: boolean
  delimiter: ImportDelimiter
}

/** The multipart form POST /contact-imports expects; the file goes last, after what describes it. */
export function importForm(im: NewImport): FormData {
  const form = new FormData()
  form.append('list_id', String(im.listId))
  form.append('header', String(im.header))
  form.append('delimiter', im.delimiter)
  form.append('mapping', JSON.stringify(im.mapping))
  form.append('file', im.file, im.filename)
  return form
}

export const contactImportsApi = {
  /** Uploads the file and starts the import; onProgress follows the upload itself. */
  start: (im: NewImport, options: UploadOptions = {}) => upload<ContactImport>('/contact-imports', importForm(im), options),
  get: (id: number, signal?: AbortSignal) => api.get<ContactImport>(`/contact-imports/${id}`, { signal }),
  /** The rejected rows (line and reasons) as a CSV download. */
  rejectedUrl: (id: number) => apiUrl(`/contact-imports/${id}/rejected.csv`),
}
