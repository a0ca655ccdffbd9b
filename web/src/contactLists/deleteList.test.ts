import { describe, expect, it, vi } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import type { ContactList } from '../api/contactLists'
import { deleteContactList } from './deleteList'

const list: ContactList = { id: 7, name: 'Customers', description: '', created_at: '', updated_at: '' }
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status })
const detail = (count: number) => json(200, { ...list, contact_count: count })
const deleted = () => new Response(null, { status: 204 })

describe('deleting a contact list', () => {
  const { fetchMock } = useFetchMock()
  const calls = () => fetchMock.mock.calls.map(([url, init]) => `${init.method} ${url}`)

  it('asks the plain question for an empty list and deletes it without touching contacts', async () => {
    fetchMock.mockResolvedValueOnce(detail(0)).mockResolvedValueOnce(deleted())
    const ask = { empty: vi.fn(async () => true), withContacts: vi.fn(async () => true) }
    expect(await deleteContactList(list, ask)).toBe(true)
    expect(ask.empty).toHaveBeenCalledWith(list)
    expect(ask.withContacts).not.toHaveBeenCalled()
    expect(calls()).toEqual(['GET /api/v1/lists/7', 'DELETE /api/v1/lists/7'])
  })

  it('says how many contacts go with the list, and deletes them only once that was accepted', async () => {
    fetchMock.mockResolvedValueOnce(detail(1234)).mockResolvedValueOnce(deleted())
    const ask = { empty: vi.fn(async () => true), withContacts: vi.fn(async () => true) }
    expect(await deleteContactList(list, ask)).toBe(true)
    expect(ask.withContacts).toHaveBeenCalledWith(list, 1234)
    expect(ask.empty).not.toHaveBeenCalled()
    expect(calls()).toEqual(['GET /api/v1/lists/7', 'DELETE /api/v1/lists/7?delete_contacts=true'])
  })

  it('deletes nothing when the admin declines', async () => {
    fetchMock.mockResolvedValueOnce(detail(3))
    expect(await deleteContactList(list, { empty: async () => true, withContacts: async () => false })).toBe(false)
    expect(calls()).toEqual(['GET /api/v1/lists/7'])
  })

  it('asks again, with the new count, when contacts arrived after the question', async () => {
    fetchMock
      .mockResolvedValueOnce(detail(0))
      .mockResolvedValueOnce(json(409, { code: 'list.not_empty', message: 'This list still holds 2 contact(s).' }))
      .mockResolvedValueOnce(detail(2))
      .mockResolvedValueOnce(deleted())
    const ask = { empty: vi.fn(async () => true), withContacts: vi.fn(async () => true) }
    expect(await deleteContactList(list, ask)).toBe(true)
    expect(ask.withContacts).toHaveBeenCalledWith(list, 2)
    expect(calls()).toEqual([
      'GET /api/v1/lists/7',
      'DELETE /api/v1/lists/7',
      'GET /api/v1/lists/7',
      'DELETE /api/v1/lists/7?delete_contacts=true',
    ])
  })

  it('passes the other refusals on, such as the default list of a website', async () => {
    fetchMock
      .mockResolvedValueOnce(detail(5))
      .mockResolvedValueOnce(json(409, { code: 'list.in_use', message: 'This list is the default contact list of Shop.' }))
    await expect(deleteContactList(list, { empty: async () => true, withContacts: async () => true })).rejects.toMatchObject({
      status: 409,
      code: 'list.in_use',
      message: 'This list is the default contact list of Shop.',
    })
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })
})
