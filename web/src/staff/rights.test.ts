import { describe, expect, it } from 'vitest'
import { allRights, completeRights, hasRight, withRight } from './rights'

describe('rights', () => {
  it('gives an administrator every right on every section', () => {
    const all = allRights()
    expect(all.staff).toEqual(['view', 'read', 'edit', 'delete'])
    expect(Object.keys(all)).toHaveLength(8)
  })

  it('checks one right', () => {
    expect(hasRight({ staff: ['view'] }, 'staff', 'view')).toBe(true)
    expect(hasRight({ staff: ['view'] }, 'staff', 'edit')).toBe(false)
    expect(hasRight(undefined, 'staff', 'view')).toBe(false)
  })

  it('switches a right on and off, keeping the usual order and the other sections', () => {
    let rights = withRight({ queues: ['view'] }, 'staff', 'edit', true)
    rights = withRight(rights, 'staff', 'view', true)
    expect(rights).toEqual({ queues: ['view'], staff: ['view', 'edit'] })
    expect(withRight(rights, 'staff', 'view', false)).toEqual({ queues: ['view'], staff: ['edit'] })
  })

  it('fills in every section and drops unknown rights', () => {
    const full = completeRights({ staff: ['edit', 'view', 'fly'] })
    expect(full.staff).toEqual(['view', 'edit'])
    expect(full.reports).toEqual([])
  })
})
