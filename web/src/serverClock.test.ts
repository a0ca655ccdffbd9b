import { describe, expect, it } from 'vitest'
import { createServerClock } from './serverClock'

// The server's clock reads 10:00:00; the browser's runs 5 minutes behind.
const SERVER_NOW = Date.parse('2026-11-21T10:00:00Z')
const FIVE_MINUTES = 5 * 60_000

describe('the server clock', () => {
  it("learns how far the server's clock is ahead of the browser's, either way", () => {
    const behind = createServerClock(() => SERVER_NOW - FIVE_MINUTES)
    expect(behind.skew.value).toBe(0) // nothing read yet
    behind.sample('2026-11-21T10:00:00Z')
    expect(behind.skew.value).toBe(FIVE_MINUTES)
    const ahead = createServerClock(() => SERVER_NOW + FIVE_MINUTES)
    ahead.sample('2026-11-21T10:00:00.000Z')
    expect(ahead.skew.value).toBe(-FIVE_MINUTES)
  })

  it('trusts the reading that arrived soonest and ignores unreadable ones', () => {
    let browser = SERVER_NOW - FIVE_MINUTES
    const clock = createServerClock(() => browser)
    clock.sample('2026-11-21T10:00:00Z')
    browser += 2_000 // an answer that took 2 s on the way: its reading is 2 s old on arrival
    clock.sample('2026-11-21T10:00:00Z')
    clock.sample(undefined)
    clock.sample(null)
    clock.sample('not a time')
    expect(clock.skew.value).toBe(FIVE_MINUTES)
  })

  it('forgets its readings on reset', () => {
    let browser = SERVER_NOW - FIVE_MINUTES
    const clock = createServerClock(() => browser)
    clock.sample('2026-11-21T10:00:00Z')
    clock.reset()
    expect(clock.skew.value).toBe(0)
    browser = SERVER_NOW // another server, or the browser's clock set right: old readings must not win
    clock.sample('2026-11-21T10:00:00Z')
    expect(clock.skew.value).toBe(0)
  })
})
