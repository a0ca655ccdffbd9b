import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { conditionParam, type ContactCondition, type ContactSearch } from '../api/contacts'
import { parseCondition } from './conditions'

// A contact search as it lives in the page's URL, so that a reload, the
// browser's Back from a contact and a shared link keep it.

export interface ContactFilters {
  q: string
  listId: number | null
  tagIds: number[]
  where: ContactCondition[]
}

export const emptyFilters = (): ContactFilters => ({ q: '', listId: null, tagIds: [], where: [] })

const all = (v: LocationQuery[string] | undefined): string[] =>
  (Array.isArray(v) ? v : v == null ? [] : [v]).filter((x): x is string => typeof x === 'string')

const id = (s: string): number | null => (/^\d+$/.test(s) && Number(s) > 0 ? Number(s) : null)

export function filtersFromQuery(query: LocationQuery): ContactFilters {
  return {
    q: all(query.q)[0] ?? '',
    listId: id(all(query.list)[0] ?? ''),
    tagIds: all(query.tag).map(id).filter((x): x is number => x !== null),
    where: all(query.where).map(parseCondition).filter((c): c is ContactCondition => c !== null),
  }
}

export function filtersToQuery(f: ContactFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  if (f.q.trim()) query.q = f.q.trim()
  if (f.listId !== null) query.list = String(f.listId)
  if (f.tagIds.length) query.tag = f.tagIds.map(String)
  if (f.where.length) query.where = f.where.map(conditionParam)
  return query
}

export function sameFilters(a: ContactFilters, b: ContactFilters): boolean {
  return JSON.stringify(filtersToQuery(a)) === JSON.stringify(filtersToQuery(b))
}

/** The API search of the filters. */
export function searchOf(f: ContactFilters): ContactSearch {
  return { q: f.q, list_ids: f.listId === null ? [] : [f.listId], tag_ids: f.tagIds, where: f.where }
}

/** Whether anything narrows the search (for the empty state's words). */
export function filtered(f: ContactFilters): boolean {
  return f.q.trim() !== '' || f.listId !== null || f.tagIds.length > 0 || f.where.length > 0
}
