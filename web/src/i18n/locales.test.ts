import { describe, expect, it } from 'vitest'
import en from './locales/en.json'
import itMessages from './locales/it.json'

type Tree = { [key: string]: string | Tree }

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [prefix + key] : keys(value, `${prefix}${key}.`),
  )
}

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort()
}

function lookup(tree: Tree, key: string): string | Tree | undefined {
  return key.split('.').reduce<string | Tree | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), tree)
}

// Every source file, to find the keys used with a literal t('…') call.
const sources = import.meta.glob(['../**/*.vue', '../**/*.ts', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>

describe('locale files', () => {
  const enKeys = keys(en).sort()
  const itKeys = keys(itMessages).sort()

  it('have exactly the same keys', () => {
    expect(itKeys.filter((k) => !enKeys.includes(k))).toEqual([])
    expect(enKeys.filter((k) => !itKeys.includes(k))).toEqual([])
  })

  it('use the same placeholders in each message', () => {
    for (const key of enKeys) {
      const english = lookup(en, key) as string
      const italian = lookup(itMessages, key) as string
      expect(placeholders(italian), key).toEqual(placeholders(english))
    }
  })

  it('have no empty message', () => {
    for (const key of enKeys) {
      expect((lookup(en, key) as string).trim(), key).not.toBe('')
      expect((lookup(itMessages, key) as string).trim(), key).not.toBe('')
    }
  })

  it('hold every key the code asks for', () => {
    const used = new Set<string>()
    for (const text of Object.values(sources)) {
      for (const match of text.matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(match[1]!)
    }
    expect(used.size).toBeGreaterThan(50)
    expect([...used].filter((key) => typeof lookup(en, key) !== 'string')).toEqual([])
  })
})
