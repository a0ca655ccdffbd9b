import { describe, expect, it } from 'vitest'
import { adminNav } from './admin-nav'
import { desktopNav } from './desktop-nav'
import { navRoutes, visibleSections, type NavSection } from './nav'
import en from '../i18n/locales/en.json'

const component = () => Promise.resolve({})

const sample: NavSection[] = [
  { label: 'a', items: [{ name: 'x', path: 'x', label: 'x', icon: '', component, kinds: ['admin'] }] },
  { label: 'b', items: [{ name: 'y', path: 'y', label: 'y', icon: '', component }] },
]

function hasKey(key: string): boolean {
  let node: unknown = en
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string'
}

describe('navigation', () => {
  it('hides entries a principal may not open, and then empty sections', () => {
    expect(visibleSections(sample, 'admin').map((s) => s.label)).toEqual(['a', 'b'])
    expect(visibleSections(sample, 'user').map((s) => s.label)).toEqual(['b'])
  })

  it('makes one route per entry, titled by its label', () => {
    const routes = navRoutes(sample)
    expect(routes.map((r) => r.name)).toEqual(['x', 'y'])
    expect(routes[0]!.meta).toEqual({ title: 'x', kinds: ['admin'] })
  })

  it('labels every entry with an existing text', () => {
    for (const section of [...adminNav, ...desktopNav]) {
      if (section.label) expect(hasKey(section.label), section.label).toBe(true)
      for (const item of section.items) expect(hasKey(item.label), item.label).toBe(true)
    }
  })
})
