import { describe, expect, it } from 'vitest'
import { appendPage, createKeysetList, type CursorPage } from './list'

type Row = { id: number; v?: string }

/**
 * A server holding rows in list order: a page starts after the row the
 * cursor names (the cursor is its id) and the rows can change between
 * requests, like the real keyset query. Answers wait until released, so a
 * test can interleave requests and changes.
 */
function fakeServer(initial: Row[]) {
  let rows = [...initial]
  const calls: { cursor: string | null; limit: number }[] = []
  const pending: (() => void)[] = []
  let auto = true

  function pageAfter(cursor: string | null, limit: number): CursorPage<Row> {
    const start = cursor === null ? 0 : rows.findIndex((r) => String(r.id) === cursor) + 1
    const items = rows.slice(start, start + limit).map((r) => ({ ...r }))
    const last = items[items.length - 1]
    return { items, next_cursor: start + limit < rows.length && last ? String(last.id) : null }
  }

  return {
    calls,
    set rows(next: Row[]) {
      rows = [...next]
    },
    get rows() {
      return rows
    },
    hold() {
      auto = false
    },
    /** Lets the oldest waiting request answer (with the rows as they are now). */
    release() {
      pending.shift()?.()
    },
    fetch(cursor: string | null, limit: number, signal: AbortSignal): Promise<CursorPage<Row>> {
      calls.push({ cursor, limit })
      return new Promise((resolve, reject) => {
        const answer = () => (signal.aborted ? reject(new DOMException('aborted', 'AbortError')) : resolve(pageAfter(cursor, limit)))
        if (auto) queueMicrotask(answer)
        else pending.push(answer)
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
      })
    },
  }
}

const ids = (rows: readonly Row[]) => rows.map((r) => r.id)
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i }))
const tick = () => new Promise((r) => setTimeout(r, 0))

describe('appendPage', () => {
  it('appends a page', () => {
    expect(ids(appendPage([{ id: 1 }, { id: 2 }], [{ id: 3 }]))).toEqual([1, 2, 3])
  })

  it('moves a row that comes again to its new place, with its new data', () => {
    const rows = appendPage([{ id: 1 }, { id: 2, v: 'old' }, { id: 3 }], [{ id: 4 }, { id: 2, v: 'new' }])
    expect(rows).toEqual([{ id: 1 }, { id: 3 }, { id: 4 }, { id: 2, v: 'new' }])
  })

  it('keeps one copy of a row a page holds twice', () => {
    expect(ids(appendPage([], [{ id: 1 }, { id: 1 }, { id: 2 }]))).toEqual([1, 2])
  })
})

describe('a keyset list', () => {
  it('loads the first page and then the next ones until the end', async () => {
    const server = fakeServer(range(1, 5))
    const list = createKeysetList<Row>({ fetch: server.fetch, pageSize: 2, maxLimit: 10 })
    await list.reset()
    expect(ids(list.snapshot.rows)).toEqual([1, 2])
    expect(list.snapshot.loaded).toBe(true)
    await list.loadMore()
    await list.loadMore()
    expect(ids(list.snapshot.rows)).toEqual([1, 2, 3, 4, 5])
    expect(list.snapshot.next).toBeNull()
    await list.loadMore() // nothing more to load
    expect(server.calls).toHaveLength(3)
  })

  it('pages on without a gap or a repeat after new rows arrive at the top', async () => {
    const server = fakeServer(range(10, 15))
    const list = createKeysetList<Row>({ fetch: server.fetch, pageSize: 3, maxLimit: 10 })
    await list.reset()
    server.rows = [{ id: 16 }, { id: 17 }, ...server.rows]
    await list.loadMore()
    expect(ids(list.snapshot.rows)).toEqual([10, 11, 12, 13, 14, 15])
  })

  it('refreshes as many rows as are shown, so rows that moved take their new place and "Load more" goes on from there', async () => {
    const server = fakeServer(range(1, 10))
    const list = createKeysetList<Row>({ fetch: server.fetch, pageSize: 3, maxLimit: 100 })
    await list.reset()
    await list.loadMore()
    expect(ids(list.snapshot.rows)).toEqual([1, 2, 3, 4, 5, 6])
    // 5 got a message (to the top), 2 was closed and left the filter, 11 is new.
    server.rows = [{ id: 11 }, { id: 5, v: 'new' }, { id: 1 }, { id: 3 }, { id: 4 }, { id: 6 }, { id: 7 }, { id: 8 }, { id: 9 }, { id: 10 }]
    await list.refresh()
    expect(ids(list.snapshot.rows)).toEqual([11, 5, 1, 3, 4, 6])
    expect(list.snapshot.rows[1]).toEqual({ id: 5, v: 'new' })
    expect(server.calls.at(-1)).toEqual({ cursor: null, limit: 6 })
    await list.loadMore()
    expect(ids(list.snapshot.rows)).toEqual([11, 5, 1, 3, 4, 6, 7, 8, 9])
  })

  it('refreshes a long list in several requests when it holds more than the server gives at once', async () => {
    const server = fakeServer(range(1, 12))
    const list = createKeysetList<Row>({ fetch: server.fetch, pageSize: 5, maxLimit: 4 })
    await list.reset()
    await list.loadMore()
    server.calls.length = 0
    await list.refresh()
    expect(ids(list.snapshot.rows)).toEqual(range(1, 10).map((r) => r.id))
    expect(server.calls).toEqual([
      { cursor: null, limit: 4 },
      { cursor: '4', limit: 4 },
      { cursor: '8', limit: 2 },
    ])
    expect(list.snapshot.next).toBe('10')
  })

  it('never shows a row twice when refreshes and pages interleave', async () => {
    const server = fakeServer(range(1, 8))
    const list = createKeysetList<Row>({ fetch: server.fetch, pageSize: 3, maxLimit: 100 })
    await list.reset()
    server.hold()
    const more = list.loadMore()
    void list.refresh() // waits for the page in flight
    server.rows = [{ id: 4 }, ...server.rows.filter((r) => r.id !== 4)] // 4 moved to the top meanwhile
    server.release()
    await more
    await tick()
    server.release()
    await tick()
    await tick()
    const shown = ids(list.snapshot.rows)
    expect(new Set(shown).size).toBe(shown.length)
    expect(shown).toEqual([4, 1, 2, 3, 5, 6])
  })

  it('drops an answer that a new search made stale', async () => {
    const server = fakeServer(range(1, 3))
    const list = createKeysetList<Row>({ fetch: server.fetch, pageSize: 2, maxLimit: 10 })
    server.hold()
    const first = list.reset()
    const other = fakeServer([{ id: 99 }])
    const second = list.reset(other.fetch)
    server.release()
    await first
    await second
    expect(ids(list.snapshot.rows)).toEqual([99])
    expect(list.snapshot.activity).toBe('idle')
  })

  it('keeps the rows when a refresh fails, and says so until the next success', async () => {
    const server = fakeServer(range(1, 3))
    let fail = false
    const list = createKeysetList<Row>({
      fetch: (c, l, s) => (fail ? Promise.reject(new Error('down')) : server.fetch(c, l, s)),
      pageSize: 2,
      maxLimit: 10,
    })
    await list.reset()
    fail = true
    await list.refresh()
    expect(ids(list.snapshot.rows)).toEqual([1, 2])
    expect(list.snapshot.error).toBeInstanceOf(Error)
    fail = false
    await list.refresh()
    expect(list.snapshot.error).toBeNull()
  })

  it('shows a failed first page as loaded and empty with the error', async () => {
    const list = createKeysetList<Row>({ fetch: () => Promise.reject(new Error('no')), pageSize: 2, maxLimit: 10 })
    await list.reset()
    expect(list.snapshot).toMatchObject({ rows: [], loaded: true, activity: 'idle' })
    expect(list.snapshot.error).toBeInstanceOf(Error)
  })

  it('tells its owner of every change', async () => {
    const server = fakeServer(range(1, 3))
    const seen: string[] = []
    const list = createKeysetList<Row>({ fetch: server.fetch, pageSize: 2, maxLimit: 10, onChange: (s) => seen.push(`${s.activity}:${s.rows.length}`) })
    await list.reset()
    expect(seen).toEqual(['first:0', 'idle:2'])
  })

  it('applies nothing after cancel', async () => {
    const server = fakeServer(range(1, 3))
    server.hold()
    const list = createKeysetList<Row>({ fetch: server.fetch, pageSize: 2, maxLimit: 10 })
    const first = list.reset()
    list.cancel()
    server.release()
    await first
    expect(list.snapshot.rows).toEqual([])
  })
})
