import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ContactImport } from '../api/contactImports'
import type { RealtimeEvent } from '../realtime'
import { handOver, importPercent, takeOver, trackImport } from './progress'

const counts = (processed: number, total = 100) => ({ total, processed, created: processed, updated: 0, rejected: 0 })
const job = (over: Partial<ContactImport> = {}): ContactImport => ({
  id: 7,
  list_id: 1,
  filename: 'a.csv',
  status: 'running',
  created_at: '',
  finished_at: null,
  counts: counts(0),
  failure: null,
  ...over,
})

describe('following an import', () => {
  let handlers: { onEvent(e: RealtimeEvent): void; onSync(): void }
  let unlisten: ReturnType<typeof vi.fn<() => void>>
  let states: ContactImport[]
  let load: ReturnType<typeof vi.fn<(id: number) => Promise<ContactImport>>>

  const event = (name: string, data: Record<string, unknown>): RealtimeEvent => ({ id: 1, event: name, at: '', data })
  const start = () =>
    trackImport(7, {
      load,
      listen: (h) => {
        handlers = h
        return unlisten
      },
      onUpdate: (im) => states.push(im),
      now: () => Date.now(),
    })

  beforeEach(() => {
    vi.useFakeTimers()
    states = []
    unlisten = vi.fn<() => void>()
    load = vi.fn(async () => job())
  })
  afterEach(() => vi.useRealTimers())

  it('loads it at once, then takes the counts of its own progress events without asking the server', async () => {
    start()
    await vi.advanceTimersByTimeAsync(0)
    expect(load).toHaveBeenCalledTimes(1)
    handlers.onEvent(event('contact_import.progress', { import_id: 8, counts: counts(90) })) // another import
    handlers.onEvent(event('contact_import.progress', { import_id: 7, counts: counts(40) }))
    await vi.advanceTimersByTimeAsync(1500)
    handlers.onEvent(event('contact_import.progress', { import_id: 7, counts: counts(80) }))
    await vi.advanceTimersByTimeAsync(1500)
    expect(states.map((s) => s.counts.processed)).toEqual([0, 40, 80])
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('asks the server every 2 s when no event comes, and stops when the import is over', async () => {
    let processed = 0
    load.mockImplementation(async () => {
      processed += 50
      return processed >= 100 ? job({ status: 'done', counts: counts(100) }) : job({ counts: counts(processed) })
    })
    const stop = start()
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(1999)
    expect(load).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(load).toHaveBeenCalledTimes(2)
    expect(states.at(-1)?.status).toBe('done')
    expect(unlisten).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(load).toHaveBeenCalledTimes(2)
    stop() // a second stop does nothing
    expect(unlisten).toHaveBeenCalledTimes(1)
  })

  it('loads the whole import when it finishes, for the end state and the failure', async () => {
    start()
    await vi.advanceTimersByTimeAsync(0)
    load.mockResolvedValue(job({ status: 'failed', failure: 'The import was interrupted.' }))
    handlers.onEvent(event('contact_import.finished', { import_id: 7, status: 'failed', counts: counts(10) }))
    await vi.advanceTimersByTimeAsync(0)
    expect(states.at(-1)).toMatchObject({ status: 'failed', failure: 'The import was interrupted.' })
    expect(unlisten).toHaveBeenCalled()
  })

  it('shows the answer that started it before its first load answers', async () => {
    handOver(job({ id: 7, counts: counts(0, 0) }))
    trackImport(7, { initial: takeOver(7), load, listen: () => unlisten, onUpdate: (im) => states.push(im) })
    expect(states).toHaveLength(1)
    expect(takeOver(7)).toBeNull() // handed over once
    await vi.advanceTimersByTimeAsync(0)
    expect(states).toHaveLength(2)
  })

  it('says how far it is', () => {
    expect(importPercent(job({ counts: counts(0, 0) }))).toBe(0)
    expect(importPercent(job({ counts: counts(333, 1000) }))).toBe(33)
    expect(importPercent(job({ status: 'done', counts: counts(0, 0) }))).toBe(100)
  })
})
