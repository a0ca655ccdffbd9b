import { describe, expect, it } from 'vitest'
import { createLatest, latestOnly } from './latest'

/** A promise to settle by hand, to make answers arrive in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('stale-response guard', () => {
  it('drops a slow earlier answer that arrives after a newer one', async () => {
    const answers = [deferred<string>(), deferred<string>()]
    let call = 0
    // A fetch that ignores the abort signal, the worst case.
    const search = latestOnly((_signal: AbortSignal, q: string) => answers[call++]!.promise.then((a) => `${q}:${a}`))
    const shown: string[] = []
    const apply = (r: Awaited<ReturnType<typeof search>>) => {
      if (!r.stale) shown.push(r.value)
    }

    const first = search('ma').then(apply)
    const second = search('mario').then(apply)
    answers[1]!.resolve('new')
    await second
    answers[0]!.resolve('old')
    await first

    expect(shown).toEqual(['mario:new'])
  })

  it('aborts the earlier request when a new one starts', () => {
    const latest = createLatest()
    const a = latest.start()
    const b = latest.start()
    expect(a.signal.aborted).toBe(true)
    expect(a.current()).toBe(false)
    expect(b.signal.aborted).toBe(false)
    expect(b.current()).toBe(true)
    latest.cancel()
    expect(b.signal.aborted).toBe(true)
    expect(b.current()).toBe(false)
  })

  it('swallows the failure of an overtaken request but not of the latest', async () => {
    const fail = deferred<string>()
    let call = 0
    const run = latestOnly(() => (call++ === 0 ? fail.promise : Promise.reject(new Error('latest failed'))))
    const stale = run()
    const latest = run()
    fail.reject(new Error('old failed'))
    await expect(stale).resolves.toEqual({ stale: true })
    await expect(latest).rejects.toThrow('latest failed')
  })
})
