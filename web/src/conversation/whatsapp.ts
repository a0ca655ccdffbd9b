// WhatsApp's rules as the desktop shows them: the 24-hour customer
// service window (free text only within 24 hours of the customer's last
// message, then templates only), a template's text with the parameters the
// agent typed, and which step of the + dialog a number's check leads to.
// Pure functions, so they are easy to test.

import { ApiError } from '../api/api'
import type { OutboundCheck, WhatsAppTemplate } from '../api/whatsappDesk'

/** The server's code for free text sent after the window closed. */
export const WINDOW_EXPIRED = 'whatsapp.window_expired'

export interface WindowState {
  /** Free text may be sent. */
  open: boolean
  /** Milliseconds until it closes; 0 once closed. */
  remainingMs: number
}

/**
 * The window of a WhatsApp interaction at serverNow (the desk's
 * skew-corrected clock): closed when it has no expiry (the customer never
 * wrote, or it closed long ago) or the expiry has passed.
 */
export function windowState(expiresAt: string | null | undefined, serverNow: number): WindowState {
  const end = expiresAt ? Date.parse(expiresAt) : NaN
  if (!Number.isFinite(end) || end <= serverNow) return { open: false, remainingMs: 0 }
  return { open: true, remainingMs: end - serverNow }
}

/** Time left as hours and minutes, rounded up (59 s left still reads "0 h 1 min"). */
export function windowLeft(remainingMs: number): { hours: number; minutes: number } {
  const minutes = Math.max(0, Math.ceil(remainingMs / 60_000))
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 }
}

/** Under an hour left: the indicator warns. */
export const WINDOW_WARN_MS = 60 * 60_000

const PARAMETER = /\{\{\s*([0-9]+)\s*\}\}/g

/** How many parameters a template body has ({{1}}…{{n}}: n). */
export function parameterCount(body: string): number {
  let n = 0
  for (const m of body.matchAll(PARAMETER)) n = Math.max(n, Number(m[1]))
  return n
}

/** A piece of a template's preview: its own text, or a parameter (filled, or still to fill). */
export interface PreviewPart {
  text: string
  /** The parameter's number (1-based), 0 for the template's own text. */
  parameter: number
  filled: boolean
}

/**
 * A template's body with the parameters typed so far: each {{n}} becomes
 * the n-th value, or stays {{n}} while it is blank — as parts, so the
 * preview can mark what the agent filled in.
 */
export function previewTemplate(body: string, values: readonly string[]): PreviewPart[] {
  const parts: PreviewPart[] = []
  let at = 0
  for (const m of body.matchAll(PARAMETER)) {
    if (m.index > at) parts.push({ text: body.slice(at, m.index), parameter: 0, filled: false })
    const n = Number(m[1])
    const value = (values[n - 1] ?? '').trim()
    parts.push({ text: value || `{{${n}}}`, parameter: n, filled: value !== '' })
    at = m.index + m[0].length
  }
  if (at < body.length) parts.push({ text: body.slice(at), parameter: 0, filled: false })
  return parts
}

/** The text the customer will read (what the server stores as the message). */
export function renderTemplate(body: string, values: readonly string[]): string {
  return previewTemplate(body, values)
    .map((p) => p.text)
    .join('')
}

/** The parameters a template needs, each 1-based, that are blank or hold what WhatsApp refuses. */
export function missingParameters(template: Pick<WhatsAppTemplate, 'body' | 'parameter_count'>, values: readonly string[]): number[] {
  const count = Math.max(template.parameter_count, parameterCount(template.body))
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    const v = values[i] ?? ''
    if (!v.trim() || /[\n\t]/.test(v)) out.push(i + 1)
  }
  return out
}

/** A template's name in a picker: "order_update · en_US". */
export function templateLabel(t: Pick<WhatsAppTemplate, 'name' | 'language'>): string {
  return `${t.name} · ${t.language}`
}

/**
 * Where the + dialog goes after a number's check (the reference's
 * scenarios): his own open conversation is opened; an open window lets him
 * write freely; a closed window, or a number that never wrote, needs a
 * template.
 */
export type OutboundStep = 'open' | 'text' | 'template'

export function outboundStep(check: Pick<OutboundCheck, 'interaction_id' | 'send'>): OutboundStep {
  if (check.interaction_id) return 'open'
  return check.send === 'text' ? 'text' : 'template'
}

/**
 * Why a check refused the number, in the server's words: another agent's
 * open conversation (naming him), one waiting in a queue, an account
 * outside his queues. Field errors (a bad number) are not refusals: the
 * form shows them on the field. Empty when err is not a refusal.
 */
export function outboundRefusal(err: unknown): string {
  if (!(err instanceof ApiError)) return ''
  if (err.status === 409 || err.status === 403) return err.message
  return ''
}
