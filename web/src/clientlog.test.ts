import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ClientLogLine } from './api/types'
import { createClientLogger, includedLevels, passesLevel, shouldAnnounce } from './clientlog'

describe('client log levels', () => {
  it('keeps lines at or above the minimum level', () => {
    expect(passesLevel('ERROR', 'ERROR')).toBe(true)
    expect(passesLevel('WARNING', 'ERROR')).toBe(false)
    expect(passesLevel('WARNING', 'INFO')).toBe(true)
    expect(passesLevel('DEBUG', 'INFO')).toBe(false)
    expect(passesLevel('DEBUG', 'DEBUG')).toBe(true)
  })

  it('lists what each level includes', () => {
    expect(includedLevels('ERROR')).toEqual(['ERROR'])
    expect(includedLevels('WARNING')).toEqual(['ERROR', 'WARNING'])
    expect(includedLevels('DEBUG')).toEqual(['ERROR', 'WARNING', 'INFO', 'DEBUG'])
  })
})

describe('client logger', () => {
  let batches: ClientLogLine[][]
  let send: ReturnType<typeof vi.fn<(lines: ClientLogLine[]) => Promise<unknown>>>

  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-11-21T09:00:00Z'))
    batches = []
    send = vi.fn(async (lines: ClientLogLine[]) => {
      batches.push(lines)
    })
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  it('keeps nothing while it is off', async () => {
    const log = createClientLogger({ send })
    log.error('boom')
    expect(log.pending()).toBe(0)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(send).not.toHaveBeenCalled()
  })

  it('sends only the lines at or above the level, in one batch after 5 s', async () => {
    const log = createClientLogger({ send })
    log.configure({ enabled: true, level: 'WARNING' })
    log.error('api failed')
    log.info('navigation')
    log.warn('slow answer')
    log.debug('detail')
    expect(log.pending()).toBe(2)

    await vi.advanceTimersByTimeAsync(4_999)
    expect(send).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(batches).toEqual([
      [
        { at: '2026-11-21T09:00:00.000Z', level: 'ERROR', message: 'api failed' },
        { at: '2026-11-21T09:00:00.000Z', level: 'WARNING', message: 'slow answer' },
      ],
    ])
  })

  it('sends at most one batch every 5 s, however many lines come', async () => {
    const log = createClientLogger({ send })
    log.configure({ enabled: true, level: 'DEBUG' })
    for (let second = 0; second < 12; second++) {
      log.info(`line ${second}`)
      await vi.advanceTimersByTimeAsync(1_000)
    }
    await vi.advanceTimersByTimeAsync(5_000)
    expect(batches.map((b) => b.length)).toEqual([5, 5, 2])
    expect(batches.flat().map((l) => l.message)).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i}`))
  })

  it('does not send again while a batch is still on its way', async () => {
    let release!: () => void
    send.mockImplementationOnce(
      (lines) =>
        new Promise((resolve) => {
          batches.push(lines)
          release = () => resolve(undefined)
        }),
    )
    const log = createClientLogger({ send })
    log.configure({ enabled: true, level: 'ERROR' })
    log.error('one')
    await vi.advanceTimersByTimeAsync(5_000)
    log.error('two')
    await vi.advanceTimersByTimeAsync(20_000)
    expect(send).toHaveBeenCalledTimes(1)
    release()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(batches.map((b) => b.map((l) => l.message))).toEqual([['one'], ['two']])
  })

  it('drops a batch that cannot be delivered, without retrying in a loop', async () => {
    send.mockRejectedValue(new Error('offline'))
    const log = createClientLogger({ send })
    log.configure({ enabled: true, level: 'ERROR' })
    log.error('lost')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(send).toHaveBeenCalledTimes(1)
    expect(log.pending()).toBe(0)
  })

  it('sends what is waiting when switched off, then keeps nothing', async () => {
    const log = createClientLogger({ send })
    log.configure({ enabled: true, level: 'INFO' })
    log.info('before')
    log.configure({ enabled: false, level: 'INFO' })
    await vi.advanceTimersByTimeAsync(0)
    expect(batches).toEqual([[expect.objectContaining({ message: 'before' })]])
    log.error('after')
    expect(log.pending()).toBe(0)
  })

  it('forgets waiting lines below a raised level', () => {
    const log = createClientLogger({ send })
    log.configure({ enabled: true, level: 'DEBUG' })
    log.debug('fine detail')
    log.error('error')
    log.configure({ enabled: true, level: 'ERROR' })
    expect(log.pending()).toBe(1)
  })

  it('keeps a bounded number of lines and cuts long messages', () => {
    const log = createClientLogger({ send, maxBuffer: 3, maxMessage: 5 })
    log.configure({ enabled: true, level: 'ERROR' })
    for (const m of ['a', 'b', 'c', 'd']) log.error(m)
    expect(log.pending()).toBe(3)
    log.error('0123456789')
    void log.flush()
    expect(batches[0]!.map((l) => l.message)).toEqual(['c', 'd', '01234…'])
  })
})

describe('client logging notice', () => {
  it('is shown when logging is switched on, once', () => {
    expect(shouldAnnounce(null, { enabled: true, level: 'INFO' })).toBe(true)
    expect(shouldAnnounce({ enabled: true, level: 'INFO' }, { enabled: true, level: 'DEBUG' })).toBe(false)
    expect(shouldAnnounce({ enabled: false, level: 'INFO' }, { enabled: true, level: 'INFO' })).toBe(true)
    expect(shouldAnnounce(null, { enabled: false, level: 'INFO' })).toBe(false)
  })
})
