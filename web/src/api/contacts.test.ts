import { describe, expect, it } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import {
  contactJourney,
  contactLists,
  copyContact,
  createContact,
  deleteContact,
  exportContactsUrl,
  getContact,
  mergeCandidates,
  mergeContact,
  myContacts,
  searchContacts,
  updateContact,
} from './contacts'

describe('contacts endpoints', () => {
  const { fetchMock } = useFetchMock('csrf-1')
  const answer = (body: string | null, status = 200) => fetchMock.mockImplementation(async () => new Response(body, { status }))
  const call = (n: number) => {
    const [url, init] = fetchMock.mock.calls[n]!
    return { url, method: init.method, body: init.body ? JSON.parse(String(init.body)) : undefined }
  }

  it('searches with the quick search, lists, tags, conditions and the cursor as the API names them', async () => {
    answer('{"items":[{"id":7,"list_id":1,"first_name":"Anna","tags":null,"fields":null,"identities":null}],"next_cursor":"c2"}')
    const page = await searchContacts({
      q: ' +39 333 ',
      list_ids: [1, 2],
      tag_ids: [5],
      where: [
        { field: 'city', op: 'equals', value: 'Roma: centro' },
        { field: 'email', op: 'not_set', value: 'ignored' },
      ],
      cursor: 'c1',
      limit: 50,
    })
    const url = new URL(call(0).url, 'http://x')
    expect(url.pathname).toBe('/api/v1/contacts')
    expect(url.searchParams.get('q')).toBe('+39 333')
    expect(url.searchParams.getAll('list_id')).toEqual(['1', '2'])
    expect(url.searchParams.getAll('tag_id')).toEqual(['5'])
    expect(url.searchParams.getAll('where')).toEqual(['city:equals:Roma: centro', 'email:not_set'])
    expect(url.searchParams.get('cursor')).toBe('c1')
    expect(url.searchParams.get('limit')).toBe('50')
    // Left-out texts and lists come back empty, so pages can use them as they are.
    expect(page.items[0]).toMatchObject({ last_name: '', phone: '', tags: [], fields: {}, identities: [] })
    expect(page.next_cursor).toBe('c2')
  })

  it('sends no empty parameters and reads My Contacts from /me/contacts', async () => {
    answer('{"items":null}')
    const page = await myContacts({ q: '  ' })
    expect(call(0).url).toBe('/api/v1/me/contacts')
    expect(page).toEqual({ items: [], next_cursor: null })
  })

  it('creates with POST, changes with PATCH, deletes with DELETE', async () => {
    answer('{"id":9,"list_id":1,"first_name":"Anna"}')
    await createContact({ list_id: 1, first_name: 'Anna', fields: { vip: true } })
    expect(call(0)).toEqual({ url: '/api/v1/contacts', method: 'POST', body: { list_id: 1, first_name: 'Anna', fields: { vip: true } } })
    await updateContact(9, { company: 'ACME', tag_ids: [] })
    expect(call(1)).toEqual({ url: '/api/v1/contacts/9', method: 'PATCH', body: { company: 'ACME', tag_ids: [] } })
    const read = await getContact(9)
    expect(call(2)).toMatchObject({ url: '/api/v1/contacts/9', method: 'GET' })
    expect(read.email).toBe('')
    answer(null, 204)
    await deleteContact(9)
    expect(call(3)).toMatchObject({ url: '/api/v1/contacts/9', method: 'DELETE' })
    expect((fetchMock.mock.calls[3]![1].headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-1')
  })

  it('finds merge candidates, merges and copies', async () => {
    answer('{"items":[{"id":4,"list_id":1,"first_name":"Anna"}]}')
    const found = await mergeCandidates(9, ' anna@example.com ')
    expect(call(0).url).toBe('/api/v1/contacts/9/merge-candidates?q=anna%40example.com')
    expect(found.map((c) => c.id)).toEqual([4])
    answer('{"id":9,"list_id":1}')
    await mergeContact(9, 4)
    expect(call(1)).toEqual({ url: '/api/v1/contacts/9/merge', method: 'POST', body: { other_id: 4 } })
    await copyContact(9, 3)
    expect(call(2)).toEqual({ url: '/api/v1/contacts/9/copy', method: 'POST', body: { list_id: 3 } })
  })

  it('reads the journey a page at a time and fills what the server left out', async () => {
    answer('{"items":[{"id":30,"channel":"chat","status":"closed","created_at":"2026-01-01T10:00:00Z"}],"next_cursor":null}')
    const page = await contactJourney(9, { cursor: 'j1', limit: 20 })
    expect(call(0).url).toBe('/api/v1/contacts/9/journey?cursor=j1&limit=20')
    expect(page.items[0]).toMatchObject({ agent: null, disposition: null, account: null, tags: [], can_open: false })
  })

  it('reads the caller\'s lists with their access and fields', async () => {
    answer('{"items":[{"id":1,"name":"Customers","access":"read","fields":[{"id":2,"list_id":1,"key":"tier","type":"select","options":null}]}]}')
    const lists = await contactLists()
    expect(call(0).url).toBe('/api/v1/contact-lists')
    expect(lists[0]).toMatchObject({ access: 'read', description: '', fields: [{ key: 'tier', options: [] }] })
  })

  it('makes the export URL of the search without its paging', () => {
    const url = exportContactsUrl({ q: 'rossi', list_ids: [2], where: [{ field: 'vip', op: 'equals', value: 'true' }], cursor: 'c', limit: 50 })
    expect(url).toBe('/api/v1/contacts/export.csv?q=rossi&list_id=2&where=vip%3Aequals%3Atrue')
  })
})
