import { describe, expect, it, vi } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import type { AgentProfile } from '../api/types'
import { penaltyApplies, profileQueuesBody, setProfileEnabled, withQueue } from './profiles'

const profile: AgentProfile = {
  id: 4, name: 'Morning', description: '', enabled: true, created_at: '', updated_at: '', agent_ids: [2], queues: [], in_use: 0,
}

describe('profile queues', () => {
  it('keeps a penalty for voice queues only', () => {
    expect(penaltyApplies('voice')).toBe(true)
    expect(penaltyApplies('chat')).toBe(false)
    expect(
      profileQueuesBody([
        { queue_id: 1, channel: 'voice', penalty: 5 },
        { queue_id: 2, channel: 'email', penalty: 7 },
      ]),
    ).toEqual([
      { queue_id: 1, penalty: 5 },
      { queue_id: 2, penalty: 0 },
    ])
  })

  it('adds a queue at penalty 0 and takes one out', () => {
    const added = withQueue([{ queue_id: 1, channel: 'voice', penalty: 5 }], { id: 2, name: 'Email care', channel: 'email' }, true)
    expect(added).toEqual([
      { queue_id: 1, channel: 'voice', penalty: 5 },
      { queue_id: 2, name: 'Email care', channel: 'email', penalty: 0 },
    ])
    expect(withQueue(added, { id: 1, name: 'x', channel: 'voice' }, false).map((q) => q.queue_id)).toEqual([2])
  })
})

describe('enabling and disabling a profile', () => {
  const { fetchMock } = useFetchMock()
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status })

  it('disables a profile nobody uses straight away', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { ...profile, enabled: false }))
    const ask = vi.fn()
    expect((await setProfileEnabled(profile, false, ask))?.enabled).toBe(false)
    expect(ask).not.toHaveBeenCalled()
    expect(fetchMock.mock.calls[0]![1].body).toBe('{"enabled":false}')
  })

  it('asks first when agents use it (409), with how many, and sends it again confirmed', async () => {
    fetchMock
      .mockResolvedValueOnce(json(409, { code: 'conflict', message: '2 agent(s) are using this profile now.' }))
      .mockResolvedValueOnce(json(200, { ...profile, in_use: 2 }))
      .mockResolvedValueOnce(json(200, { ...profile, enabled: false, in_use: 2 }))
    const ask = vi.fn(async () => true)
    const saved = await setProfileEnabled(profile, false, ask)
    expect(ask).toHaveBeenCalledWith(2)
    expect(saved?.enabled).toBe(false)
    const [url, init] = fetchMock.mock.calls[2]!
    expect(url).toBe('/api/v1/agent-profiles/4')
    expect(init.method).toBe('PATCH')
    expect(init.body).toBe('{"enabled":false,"confirm":true}')
  })

  it('changes nothing when the admin declines', async () => {
    fetchMock
      .mockResolvedValueOnce(json(409, { code: 'conflict', message: 'in use' }))
      .mockResolvedValueOnce(json(200, { ...profile, in_use: 1 }))
    expect(await setProfileEnabled(profile, false, async () => false)).toBeNull()
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })

  it('passes other refusals on', async () => {
    fetchMock.mockResolvedValueOnce(json(403, { code: 'forbidden', message: 'no' }))
    await expect(setProfileEnabled(profile, false, async () => true)).rejects.toMatchObject({ status: 403 })
    fetchMock.mockResolvedValueOnce(json(409, { code: 'conflict', message: 'name taken' }))
    await expect(setProfileEnabled(profile, true, async () => true)).rejects.toMatchObject({ status: 409 })
  })
})
