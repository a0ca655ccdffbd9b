import { describe, expect, it } from 'vitest'
import en from '../i18n/locales/en.json'
import itMessages from '../i18n/locales/it.json'
import { DELIVERY_STATES } from '../api/conversation'
import { deliveryMark } from './timeline'

// The conversation view builds these keys from values, which the literal-key
// check of i18n/locales.test.ts cannot see.
function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node ? (node as Record<string, unknown>)[part] : undefined), tree)
}

describe('conversation texts', () => {
  it('name every delivery state in both languages', () => {
    for (const state of [...DELIVERY_STATES, 'sending' as const]) {
      const key = deliveryMark(state).label
      expect(typeof lookup(en, key), key).toBe('string')
      expect(typeof lookup(itMessages, key), `it ${key}`).toBe('string')
    }
  })
})
