import { describe, expect, it } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import { contactListsApi, listAgentsApi, listFieldsApi, reorderFields, suggestFieldKey, type ListField } from './contactLists'
import { contactImportsApi, importForm } from './contactImports'

const field = (id: number, position: number): ListField => ({
  id,
  list_id: 1,
  key: `f${id}`,
  label: `F${id}`,
  type: 'text',
  required: false,
  options: [],
  position,
})

describe('list fields', () => {
  it('reorders by index and patches only the fields whose position changes', () => {
    const fields = [field(1, 0), field(2, 1), field(3, 2)]
    const { ordered, changed } = reorderFields(fields, 2, 1)
    expect(ordered.map((f) => [f.id, f.position])).toEqual([[1, 0], [3, 1], [2, 2]])
    expect(changed.map((f) => f.id)).toEqual([3, 2])
    expect(reorderFields(fields, 0, -1).changed).toEqual([])
  })

  it('renumbers fields that share a position (made elsewhere) as they are shown', () => {
    const { ordered, changed } = reorderFields([field(1, 0), field(2, 0), field(3, 0)], 0, 1)
    expect(ordered.map((f) => [f.id, f.position])).toEqual([[2, 0], [1, 1], [3, 2]])
    expect(changed.map((f) => f.id)).toEqual([1, 3])
  })

  it('suggests a key from a label', () => {
    expect(suggestFieldKey('Date of birth')).toBe('date_of_birth')
    expect(suggestFieldKey('  Città natale! ')).toBe('citta_natale')
    expect(suggestFieldKey('2nd phone')).toBe('nd_phone')
  })
})

describe('list endpoints', () => {
  const { fetchMock, calls } = useFetchMock()

  it('sends fields, agents access and deletes to the list paths, and orders the fields it gets', async () => {
    fetchMock.mockImplementation(async (url) =>
      url.endsWith('/fields')
        ? new Response(JSON.stringify({ items: [{ ...field(2, 1), options: null }, field(1, 0)] }), { status: 200 })
        : url.includes('/agents/')
          ? new Response('{"items":[{"id":4,"username":"a","full_name":"A","access":"edit"}]}', { status: 200 })
          : new Response(null, { status: 204 }),
    )
    const fields = await listFieldsApi.list(3)
    expect(fields.map((f) => f.id)).toEqual([1, 2])
    expect(fields[1]!.options).toEqual([])
    expect(await listAgentsApi.set(3, 4, 'edit')).toEqual([{ id: 4, username: 'a', full_name: 'A', access: 'edit' }])
    await listFieldsApi.update(3, 9, { position: 2 }).catch(() => {})
    await contactListsApi.remove(3)
    await contactListsApi.remove(3, { deleteContacts: true })
    expect(calls()).toEqual([
      ['GET', '/api/v1/lists/3/fields', null],
      ['PUT', '/api/v1/lists/3/agents/4', '{"access":"edit"}'],
      ['PATCH', '/api/v1/lists/3/fields/9', '{"position":2}'],
      ['DELETE', '/api/v1/lists/3', null],
      ['DELETE', '/api/v1/lists/3?delete_contacts=true', null],
    ])
  })

  it("picks agents from the list's own choices, not the staff list", async () => {
    fetchMock.mockResolvedValueOnce(
      new Response('{"items":[{"id":4,"username":"mario","full_name":"Mario Rossi","avatar_thumbnail_url":null}],"total":1}', { status: 200 }),
    )
    const page = await listAgentsApi.choices(3, { q: 'mar', sort: 'username', limit: 100, offset: 0 })
    expect(page).toEqual({ items: [{ id: 4, username: 'mario', full_name: 'Mario Rossi', avatar_thumbnail_url: null }], total: 1 })
    expect(calls()).toEqual([['GET', '/api/v1/lists/3/agent-choices?q=mar&sort=username&limit=100&offset=0', null]])
  })
})

describe('import form', () => {
  it('carries the list, the header flag, the separator, the mapping as JSON and the file last', async () => {
    const form = importForm({
      listId: 5,
      file: new Blob(['a,b\n1,2\n'], { type: 'text/csv' }),
      filename: 'people.csv',
      mapping: ['phone', ''],
      header: true,
      delimiter: ';',
    })
    expect([...form.keys()]).toEqual(['list_id', 'header', 'delimiter', 'mapping', 'file'])
    expect(form.get('list_id')).toBe('5')
    expect(form.get('mapping')).toBe('["phone",""]')
    expect((form.get('file') as File).name).toBe('people.csv')
    expect(contactImportsApi.rejectedUrl(12)).toBe('/api/v1/contact-imports/12/rejected.csv')
  })
})
