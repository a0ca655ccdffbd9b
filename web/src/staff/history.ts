import type { HistoryEvent } from '../api/types'

/**
 * How one audit event reads: the i18n key under history.events, its values,
 * and the changed field names (to be translated) for principal.updated.
 */
export interface EventText {
  key: string
  values: Record<string, string>
  fields: string[]
  /** Other facts the event carries, shown as "name: value". */
  details: [string, string][]
}

/** The event types with their own text; any other reads as "other". */
export const KNOWN_EVENTS = [
  'principal.created',
  'principal.updated',
  'principal.password_set',
  'principal.password_changed',
  'principal.password_reset',
  'principal.locked',
  'principal.unlocked',
  'principal.deleted',
  'principal.restored',
  'principal.purged',
  'principal.queues_changed',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.logout_everywhere',
  'team.member_added',
  'team.member_removed',
  'avatar.updated',
  'client_log.changed',
] as const

function text(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return value.map(text).join(', ')
  return JSON.stringify(value)
}

/** Names for the ids events carry (teams and queues by id), when known. */
export interface NameLookup {
  team(id: number): string | undefined
  queue(id: number): string | undefined
}

const noNames: NameLookup = { team: () => undefined, queue: () => undefined }

/** The team an event names, however the server spells it. */
function teamName(data: Record<string, unknown>, names: NameLookup): string {
  const team = data.team
  if (team && typeof team === 'object' && 'name' in team) return text((team as { name: unknown }).name)
  if (data.team_name) return text(data.team_name)
  const id = typeof data.team_id === 'number' ? data.team_id : typeof team === 'number' ? team : undefined
  if (id !== undefined) return names.team(id) ?? `#${id}`
  return text(team)
}

/** The ids of the teams and queues events refer to, to look their names up. */
export function referencedIds(events: HistoryEvent[]): { teams: number[]; queues: number[] } {
  const teams = new Set<number>()
  const queues = new Set<number>()
  for (const event of events) {
    const data = event.data ?? {}
    if (typeof data.team_id === 'number') teams.add(data.team_id)
    if (Array.isArray(data.queue_ids)) for (const id of data.queue_ids) if (typeof id === 'number') queues.add(id)
  }
  return { teams: [...teams], queues: [...queues] }
}

export function describeEvent(event: HistoryEvent, names: NameLookup = noNames): EventText {
  const data = event.data ?? {}
  const used = new Set<string>()
  const values: Record<string, string> = {}
  let key = event.type.replace(/\./g, '_')
  let fields: string[] = []

  switch (event.type) {
    case 'principal.updated':
      fields = Array.isArray(data.fields) ? data.fields.map(text) : []
      used.add('fields')
      if (!fields.length) key = 'principal_updated_nothing'
      break
    case 'principal.locked':
    case 'auth.login_failed':
      values.reason = text(data.reason)
      used.add('reason')
      if (!values.reason) key += '_noReason'
      break
    case 'team.member_added':
    case 'team.member_removed':
      values.team = teamName(data, names)
      for (const k of ['team', 'team_name', 'team_id']) used.add(k)
      break
    case 'principal.queues_changed': {
      const ids = Array.isArray(data.queue_ids) ? data.queue_ids.filter((id): id is number => typeof id === 'number') : []
      values.queues = ids.map((id) => names.queue(id) ?? `#${id}`).join(', ')
      used.add('queue_ids')
      if (!ids.length) key = 'principal_queues_changed_none'
      break
    }
    case 'principal.created':
      // The kind and username are the account's own, shown on the page already.
      used.add('kind')
      used.add('username')
      break
    case 'avatar.updated':
      if (data.removed === true || data.avatar === null) key = 'avatar_removed'
      used.add('removed')
      break
    case 'client_log.changed':
      values.level = text(data.level)
      used.add('level')
      used.add('enabled')
      key = data.enabled === false ? 'client_log_off' : 'client_log_on'
      break
    default:
      if (!(KNOWN_EVENTS as readonly string[]).includes(event.type)) {
        key = 'other'
        values.type = event.type
      }
  }

  const details = Object.entries(data)
    .filter(([name, value]) => !used.has(name) && value !== null && value !== undefined && value !== '')
    .map(([name, value]): [string, string] => [name, text(value)])
  return { key, values, fields, details }
}
