// The chat this browser tab has going, kept in sessionStorage under the
// widget key, so a reload (or the next page of the same site) resumes it:
// the token, the texts not yet acknowledged, and whether the panel was open.

import type { OutboxEntry } from './chat'

export interface SavedChat {
  token: string
  chatId: number
  outbox: OutboxEntry[]
  open: boolean
}

/** The storage the widget uses; sessionStorage in a page, a fake in tests. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

export const storageKey = (widgetKey: string) => `switchboard-chat:${widgetKey}`

/** The saved chat, or null when there is none or it cannot be read. */
export function loadChat(store: KeyValueStore | null, widgetKey: string): SavedChat | null {
  try {
    const raw = store?.getItem(storageKey(widgetKey))
    if (!raw) return null
    const data = JSON.parse(raw) as Partial<SavedChat>
    if (typeof data.token !== 'string' || !data.token) return null
    const outbox = Array.isArray(data.outbox)
      ? data.outbox.filter((e): e is OutboxEntry => !!e && typeof e.clientId === 'string' && typeof e.body === 'string')
      : []
    return { token: data.token, chatId: Number(data.chatId) || 0, outbox, open: data.open === true }
  } catch {
    return null // storage refused (private mode, sandbox) or garbage: start afresh
  }
}

export function saveChat(store: KeyValueStore | null, widgetKey: string, chat: SavedChat): void {
  try {
    store?.setItem(storageKey(widgetKey), JSON.stringify(chat))
  } catch {
    // Full or refused: the chat goes on, it just will not survive a reload.
  }
}

export function forgetChat(store: KeyValueStore | null, widgetKey: string): void {
  try {
    store?.removeItem(storageKey(widgetKey))
  } catch {
    // nothing to forget
  }
}
