import { ref } from 'vue'
import { estimateSkew } from './desk/state'

/** How many readings the estimate keeps (the newest). */
const SAMPLES = 20

/**
 * The server's clock as a page sees it: how far it is ahead of this
 * browser's (skew, in ms), learnt from the server times the page reads as
 * they arrive (an answer's server_time, an event's time). Timers of server
 * times (time in state, session, an offer's countdown) count on it, so a
 * browser whose clock is off still shows the right durations.
 */
export function createServerClock(localNow: () => number = Date.now) {
  const skew = ref(0)
  const samples: number[] = []

  /** One reading of the server's clock, taken on arrival; unreadable ones are ignored. */
  function sample(serverTime: string | null | undefined) {
    const at = Date.parse(serverTime ?? '')
    if (!Number.isFinite(at)) return
    samples.push(at - localNow())
    if (samples.length > SAMPLES) samples.shift()
    skew.value = estimateSkew(samples)
  }

  /** Forgets every reading (signed out: the next server may be another). */
  function reset() {
    samples.length = 0
    skew.value = 0
  }

  return { skew, sample, reset }
}

export type ServerClock = ReturnType<typeof createServerClock>
