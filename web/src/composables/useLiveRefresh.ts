import { onBeforeUnmount, onMounted, ref } from 'vue'
import { createRealtimeClient, type RealtimeClient, type RealtimeEvent, type RealtimeStatus } from '../realtime'

/** Where the events come from when not from a socket of the page's own (the desk's, say). */
export interface LiveSource {
  /** Starts hearing events and "load again" calls; returns the way to stop. */
  listen(handlers: { onEvent(event: RealtimeEvent): void; onSync(): void }): () => void
}

export interface LiveRefreshOptions {
  /** Which events make the page load again; all when absent. */
  relevant?: (event: RealtimeEvent) => boolean
  /** A burst of events makes one load, this long after the first. */
  debounceMs?: number
  /** Loads this often anyway, as a safety net. */
  intervalMs?: number
  /** Another's socket to read; without it the page opens its own (and status reports on it). */
  source?: LiveSource
}

/**
 * Keeps a page live: loads at once, again shortly after relevant realtime
 * events (a burst makes one load), whenever the socket had to start over,
 * and every intervalMs in any case. Answers the socket's status.
 */
export function useLiveRefresh(load: () => Promise<unknown>, options: LiveRefreshOptions = {}) {
  const status = ref<RealtimeStatus>('idle')
  const lastLoaded = ref<number | null>(null)
  const debounceMs = options.debounceMs ?? 300
  const intervalMs = options.intervalMs ?? 15_000
  let client: RealtimeClient | null = null
  let stopSource: (() => void) | null = null
  let pending: ReturnType<typeof setTimeout> | undefined
  let interval: ReturnType<typeof setInterval> | undefined
  let running: Promise<unknown> | null = null
  let again = false

  async function refresh() {
    if (running) {
      again = true // one more load once this one is done, with what changed meanwhile
      return running
    }
    running = load()
      .then(() => (lastLoaded.value = Date.now()))
      .catch(() => {})
      .finally(() => {
        running = null
        if (again) {
          again = false
          void refresh()
        }
      })
    return running
  }

  function soon() {
    if (pending !== undefined) return
    pending = setTimeout(() => {
      pending = undefined
      void refresh()
    }, debounceMs)
  }

  onMounted(() => {
    void refresh()
    const onEvent = (ev: RealtimeEvent) => {
      if (!options.relevant || options.relevant(ev)) soon()
    }
    if (options.source) {
      stopSource = options.source.listen({ onEvent, onSync: () => soon() })
    } else {
      client = createRealtimeClient({ onEvent, onSync: () => soon(), onStatus: (s) => (status.value = s) })
      client.start()
    }
    interval = setInterval(() => void refresh(), intervalMs)
  })

  onBeforeUnmount(() => {
    client?.stop()
    client = null
    stopSource?.()
    stopSource = null
    if (pending !== undefined) clearTimeout(pending)
    clearInterval(interval)
  })

  return { status, lastLoaded, refresh, reconnectNow: () => client?.reconnectNow() }
}
