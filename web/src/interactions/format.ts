// How an interaction list shows its columns: short times that say what
// matters at a glance (a time today, a date otherwise), the last message's
// way, the status colour, who owns it, who is watching, and the count of
// unmanaged interactions of the same conversation.

import type { InteractionRow } from '../api/interactions'
import type { InteractionStatus, Named } from '../api/types'

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
}

/**
 * A time for a busy list: "14:05" today, "3 Mar, 14:05" this year, "3 Mar
 * 2024" before. The full date and time go in a tooltip (formatDateTime).
 */
export function shortDateTime(iso: string | null | undefined, now: Date, locale: string): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  if (sameDay(date, now)) return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date)
  if (date.getFullYear() === now.getFullYear()) {
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(date)
  }
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(date)
}

export interface DirectionMark {
  /** PrimeIcons class: down for a message that came in, up for one that went out (the reference's arrows). */
  icon: string
  /** i18n key of its name. */
  label: string
}

export function directionMark(direction: InteractionRow['last_message_direction']): DirectionMark | null {
  if (direction === 'in') return { icon: 'pi pi-arrow-down-left', label: 'interactionList.direction.in' }
  if (direction === 'out') return { icon: 'pi pi-arrow-up-right', label: 'interactionList.direction.out' }
  return null
}

export type StatusSeverity = 'warn' | 'success' | 'secondary' | 'danger'

export function statusSeverity(status: InteractionStatus | string): StatusSeverity {
  switch (status) {
    case 'waiting':
      return 'warn'
    case 'open':
      return 'success'
    case 'closed_unmanaged':
      return 'danger'
    default:
      return 'secondary'
  }
}

/** Who owns it, as the Agent column says it: "Me", nobody, or a name. */
export type OwnerLabel = { kind: 'me' } | { kind: 'none' } | { kind: 'named'; name: string }

export function ownerLabel(owner: Named | null, me: number | null): OwnerLabel {
  if (!owner) return { kind: 'none' }
  if (me !== null && owner.id === me) return { kind: 'me' }
  return { kind: 'named', name: owner.name }
}

/** The others who have it open now (one's own look is no news), by name. */
export function watchers(watching: readonly Named[], me: number | null): string[] {
  return watching
    .filter((w) => w.id !== me)
    .map((w) => w.name)
    .sort((a, b) => a.localeCompare(b))
}

/** The small number beside the contact; null when there is nothing to say. */
export function relatedBadge(count: number | null | undefined): string | null {
  if (!count || count < 0) return null
  return count > 99 ? '99+' : String(count)
}

/** Names of a list of things (the agent filter's options) from rows seen: each once, by name. */
export function ownersSeen(rows: readonly Pick<InteractionRow, 'owner'>[], known: readonly Named[] = []): Named[] {
  const byId = new Map<number, Named>(known.map((n) => [n.id, n]))
  for (const row of rows) if (row.owner) byId.set(row.owner.id, row.owner)
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/** A row's tags with the ones the list is filtered by first, so a narrow cell still shows why it matched. */
export function tagsFirst<T extends { id: number }>(tags: readonly T[], chosen: readonly number[]): T[] {
  if (!chosen.length) return [...tags]
  return [...tags.filter((t) => chosen.includes(t.id)), ...tags.filter((t) => !chosen.includes(t.id))]
}
