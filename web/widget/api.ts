// The widget's HTTP calls (config, start a chat, upload a file) and the
// addresses it talks to, all derived from where widget.js itself was loaded.

import type { MessageFrame, StartedChat, WidgetConfig } from './protocol'

/** An error answer of the API: {code, message, fields}, or a network failure (status 0). */
export class WidgetError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message)
  }
}

/**
 * The server's base URL from the script's own src:
 * "https://sb.example.com/widget.js?v=2" → "https://sb.example.com";
 * a server under a path keeps it ("https://x.com/sb/widget.js" → "https://x.com/sb").
 */
export function serverBase(scriptSrc: string): string {
  const url = new URL(scriptSrc)
  const path = url.pathname.replace(/\/[^/]*$/, '')
  return url.origin + path
}

/** The conversation socket's address for a chat, resuming after a message id. */
export function socketUrl(base: string, key: string, token: string, after: number): string {
  const url = new URL(base + '/api/v1/widget/ws')
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  url.search = new URLSearchParams({ key, token, after: String(Math.max(0, after)) }).toString()
  return url.toString()
}

/**
 * The address of an attachment of the chat: the server's url made absolute
 * (it may be relative to the server), carrying the key and token the
 * download needs when the server left them out.
 */
export function attachmentUrl(base: string, key: string, token: string, url: string): string {
  const full = new URL(url, base + '/')
  if (!full.searchParams.has('key')) full.searchParams.set('key', key)
  if (!full.searchParams.has('token')) full.searchParams.set('token', token)
  return full.toString()
}

/**
 * The server's field errors by the form's field names: the API names them
 * "fields.<name>"; anything else (no such field on the form) is left out.
 */
export function formErrors(fields: Record<string, string>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, message] of Object.entries(fields)) {
    const name = path.startsWith('fields.') ? path.slice('fields.'.length) : path
    if (names.includes(name)) out[name] = message
  }
  return out
}

export interface WidgetApi {
  config(): Promise<WidgetConfig>
  start(fields: Record<string, string>, offline: boolean): Promise<StartedChat>
  upload(token: string, file: Blob, name: string, clientId: string): Promise<MessageFrame>
}

/** The API of one website (its key) on one server, in the customer's language. */
export function widgetApi(base: string, key: string, locale: () => string, fetcher: typeof fetch = fetch): WidgetApi {
  const url = (path: string) => `${base}/api/v1/widget/${path}?key=${encodeURIComponent(key)}`

  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    // Accept-Language is a safe header: a GET stays a simple request.
    const headers = new Headers(init.headers)
    headers.set('Accept-Language', locale())
    let response: Response
    try {
      response = await fetcher(url(path), { ...init, headers, credentials: 'omit', mode: 'cors' })
    } catch {
      throw new WidgetError(0, 'network', '')
    }
    const text = await response.text()
    let body: unknown = null
    try {
      body = text ? JSON.parse(text) : null
    } catch {
      body = null
    }
    if (!response.ok) {
      const e = (body ?? {}) as { code?: string; message?: string; fields?: Record<string, string> }
      throw new WidgetError(response.status, e.code ?? 'internal', e.message ?? '', e.fields ?? {})
    }
    return body as T
  }

  return {
    config: () => call<WidgetConfig>('config'),
    start: (fields, offline) =>
      call<StartedChat>('chats', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ fields, offline }),
      }),
    upload: async (token, file, name, clientId) => {
      const form = new FormData()
      form.append('client_id', clientId)
      form.append('file', file, name)
      const message = await call<MessageFrame>('files', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form })
      return { ...message, type: 'message' }
    },
  }
}
