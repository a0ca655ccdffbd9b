import { describe, expect, it } from 'vitest'
import { useFetchMock } from '../testing/fetchMock'
import { realtimeApi } from '../api/routing'
import { createServerClock } from '../serverClock'
import { agentTimers } from './liveTimers'

// The server answers at 10:00:00 by its clock; the browser's clock is 5 minutes off.
const SERVER_TIME = '2026-11-21T10:00:00Z'
const FIVE_MINUTES = 5 * 60_000

const agent = {
  logged_in_at: '2026-11-21T08:30:00Z', // 1 h 30 min ago
  paused_at: '2026-11-21T09:59:15Z', // 45 s ago
  routing: { offers: [{ interaction_id: 12, queue_id: 1, channel: 'chat', offered_at: '2026-11-21T09:59:50Z', expires_at: '2026-11-21T10:00:20Z' }] },
}

describe("the supervisor console's timers", () => {
  const { fetchMock } = useFetchMock()

  for (const [how, offset] of [
    ['5 minutes behind', -FIVE_MINUTES],
    ['5 minutes ahead', FIVE_MINUTES],
  ] as const) {
    it(`show the right times with a browser clock ${how}`, async () => {
      let browserNow = Date.parse(SERVER_TIME) + offset
      const clock = createServerClock(() => browserNow)
      fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ items: [], server_time: SERVER_TIME }), { status: 200 }))
      clock.sample((await realtimeApi.agents()).server_time)

      expect(agentTimers(agent, browserNow, clock.skew.value)).toEqual({
        session: '01:30:00',
        paused: '00:00:45',
        offers: new Map([[12, '0:20']]),
      })
      // Uncorrected, they would be off by the browser clock's 5 minutes (or stuck at zero).
      expect(agentTimers(agent, browserNow, 0).session).not.toBe('01:30:00')

      browserNow += 10_000 // ten seconds later, by either clock
      expect(agentTimers(agent, browserNow, clock.skew.value)).toEqual({
        session: '01:30:10',
        paused: '00:00:55',
        offers: new Map([[12, '0:10']]),
      })
    })
  }

  it('show no pause time for an agent who is not paused', () => {
    expect(agentTimers({ ...agent, paused_at: null, routing: { offers: [] } }, Date.parse(SERVER_TIME), 0)).toEqual({
      session: '01:30:00',
      paused: '',
      offers: new Map(),
    })
  })
})
