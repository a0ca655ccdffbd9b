/**
 * Saves a whole value (a list of queue ids, a rights grid) one request at a
 * time: while a save is under way, further changes wait, and only the last
 * of them is sent next. So answers never arrive out of order, and quick
 * clicks make at most two requests.
 */
export function createSerialSaver<T, R>(send: (value: T) => Promise<R>) {
  let running: Promise<void> | null = null
  let next: { value: T } | null = null
  const listeners: { saved: ((answer: R, value: T) => void)[]; failed: ((err: unknown, value: T) => void)[] } = {
    saved: [],
    failed: [],
  }

  async function drain() {
    while (next) {
      const { value } = next
      next = null
      try {
        const answer = await send(value)
        // A newer value waiting will be sent next; its answer is the one to show.
        if (!next) listeners.saved.forEach((fn) => fn(answer, value))
      } catch (err) {
        listeners.failed.forEach((fn) => fn(err, value))
      }
    }
  }

  return {
    /** Asks for value to be saved; resolves when everything asked so far is done. */
    save(value: T): Promise<void> {
      next = { value }
      running ??= drain().finally(() => (running = null))
      return running
    },
    get busy(): boolean {
      return running !== null
    },
    onSaved(fn: (answer: R, value: T) => void) {
      listeners.saved.push(fn)
    },
    onFailed(fn: (err: unknown, value: T) => void) {
      listeners.failed.push(fn)
    },
  }
}
