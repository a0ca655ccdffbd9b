import type { WhatsAppTemplate } from '../api/whatsapp'

// The pure parts of the template editor: counting a body's parameters as
// the server does (internal/whatsapp/templates.go, CountParameters), with
// the gap it refuses, and what a sync from Meta changed. The preview is
// the desktop's (conversation/whatsapp.ts, previewTemplate): admins see a
// template as agents and customers will.

/** A parameter as WhatsApp writes it: {{1}}, {{ 2 }}. */
const PARAMETER = /\{\{\s*([0-9]+)\s*\}\}/g

export interface ParameterCount {
  /** How many distinct parameters the body has (when numbered right). */
  count: number
  /**
   * The first number missing from 1…n, or 0 for {{0}}: the server refuses a
   * body whose parameters are not numbered 1 to n without a gap. Null when
   * the numbering is right.
   */
  missing: number | null
}

/** Counts a body's parameters; the same one may appear twice. */
export function countParameters(body: string): ParameterCount {
  const seen = new Set<number>()
  for (const match of body.matchAll(PARAMETER)) {
    const n = Number(match[1])
    if (n < 1) return { count: 0, missing: 0 }
    seen.add(n)
  }
  for (let i = 1; i <= seen.size; i++) {
    if (!seen.has(i)) return { count: 0, missing: i }
  }
  return { count: seen.size, missing: null }
}

/** The sample values for count parameters: those typed so far, blanks for the rest. */
export function resizeSamples(samples: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => samples[i] ?? '')
}

export interface SyncSummary {
  /** Templates Meta listed that were not here before. */
  added: number
  /** Templates Meta listed that were here already (body, status… refreshed). */
  updated: number
  /** Synced templates Meta no longer lists, now disabled. */
  disabled: number
}

/**
 * What a sync changed, from the templates before and after it and the
 * number Meta listed (the server answers only that number and the new list).
 */
export function syncSummary(before: readonly WhatsAppTemplate[], after: readonly WhatsAppTemplate[], listed: number): SyncSummary {
  const known = new Map(before.map((t) => [t.id, t]))
  const added = after.filter((t) => !known.has(t.id)).length
  const disabled = after.filter((t) => {
    const old = known.get(t.id)
    return old !== undefined && old.status !== 'disabled' && t.status === 'disabled'
  }).length
  return { added, updated: Math.max(0, listed - added), disabled }
}
