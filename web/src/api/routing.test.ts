import { beforeEach, describe, expect, it } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import type { Desk } from './types'
import { deskApi, interactionsApi, normalizeDesk, queueSettingsApi, realtimeApi } from './routing'

describe('routing answers', () => {
  it('puts back the lists and maps the server leaves out', () => {
    const raw = {
      presence: null,
      profiles: null,
      pause_reasons: null,
      routing: { logged_in: false, paused: false, away: false, active_queues: {}, offers: null, load: null },
      queues: null,
    } as unknown as Desk
    expect(normalizeDesk(raw)).toEqual({
      presence: null,
      profiles: [],
      pause_reasons: [],
      routing: { logged_in: false, paused: false, away: false, active_queues: {}, offers: [], load: {} },
      queues: [],
    })
  })
})

describe('routing endpoints', () => {
  const { fetchMock, calls } = useFetchMock()

  beforeEach(() => {
    fetchMock.mockImplementation(async () => new Response('{"id":1,"routing":{},"members":null}', { status: 200 }))
  })

  it('logs in with a profile, or null for Personal; pauses with a reason, or null for the default pause', async () => {
    await deskApi.login(null)
    await deskApi.login(5)
    await deskApi.changeProfile(null)
    await deskApi.pause(null)
    await deskApi.pause(3)
    await deskApi.resume()
    await deskApi.logout()
    expect(calls()).toEqual([
      ['POST', '/api/v1/me/login', '{"profile_id":null}'],
      ['POST', '/api/v1/me/login', '{"profile_id":5}'],
      ['POST', '/api/v1/me/profile', '{"profile_id":null}'],
      ['POST', '/api/v1/me/pause', '{"reason_id":null}'],
      ['POST', '/api/v1/me/pause', '{"reason_id":3}'],
      ['POST', '/api/v1/me/resume', null],
      ['POST', '/api/v1/me/logout', null],
    ])
  })

  it('transfers to a queue with a timeout, and acts on offers', async () => {
    await interactionsApi.transfer(9, { queue_id: 2, timeout: 300 })
    await interactionsApi.accept(9)
    await interactionsApi.reject(9)
    await interactionsApi.close(9)
    expect(calls()).toEqual([
      ['POST', '/api/v1/interactions/9/transfer', '{"queue_id":2,"timeout":300}'],
      ['POST', '/api/v1/interactions/9/accept', null],
      ['POST', '/api/v1/interactions/9/reject', null],
      ['POST', '/api/v1/interactions/9/close', null],
    ])
  })

  it('adds a queue member with a penalty and reads a queue with its members', async () => {
    const q = await queueSettingsApi.setMember(1, 4, 10)
    expect(q.members).toEqual([])
    await queueSettingsApi.removeMember(1, 4)
    await realtimeApi.pause(4, null)
    await realtimeApi.logout(4)
    expect(calls()).toEqual([
      ['PUT', '/api/v1/queues/1/members/4', '{"penalty":10}'],
      ['DELETE', '/api/v1/queues/1/members/4', null],
      ['POST', '/api/v1/agents/4/pause', '{"reason_id":null}'],
      ['POST', '/api/v1/agents/4/logout', null],
    ])
  })

  it("reads the live queues with their longest wait, null where the server leaves it out", async () => {
    fetchMock.mockImplementation(
      async () =>
        new Response(
          JSON.stringify({
            items: [
              { id: 1, name: 'Sales', live: { queue_id: 1, waiting: [7], estimated_wait_seconds: 30, longest_waiting_since: '2026-11-21T09:00:00Z' } },
              { id: 2, name: 'Support', live: { queue_id: 2, waiting: null, estimated_wait_seconds: 0 } },
            ],
          }),
          { status: 200 },
        ),
    )
    const [sales, support] = await realtimeApi.queues()
    expect(sales.live).toEqual({ queue_id: 1, waiting: [7], estimated_wait_seconds: 30, longest_waiting_since: '2026-11-21T09:00:00Z' })
    expect(support.live).toEqual({ queue_id: 2, waiting: [], estimated_wait_seconds: 0, longest_waiting_since: null })
  })
})
