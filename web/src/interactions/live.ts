// Which realtime events can change what an interaction list shows. Offers
// come and go without changing a row (the interaction stays waiting) and a
// delivery mark changes no column, so they do not make the list load again.

const IGNORED = new Set(['interaction.offered', 'interaction.offer_ended', 'message.delivery'])

/** An agent's login, logout and profile change change which queues' interactions he may see. */
const SCOPE = new Set(['agent.login', 'agent.logout', 'agent.profile_changed'])

/** scope: the events are an agent's own desk's, whose presence changes his list too. */
export function isListEvent(name: string, scope = false): boolean {
  if (IGNORED.has(name)) return false
  if (scope && SCOPE.has(name)) return true
  return name.startsWith('interaction.') || name.startsWith('message.')
}

/** How long a burst of events is gathered into one reload of the list. */
export const LIST_REFRESH_DEBOUNCE_MS = 800
/** The list is read again this often anyway (a missed event, a watch that expired). */
export const LIST_REFRESH_INTERVAL_MS = 60_000
