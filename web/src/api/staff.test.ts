import { beforeEach, describe, expect, it } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import { agentsApi, exportCsvUrl, teamsApi } from './staff'

describe('CSV export link', () => {
  it('names the selected ids, sorted and without repeats', () => {
    expect(exportCsvUrl('agents', [3, 1, 2, 3])).toBe('/api/v1/agents/export.csv?ids=1,2,3')
    expect(exportCsvUrl('teams', new Set([7]))).toBe('/api/v1/teams/export.csv?ids=7')
    expect(exportCsvUrl('users', [])).toBe('/api/v1/users/export.csv?ids=')
  })
})

describe('staff endpoints', () => {
  const { fetchMock } = useFetchMock('csrf-1')

  beforeEach(() => {
    fetchMock.mockImplementation(async () => new Response('{"id":3}', { status: 200 }))
  })

  it('changes an agent with PATCH, only the fields given', async () => {
    await agentsApi.update(3, { channels: { whatsapp: { capacity: 2 } } })
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/v1/agents/3')
    expect(init.method).toBe('PATCH')
    expect(init.body).toBe('{"channels":{"whatsapp":{"capacity":2}}}')
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-1')
  })

  it('uploads an avatar as multipart form data, field "file"', async () => {
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'me.png', { type: 'image/png' })
    await agentsApi.uploadAvatar(3, file)
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/v1/agents/3/avatar')
    expect(init.method).toBe('PUT')
    expect(init.body).toBeInstanceOf(FormData)
    expect((init.body as FormData).get('file')).toBeInstanceOf(File)
    // The browser sets the multipart boundary itself.
    expect((init.headers as Record<string, string>)['Content-Type']).toBeUndefined()
  })

  it('adds agents to a team and sets its queues', async () => {
    await teamsApi.addAgents(4, [1, 2])
    await teamsApi.setQueues(4, [9])
    expect(fetchMock.mock.calls.map(([url, init]) => [init.method, url, init.body])).toEqual([
      ['POST', '/api/v1/teams/4/agents', '{"agent_ids":[1,2]}'],
      ['PUT', '/api/v1/teams/4/queues', '{"queue_ids":[9]}'],
    ])
  })
})
