import type { ContactImport, ImportCounts } from '../api/contactImports'
import type { RealtimeEvent } from '../realtime'

// Following a running import: the server announces its counts to the
// importer over the realtime socket; when no event came for a while (the
// socket is down, or the events are far apart) the page asks for the
// import's state, so the bar never stands still while the import moves.

export interface ImportTrackerOptions {
  load(id: number): Promise<ContactImport>
  /** Starts hearing realtime events (and "load again" calls); returns the way to stop. */
  listen(handlers: { onEvent(event: RealtimeEvent): void; onSync(): void }): () => void
  /** Every new state of the import. */
  onUpdate(im: ContactImport): void
  onError?(err: unknown): void
  /** What is known already (the answer that started it): shown before the first load answers. */
  initial?: ContactImport | null
  /** Asks the server when nothing was heard for this long. */
  pollMs?: number
  now?: () => number
}

/** The default polling fallback: every 2 s without news. */
export const IMPORT_POLL_MS = 2000

function isCounts(value: unknown): value is ImportCounts {
  if (typeof value !== 'object' || value === null) return false
  const c = value as Record<string, unknown>
  return ['total', 'processed', 'created', 'updated', 'rejected'].every((k) => typeof c[k] === 'number')
}

/**
 * Follows one import until it ends (or stop is called): loads it at once,
 * takes the counts of its progress events, loads it whole when it finishes
 * (for the failure text and the end time), and loads it every pollMs when
 * no event came meanwhile. Returns stop.
 */
export function trackImport(id: number, options: ImportTrackerOptions): () => void {
  const pollMs = options.pollMs ?? IMPORT_POLL_MS
  const now = options.now ?? Date.now
  let current: ContactImport | null = null
  let heardAt = now()
  let stopped = false
  let loading = false

  function update(im: ContactImport) {
    if (stopped) return
    current = im
    options.onUpdate(im)
    if (im.status !== 'running') stop()
  }

  async function load() {
    if (loading || stopped) return
    loading = true
    heardAt = now()
    try {
      update(await options.load(id))
    } catch (err) {
      options.onError?.(err)
    } finally {
      loading = false
    }
  }

  const stopListening = options.listen({
    onEvent(event) {
      if (Number(event.data.import_id) !== id || !event.event.startsWith('contact_import.')) return
      heardAt = now()
      if (event.event === 'contact_import.finished') {
        void load()
        return
      }
      if (current && current.status === 'running' && isCounts(event.data.counts)) {
        update({ ...current, counts: event.data.counts })
      }
    },
    onSync: () => void load(),
  })

  const timer = setInterval(() => {
    if (now() - heardAt >= pollMs) void load()
  }, pollMs / 4)

  function stop() {
    if (stopped) return
    stopped = true
    clearInterval(timer)
    stopListening()
  }

  if (options.initial) update(options.initial)
  void load()
  return stop
}

// The answer that started an import, handed to the page that follows it
// (its own address), so the bar shows at once instead of after a request.
const justStarted = new Map<number, ContactImport>()

export function handOver(im: ContactImport) {
  justStarted.set(im.id, im)
}

export function takeOver(id: number): ContactImport | null {
  const im = justStarted.get(id) ?? null
  justStarted.delete(id)
  return im
}

/** How far an import is, 0–100 (a finished one is at 100). */
export function importPercent(im: ContactImport): number {
  if (im.status !== 'running') return 100
  if (im.counts.total <= 0) return 0
  return Math.min(100, Math.floor((im.counts.processed / im.counts.total) * 100))
}
