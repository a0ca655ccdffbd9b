// Canned answers found by typing: the agent types "/" or "#" and a few
// words in the composer, a popup lists the answers that match, and the
// chosen one replaces what he typed. Pure functions: where the trigger is,
// which answers match and in what order, and the text after inserting one.

import type { CannedAnswer } from '../api/types'

/** Characters that start a search for a canned answer. */
export const CANNED_TRIGGERS = ['/', '#'] as const

/** A search longer than this is ordinary text that happens to hold a "#" or "/". */
const MAX_QUERY_CHARS = 40

/** The trigger and the words typed after it, as positions in the composer's text. */
export interface CannedSearch {
  /** Index of the trigger character. */
  start: number
  /** Index just after the last character of the search (the caret). */
  end: number
  /** What was typed after the trigger. */
  query: string
}

/**
 * The canned-answer search the caret is in, if any: a trigger at the start
 * of the text or after a space or line break, then up to the caret no line
 * break and at most MAX_QUERY_CHARS characters. "order #123" is a search for
 * "123" (the popup shows only when something matches); a URL's "/" is not,
 * since no space comes before it.
 */
export function findCannedSearch(text: string, caret: number): CannedSearch | null {
  const upto = text.slice(0, Math.max(0, Math.min(caret, text.length)))
  for (let i = upto.length - 1; i >= 0 && upto.length - i - 1 <= MAX_QUERY_CHARS; i--) {
    const c = upto[i]!
    if (c === '\n' || c === '\r') return null
    if ((CANNED_TRIGGERS as readonly string[]).includes(c) && (i === 0 || /\s/.test(upto[i - 1]!))) {
      const query = upto.slice(i + 1)
      // "/ hello": a lone trigger followed by a space is not a search.
      if (query.startsWith(' ')) return null
      return { start: i, end: upto.length, query }
    }
  }
  return null
}

/** Lower case without accents, so "cortesia" finds "Cortesìa". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

function words(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
}

/**
 * How well an answer matches the searched words (higher first), or -1
 * when some word is in neither its title nor its body. Every searched word
 * must appear, as the start of a word (a prefix) of the title or the body;
 * a whole title starting with the search is the best match, then a title
 * holding every word, then a body.
 */
export function cannedScore(answer: Pick<CannedAnswer, 'title' | 'body'>, query: string): number {
  const wanted = words(query)
  if (!wanted.length) return 0
  const title = words(answer.title)
  const body = words(answer.body)
  let score = 0
  for (const w of wanted) {
    const inTitle = title.some((t) => t.startsWith(w))
    const inBody = !inTitle && body.some((b) => b.startsWith(w))
    if (!inTitle && !inBody) return -1
    score += inTitle ? 10 : 1
  }
  if (fold(answer.title).startsWith(fold(query.trim()))) score += 100
  return score
}

/**
 * The answers matching a search, best first and then by title, at most
 * limit. An empty search lists them all by title (the agent typed just the
 * trigger and wants to browse).
 */
export function matchCanned<T extends Pick<CannedAnswer, 'id' | 'title' | 'body'>>(answers: readonly T[], query: string, limit = 8): T[] {
  return answers
    .map((answer) => ({ answer, score: cannedScore(answer, query) }))
    .filter((x) => x.score >= 0)
    .sort((a, b) => b.score - a.score || a.answer.title.localeCompare(b.answer.title) || a.answer.id - b.answer.id)
    .slice(0, limit)
    .map((x) => x.answer)
}

/** The composer's text with the search replaced by an answer's body, and where the caret goes. */
export function insertCanned(text: string, search: CannedSearch, body: string): { text: string; caret: number } {
  const before = text.slice(0, search.start)
  const after = text.slice(search.end)
  // A space after the inserted text unless one (or the end of a line) follows already.
  const joiner = after === '' || /^\s/.test(after) ? '' : ' '
  const next = before + body + joiner + after
  return { text: next, caret: before.length + body.length + joiner.length }
}
