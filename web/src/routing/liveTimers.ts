import type { AgentOffer, Presence } from '../api/types'
import { formatCountdown, offerCountdown } from '../desk/state'
import { formatElapsed } from '../format'

/** What the supervisor console's timers show for one logged-in agent. */
export interface AgentTimers {
  /** How long he has been logged in. */
  session: string
  /** How long he has been paused ('' when not paused). */
  paused: string
  /** Each pending offer's time left, by interaction id. */
  offers: Map<number, string>
}

/**
 * The supervisor console's timers of an agent at the browser's localNow,
 * counted on the server's clock (skewMs ahead of the browser's): every
 * time they start from is the server's, so a browser clock that is off
 * would otherwise show every duration off by as much.
 */
export function agentTimers(
  agent: Pick<Presence, 'logged_in_at' | 'paused_at'> & { routing: { offers: AgentOffer[] } },
  localNow: number,
  skewMs: number,
): AgentTimers {
  const serverNow = localNow + skewMs
  const since = (iso: string | null | undefined) => (iso ? formatElapsed(serverNow - Date.parse(iso)) : '')
  return {
    session: since(agent.logged_in_at),
    paused: since(agent.paused_at),
    offers: new Map(agent.routing.offers.map((o) => [o.interaction_id, formatCountdown(offerCountdown(o, localNow, skewMs).seconds)])),
  }
}
