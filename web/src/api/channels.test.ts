import { describe, expect, it } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import { accountsApi, websitesApi } from './channels'
import { cannedAnswersApi, dispositionsApi } from './catalogs'

describe('website and account endpoints', () => {
  const { fetchMock } = useFetchMock('csrf-1')

  it('puts back what the server left out of a website', async () => {
    fetchMock.mockImplementation(
      async () =>
        new Response(
          '{"id":3,"channel":"chat","name":"Shop","enabled":true,"queue_id":1,"colour":"#2563EB","allowed_origins":null,"online_form":[{"name":"topic","label":"Topic","type":"select"}],"offline_form":null}',
          { status: 200 },
        ),
    )
    const website = await websitesApi.get(3)
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/websites/3')
    expect(website).toMatchObject({ colour: '#2563eb', allowed_origins: [], offline_form: [], default_list_id: null, offline_message: '' })
    expect(website.online_form[0]).toEqual({ name: 'topic', label: 'Topic', type: 'select', required: false, options: [] })
  })

  it('rotates the key with POST and patches only what is given', async () => {
    fetchMock.mockImplementation(async () => new Response('{"id":3,"name":"Shop","widget_key":"k2"}', { status: 200 }))
    expect((await websitesApi.rotateKey(3)).widget_key).toBe('k2')
    await websitesApi.update(3, { title: 'Hi' })
    const [url, init] = fetchMock.mock.calls[1]!
    expect([fetchMock.mock.calls[0]![1].method, url, init.method, JSON.parse(String(init.body))]).toEqual(['POST', '/api/v1/websites/3', 'PATCH', { title: 'Hi' }])
  })

  it('lists the chat accounts, and catalog entries per account', async () => {
    fetchMock.mockImplementation(async () => new Response('{"items":[]}', { status: 200 }))
    await accountsApi.list('chat')
    await dispositionsApi.list(5)
    await dispositionsApi.list()
    await cannedAnswersApi.list(' hi ', undefined, 5)
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([
      '/api/v1/accounts?channel=chat',
      '/api/v1/dispositions?account_id=5',
      '/api/v1/dispositions',
      '/api/v1/canned-answers?q=hi&account_id=5',
    ])
  })
})
