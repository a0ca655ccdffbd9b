// A list read a page at a time with a cursor (keyset pagination), kept live.
//
// "Load more" appends the next page. A live refresh (something changed on
// the server) reads the list again from the top, as many rows as are shown,
// and replaces it: rows that moved take their new place, rows that no longer
// match leave, new ones come in, and the cursor for "Load more" is the one
// after the refreshed rows, so paging on neither skips nor repeats a row.
// A row can still appear twice across pages when it moved between two
// requests; the newer copy wins and the older one is dropped.
//
// One request runs at a time. A new search (reset) cancels whatever runs;
// a refresh asked for while a request runs is done once it ends (the answer
// in flight may predate the change).

export interface Keyed {
  id: number
}

export interface CursorPage<T> {
  items: T[]
  next_cursor: string | null
}

export type FetchPage<T> = (cursor: string | null, limit: number, signal: AbortSignal) => Promise<CursorPage<T>>

export type ListActivity = 'idle' | 'first' | 'more' | 'refresh'

export interface ListSnapshot<T> {
  rows: T[]
  /** The cursor of the next page; null when every row is shown. */
  next: string | null
  /** What is being loaded now. */
  activity: ListActivity
  /** The last failure; cleared by the next success. */
  error: unknown
  /** The first page has arrived (the list may be empty). */
  loaded: boolean
}

/**
 * Appends a page to the rows. A row already shown (it moved between the two
 * requests) is taken out of its old place: the page's copy is newer.
 */
export function appendPage<T extends Keyed>(rows: readonly T[], page: readonly T[]): T[] {
  const incoming = new Set(page.map((r) => r.id))
  const seen = new Set<number>()
  const fresh = page.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
  return [...rows.filter((r) => !incoming.has(r.id)), ...fresh]
}

export interface KeysetListOptions<T> {
  fetch: FetchPage<T>
  /** Rows per "Load more". */
  pageSize: number
  /** The most rows the server gives in one answer; a refresh of more rows takes several. */
  maxLimit: number
  /** Called after every change of the snapshot. */
  onChange?: (snapshot: ListSnapshot<T>) => void
}

export interface KeysetList<T> {
  readonly snapshot: ListSnapshot<T>
  /** A new list (new filters, sort or fetch function): forgets the rows and loads the first page. */
  reset(fetch?: FetchPage<T>): Promise<void>
  /** The next page, if there is one and nothing else is loading. */
  loadMore(): Promise<void>
  /** Reads the shown rows again (something changed on the server). */
  refresh(): Promise<void>
  /** Stops: nothing more is applied. */
  cancel(): void
}

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'AbortError'
}

export function createKeysetList<T extends Keyed>(options: KeysetListOptions<T>): KeysetList<T> {
  let fetchPage = options.fetch
  const snapshot: ListSnapshot<T> = { rows: [], next: null, activity: 'idle', error: null, loaded: false }
  let controller: AbortController | null = null
  let refreshWanted = false
  let generation = 0

  function changed() {
    options.onChange?.(snapshot)
  }

  /** Runs one request as the only one; applies its result unless a reset came meanwhile. */
  async function run(activity: Exclude<ListActivity, 'idle'>, work: (signal: AbortSignal) => Promise<(s: ListSnapshot<T>) => void>) {
    const mine = ++generation
    controller?.abort()
    const ctl = new AbortController()
    controller = ctl
    snapshot.activity = activity
    changed()
    try {
      const apply = await work(ctl.signal)
      if (mine !== generation) return
      apply(snapshot)
      snapshot.error = null
      snapshot.loaded = true
    } catch (err) {
      if (mine !== generation || isAbort(err)) return
      snapshot.error = err
      if (activity === 'first') snapshot.loaded = true
    } finally {
      if (mine === generation) {
        controller = null
        snapshot.activity = 'idle'
        changed()
        if (refreshWanted) {
          refreshWanted = false
          void refresh()
        }
      }
    }
  }

  function reset(fetch?: FetchPage<T>) {
    if (fetch) fetchPage = fetch
    refreshWanted = false
    snapshot.rows = []
    snapshot.next = null
    snapshot.error = null
    snapshot.loaded = false
    return run('first', async (signal) => {
      const page = await fetchPage(null, options.pageSize, signal)
      return (s) => {
        s.rows = appendPage([], page.items)
        s.next = page.next_cursor
      }
    })
  }

  async function loadMore() {
    if (snapshot.activity !== 'idle' || snapshot.next === null) return
    const cursor = snapshot.next
    return run('more', async (signal) => {
      const page = await fetchPage(cursor, options.pageSize, signal)
      return (s) => {
        s.rows = appendPage(s.rows, page.items)
        s.next = page.next_cursor
      }
    })
  }

  async function refresh() {
    if (snapshot.activity !== 'idle') {
      refreshWanted = true
      return
    }
    const want = Math.max(snapshot.rows.length, options.pageSize)
    return run('refresh', async (signal) => {
      let rows: T[] = []
      let cursor: string | null = null
      do {
        const page: CursorPage<T> = await fetchPage(cursor, Math.min(want - rows.length, options.maxLimit), signal)
        rows = appendPage(rows, page.items)
        cursor = page.next_cursor
        if (page.items.length === 0) break
      } while (cursor !== null && rows.length < want)
      return (s) => {
        s.rows = rows
        s.next = cursor
      }
    })
  }

  function cancel() {
    generation++
    refreshWanted = false
    controller?.abort()
    controller = null
  }

  return {
    get snapshot() {
      return snapshot
    },
    reset,
    loadMore,
    refresh,
    cancel,
  }
}
