// A small fetch wrapper for the /api/v1 JSON API: it sends the locale and the
// CSRF token, turns error answers into ApiError, and reports the two answers
// that need the router (session gone, password change required).

export const API_BASE = '/api/v1'

export type FieldErrors = Record<string, string>

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldErrors

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
  }
}

/** What the wrapper needs from the app; set once at start with configureApi. */
export interface ApiContext {
  locale(): string
  csrfToken(): string | null
  /** A non-auth endpoint answered 401: the session is gone. */
  onUnauthorized(): void
  /** The server refuses everything until the password is changed. */
  onPasswordChangeRequired(): void
  /** A localised message for failures without a JSON error body. */
  fallbackMessage(code: 'network' | 'internal'): string
  /** Every refused or failed request, e.g. for the client log. */
  onError(error: ApiError, method: string, path: string): void
  /** Every answer that arrived, with how long it took (for the client log's debug lines). */
  onResponse(method: string, path: string, status: number, ms: number): void
}

const defaultContext: ApiContext = {
  locale: () => 'en',
  csrfToken: () => null,
  onUnauthorized: () => {},
  onPasswordChangeRequired: () => {},
  fallbackMessage: (code) => (code === 'network' ? 'The server cannot be reached.' : 'Something went wrong.'),
  onError: () => {},
  onResponse: () => {},
}

let context: ApiContext = { ...defaultContext }

export function configureApi(overrides: Partial<ApiContext>): void {
  context = { ...defaultContext, ...overrides }
}

// Endpoints where 401 is an ordinary answer for the caller to handle
// (wrong credentials, no session yet, a reset link), not a lost session.
const authPathsWithout401Redirect = [
  '/auth/options',
  '/auth/login',
  '/auth/me',
  '/auth/logout',
  '/auth/logout-everywhere',
  '/auth/password-reset',
  '/auth/password-reset/confirm',
]

export type QueryValue = string | number | boolean | null | undefined

/** A parameter's value; a list repeats the parameter (status=open&status=closed). */
export type QueryParam = QueryValue | readonly QueryValue[]

export interface RequestOptions {
  query?: Record<string, QueryParam>
  signal?: AbortSignal
}

/** The full URL of an API path, e.g. for a download link (GET works with the cookie alone). */
export function apiUrl(path: string, query?: Record<string, QueryParam>): string {
  let url = API_BASE + path
  if (query) {
    const params = new URLSearchParams()
    for (const [key, param] of Object.entries(query)) {
      const values: readonly QueryValue[] = Array.isArray(param) ? param : [param as QueryValue]
      for (const value of values) {
        if (value !== undefined && value !== null && value !== '') params.append(key, String(value))
      }
    }
    const qs = params.toString()
    if (qs) url += '?' + qs
  }
  return url
}

function isErrorBody(value: unknown): value is { code: string; message: string; fields?: FieldErrors } {
  if (typeof value !== 'object' || value === null) return false
  const body = value as Record<string, unknown>
  return typeof body.code === 'string' && typeof body.message === 'string'
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    // Not JSON (a proxy's error page, an empty body): fall through.
  }
  if (isErrorBody(body)) {
    return new ApiError(response.status, body.code, body.message, body.fields ?? {})
  }
  return new ApiError(response.status, 'internal', context.fallbackMessage('internal'))
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': context.locale(),
  }
  // FormData (a file upload) sets its own multipart Content-Type.
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && method !== 'HEAD') {
    const token = context.csrfToken()
    if (token) headers['X-CSRF-Token'] = token
  }

  let response: Response
  const started = Date.now()
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    const error = new ApiError(0, 'unavailable', context.fallbackMessage('network'))
    context.onError(error, method, path)
    throw error
  }

  return settle<T>(response, method, path, started)
}

/** Turns an answer into its JSON value, or throws its ApiError (and tells the hooks). */
async function settle<T>(response: Response, method: string, path: string, started: number): Promise<T> {
  context.onResponse(method, path, response.status, Date.now() - started)
  if (!response.ok) {
    const error = await toApiError(response)
    if (error.status === 401 && !authPathsWithout401Redirect.includes(path)) {
      context.onUnauthorized()
    } else if (error.status === 403 && error.code === 'password_change_required') {
      context.onPasswordChangeRequired()
    }
    context.onError(error, method, path)
    throw error
  }

  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text ? JSON.parse(text) : undefined) as T
}

export interface UploadOptions {
  /** Called as the body goes out, with the share sent (0–1). */
  onProgress?(fraction: number): void
  signal?: AbortSignal
}

/**
 * POSTs a multipart form (a file) like request does, but through
 * XMLHttpRequest: fetch cannot report how much of a body was sent, and an
 * agent attaching a large file wants to see it move.
 */
export function upload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  const method = 'POST'
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const started = Date.now()
    xhr.open(method, apiUrl(path))
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Accept-Language', context.locale())
    const token = context.csrfToken()
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && ev.total > 0) options.onProgress?.(ev.loaded / ev.total)
    }
    xhr.onload = () => {
      const empty = xhr.status === 204 || xhr.status === 205 || xhr.status === 304 || !xhr.responseText
      const response = new Response(empty ? null : xhr.responseText, {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' },
      })
      settle<T>(response, method, path, started).then(resolve, reject)
    }
    xhr.onerror = () => {
      const error = new ApiError(0, 'unavailable', context.fallbackMessage('network'))
      context.onError(error, method, path)
      reject(error)
    }
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'))
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new DOMException('The upload was cancelled.', 'AbortError'))
        return
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true })
    }
    xhr.send(form)
  })
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
}
