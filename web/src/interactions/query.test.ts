import { describe, expect, it } from 'vitest'
import {
  activeFilterCount,
  apiParams,
  clearedFilters,
  dateToDay,
  dayBound,
  dayToDate,
  emptyFilters,
  filtersFromQuery,
  filtersToQuery,
  parseDay,
  sameFilters,
  type ListFilters,
} from './query'

const filters = (patch: Partial<ListFilters>): ListFilters => ({ ...emptyFilters(), ...patch })

describe('interaction list filters in the URL', () => {
  it('reads every filter from the query', () => {
    const f = filtersFromQuery({
      q: 'refund',
      from: '2026-03-01',
      to: '2026-03-31',
      read: 'unread',
      status: ['open', 'closed_unmanaged'],
      sub_status_id: '4',
      account_id: '7',
      agent_id: '12',
      tag_id: ['3', '9'],
      channel: 'email',
      sort: 'started',
      order: 'asc',
    })
    expect(f).toEqual({
      q: 'refund',
      from: '2026-03-01',
      to: '2026-03-31',
      read: 'unread',
      status: ['open', 'closed_unmanaged'],
      subStatusId: 4,
      accountId: 7,
      agentId: 12,
      tagIds: [3, 9],
      channel: 'email',
      sort: 'started',
      order: 'asc',
    })
  })

  it('leaves what it does not understand at its default', () => {
    const f = filtersFromQuery({
      from: '2026-02-30',
      to: 'yesterday',
      read: 'maybe',
      status: ['open', 'lost', 'open'],
      account_id: '-1',
      agent_id: 'me',
      tag_id: ['x', '0', '5', '5'],
      sort: 'colour',
      order: 'sideways',
    })
    expect(f).toEqual({ ...emptyFilters(), status: ['open'], tagIds: [5] })
  })

  it('takes the first value of a parameter given twice and ignores empty ones', () => {
    expect(filtersFromQuery({ q: ['a', 'b'], read: [null, 'read'], account_id: '' })).toMatchObject({ q: 'a', read: 'read', accountId: null })
  })

  it('writes only what differs from the defaults, in a stable order', () => {
    expect(filtersToQuery(emptyFilters())).toEqual({})
    expect(
      filtersToQuery(filters({ q: '  hello ', status: ['closed', 'open'], tagIds: [9, 3], agentId: 2, sort: 'id', order: 'desc' })),
    ).toEqual({ q: 'hello', status: ['open', 'closed'], agent_id: '2', tag_id: ['3', '9'], sort: 'id', order: 'desc' })
  })

  it('round-trips through the URL', () => {
    const f = filters({ q: 'x', from: '2026-01-02', read: 'read', status: ['waiting'], subStatusId: 1, accountId: 2, tagIds: [4], channel: 'sms', order: 'asc' })
    expect(filtersFromQuery(filtersToQuery(f))).toEqual(f)
  })

  it('compares filter sets by the list they ask for', () => {
    expect(sameFilters(filters({ q: 'a ' }), filters({ q: 'a' }))).toBe(true)
    expect(sameFilters(filters({ tagIds: [1, 2] }), filters({ tagIds: [2, 1] }))).toBe(true)
    expect(sameFilters(filters({ read: 'read' }), emptyFilters())).toBe(false)
  })

  it('counts the filters that narrow the list, a date range as one', () => {
    expect(activeFilterCount(emptyFilters())).toBe(0)
    expect(activeFilterCount(filters({ q: 'x', sort: 'id' }))).toBe(0)
    expect(activeFilterCount(filters({ from: '2026-01-01', to: '2026-01-02', status: ['open', 'closed'], tagIds: [1] }))).toBe(3)
  })

  it('clears the filters but keeps the sort', () => {
    const f = filters({ q: 'x', read: 'read', channel: 'chat', sort: 'id', order: 'asc' })
    expect(clearedFilters(f, false)).toEqual(filters({ sort: 'id', order: 'asc' }))
    expect(clearedFilters(f, true)).toEqual(filters({ sort: 'id', order: 'asc', channel: 'chat' }))
  })

  it('knows real calendar days', () => {
    expect(parseDay('2024-02-29')).toBe('2024-02-29')
    expect(parseDay('2025-02-29')).toBeNull()
    expect(parseDay('2025-13-01')).toBeNull()
    expect(parseDay('2025-1-01')).toBeNull()
  })
})

describe('interaction list API query', () => {
  it('sends every filter under the API names, lists repeated', () => {
    const params = apiParams(
      filters({ q: ' tv ', read: 'unread', status: ['closed', 'open'], accountId: 3, agentId: 5, tagIds: [8, 2], sort: 'status', order: 'asc' }),
      { channel: 'chat', limit: 50, cursor: 'abc' },
    )
    expect(params).toMatchObject({
      channel: 'chat',
      q: 'tv',
      read: 'unread',
      status: ['open', 'closed'],
      account_id: 3,
      agent_id: 5,
      tag_id: [2, 8],
      sort: 'status',
      order: 'asc',
      limit: 50,
      cursor: 'abc',
    })
    expect(params.from).toBeUndefined()
    expect(params.sub_status_id).toBeUndefined()
  })

  it('uses the page channel over the channel filter, which only the console has', () => {
    expect(apiParams(filters({ channel: 'sms' }), { channel: 'chat', limit: 1, cursor: null }).channel).toBe('chat')
    expect(apiParams(filters({ channel: 'sms' }), { channel: null, limit: 1, cursor: null }).channel).toBe('sms')
    expect(apiParams(emptyFilters(), { channel: null, limit: 1, cursor: null }).channel).toBeUndefined()
  })

  it('sends the sub-status on email with Open chosen only', () => {
    const f = filters({ status: ['open'], subStatusId: 4 })
    expect(apiParams(f, { channel: 'email', limit: 1, cursor: null }).sub_status_id).toBe(4)
    expect(apiParams(f, { channel: 'chat', limit: 1, cursor: null }).sub_status_id).toBeUndefined()
    expect(apiParams({ ...f, status: ['closed'] }, { channel: 'email', limit: 1, cursor: null }).sub_status_id).toBeUndefined()
  })

  it('sends the start date range as the bounds of local days, either order', () => {
    const p = apiParams(filters({ from: '2026-03-31', to: '2026-03-01' }), { channel: 'chat', limit: 1, cursor: null })
    const from = new Date(p.from as string)
    const to = new Date(p.to as string)
    expect([from.getFullYear(), from.getMonth(), from.getDate(), from.getHours(), from.getMinutes()]).toEqual([2026, 2, 1, 0, 0])
    // The server's date-time `to` is where the range stops, left out: the next local midnight.
    expect([to.getFullYear(), to.getMonth(), to.getDate(), to.getHours(), to.getMinutes()]).toEqual([2026, 3, 1, 0, 0])
  })

  it('writes day bounds as RFC 3339', () => {
    expect(dayBound('2026-07-04', false)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  })

  it('turns picked dates into days and back', () => {
    expect(dateToDay(new Date(2026, 0, 5, 17, 30))).toBe('2026-01-05')
    expect(dateToDay(null)).toBeNull()
    expect(dateToDay(new Date('nonsense'))).toBeNull()
    expect(dayToDate('2026-01-05')?.getDate()).toBe(5)
    expect(dayToDate('2026-02-31')).toBeNull()
  })
})
