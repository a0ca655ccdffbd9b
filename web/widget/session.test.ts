import { describe, expect, it } from 'vitest'
import { forgetChat, loadChat, saveChat, storageKey, type KeyValueStore } from './session'

class MemoryStore implements KeyValueStore {
  data = new Map<string, string>()
  getItem(k: string) {
    return this.data.get(k) ?? null
  }
  setItem(k: string, v: string) {
    this.data.set(k, v)
  }
  removeItem(k: string) {
    this.data.delete(k)
  }
}

describe('saved chat', () => {
  it('keeps a chat per widget key across a reload', () => {
    const store = new MemoryStore()
    saveChat(store, 'A', { token: 'T', chatId: 4, outbox: [{ clientId: 'c1', body: 'hi' }], open: true })
    expect(loadChat(store, 'A')).toEqual({ token: 'T', chatId: 4, outbox: [{ clientId: 'c1', body: 'hi' }], open: true })
    expect(loadChat(store, 'B')).toBeNull()
    forgetChat(store, 'A')
    expect(loadChat(store, 'A')).toBeNull()
  })

  it('starts afresh on garbage or a storage that refuses', () => {
    const store = new MemoryStore()
    store.setItem(storageKey('A'), '{not json')
    expect(loadChat(store, 'A')).toBeNull()
    store.setItem(storageKey('A'), JSON.stringify({ token: '' }))
    expect(loadChat(store, 'A')).toBeNull()
    store.setItem(storageKey('A'), JSON.stringify({ token: 'T', outbox: [{ clientId: 1 }, { clientId: 'c', body: 'ok' }] }))
    expect(loadChat(store, 'A')).toEqual({ token: 'T', chatId: 0, outbox: [{ clientId: 'c', body: 'ok' }], open: false })
    const refusing: KeyValueStore = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceeded')
      },
      removeItem: () => {
        throw new Error('SecurityError')
      },
    }
    expect(loadChat(refusing, 'A')).toBeNull()
    expect(() => saveChat(refusing, 'A', { token: 'T', chatId: 1, outbox: [], open: false })).not.toThrow()
    expect(() => forgetChat(refusing, 'A')).not.toThrow()
    expect(loadChat(null, 'A')).toBeNull()
  })
})
