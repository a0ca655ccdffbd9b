import { describe, expect, it } from 'vitest'
import { filtersFromQuery, filtersToQuery, sameFilters, searchOf } from './query'

describe('contact search in the URL', () => {
  it('goes to the URL and back', () => {
    const f = { q: ' rossi ', listId: 2, tagIds: [3, 4], where: [{ field: 'note', op: 'contains' as const, value: 'a:b' }] }
    const query = filtersToQuery(f)
    expect(query).toEqual({ q: 'rossi', list: '2', tag: ['3', '4'], where: ['note:contains:a:b'] })
    const back = filtersFromQuery(query as Record<string, string | string[]>)
    expect(back).toEqual({ ...f, q: 'rossi' })
    expect(sameFilters(back, f)).toBe(true)
  })

  it('drops what is not a filter (a pasted or old link)', () => {
    expect(filtersFromQuery({ list: 'x', tag: ['1', '-2', 'y'], where: ['bad', 'email:set'] })).toEqual({
      q: '',
      listId: null,
      tagIds: [1],
      where: [{ field: 'email', op: 'set' }],
    })
  })

  it('searches the chosen list, or every list the caller may read', () => {
    expect(searchOf({ q: 'a', listId: null, tagIds: [], where: [] }).list_ids).toEqual([])
    expect(searchOf({ q: 'a', listId: 5, tagIds: [1], where: [] })).toMatchObject({ list_ids: [5], tag_ids: [1] })
  })
})
