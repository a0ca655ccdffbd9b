/**
 * For requests that overlap (a search typed quickly, a page clicked twice):
 * only the answer to the latest one may be used. Each start() aborts the
 * request before it and makes its answer stale, so a slow earlier answer can
 * never overwrite a newer one, even if it arrives after all.
 */
export interface LatestTicket {
  signal: AbortSignal
  /** Still the latest request: its answer may be shown. */
  current(): boolean
}

export function createLatest() {
  let seq = 0
  let controller: AbortController | undefined

  return {
    start(): LatestTicket {
      controller?.abort()
      const own = new AbortController()
      controller = own
      const id = ++seq
      return { signal: own.signal, current: () => id === seq }
    },
    /** Drops whatever is under way (e.g. the page is closed). */
    cancel(): void {
      controller?.abort()
      controller = undefined
      seq++
    },
  }
}

export type LatestResult<T> = { stale: false; value: T } | { stale: true }

/**
 * Wraps a request function so its callers learn whether their answer is
 * still the latest; a stale call (aborted, or overtaken) never throws.
 */
export function latestOnly<A extends unknown[], T>(fn: (signal: AbortSignal, ...args: A) => Promise<T>) {
  const latest = createLatest()
  async function run(...args: A): Promise<LatestResult<T>> {
    const ticket = latest.start()
    try {
      const value = await fn(ticket.signal, ...args)
      return ticket.current() ? { stale: false, value } : { stale: true }
    } catch (err) {
      if (!ticket.current() || ticket.signal.aborted) return { stale: true }
      throw err
    }
  }
  return Object.assign(run, { cancel: latest.cancel })
}
