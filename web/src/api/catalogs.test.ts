import { describe, expect, it } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import { cannedAnswersApi, subStatusesApi, tagsApi } from './catalogs'

describe('catalog endpoints', () => {
  const { fetchMock } = useFetchMock('csrf-1')

  it('searches canned answers with q, and sends no q for a blank search', async () => {
    fetchMock.mockImplementation(async () => new Response('{"items":[{"id":1,"title":"Hi","body":null,"account_id":null}]}', { status: 200 }))
    const answers = await cannedAnswersApi.list('  refund ')
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/canned-answers?q=refund')
    expect(answers[0]!.body).toBe('')
    await cannedAnswersApi.list('   ')
    expect(fetchMock.mock.calls[1]![0]).toBe('/api/v1/canned-answers')
  })

  it('puts back an empty list the server left out', async () => {
    fetchMock.mockImplementation(async () => new Response('{"items":null}', { status: 200 }))
    expect(await tagsApi.list()).toEqual([])
  })

  it('creates a tag with POST and changes a sub-status with PATCH', async () => {
    fetchMock.mockImplementation(async () => new Response('{"id":4,"name":"VIP","colour":"#FF0000"}', { status: 200 }))
    const tag = await tagsApi.create({ name: 'VIP', colour: '#ff0000', description: '' })
    expect(tag).toMatchObject({ colour: '#ff0000', description: '' })
    let [url, init] = fetchMock.mock.calls[0]!
    expect([url, init.method, JSON.parse(String(init.body))]).toEqual(['/api/v1/tags', 'POST', { name: 'VIP', colour: '#ff0000', description: '' }])

    fetchMock.mockImplementation(async () => new Response('{"id":1,"name":"Pending","builtin":true}', { status: 200 }))
    await subStatusesApi.update(1, { description: 'Waiting' })
    ;[url, init] = fetchMock.mock.calls[1]!
    expect([url, init.method, JSON.parse(String(init.body))]).toEqual(['/api/v1/sub-statuses/1', 'PATCH', { description: 'Waiting' }])
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-1')
  })
})
