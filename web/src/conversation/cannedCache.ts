import { cannedAnswersApi } from '../api/catalogs'
import type { CannedAnswer } from '../api/types'

// The canned answers an account's conversations may use (the global ones
// and the account's own), fetched once per account and matched in the
// browser as the agent types: there are tens of them, not thousands, and
// the popup must follow every key press without a round trip.

/** Fetched again after this long, so an admin's new answer shows up within minutes. */
const TTL_MS = 5 * 60_000

const cache = new Map<string, { at: number; answers: Promise<CannedAnswer[]> }>()

export function cannedAnswersFor(accountId: number | null, now = Date.now()): Promise<CannedAnswer[]> {
  const key = String(accountId ?? 'global')
  const hit = cache.get(key)
  if (hit && now - hit.at < TTL_MS) return hit.answers
  const answers = cannedAnswersApi.list('', undefined, accountId).catch((err: unknown) => {
    cache.delete(key) // try again next time
    throw err
  })
  cache.set(key, { at: now, answers })
  return answers
}
