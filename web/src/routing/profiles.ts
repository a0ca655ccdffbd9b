import { ApiError } from '../api/api'
import { agentProfilesApi } from '../api/routing'
import type { AgentProfile, ProfileQueue, QueueChannel } from '../api/types'

/** Only voice queues order their agents by a profile's penalty. */
export function penaltyApplies(channel: QueueChannel | string | undefined): boolean {
  return channel === 'voice'
}

/** A profile's queues as PATCH takes them: penalties kept for voice queues only. */
export function profileQueuesBody(queues: ProfileQueue[]): { queue_id: number; penalty: number }[] {
  return queues.map((q) => ({ queue_id: q.queue_id, penalty: penaltyApplies(q.channel) ? q.penalty : 0 }))
}

/** A profile's queues with one queue added (penalty 0) or taken out. */
export function withQueue(queues: ProfileQueue[], queue: { id: number; name: string; channel: QueueChannel }, on: boolean): ProfileQueue[] {
  const rest = queues.filter((q) => q.queue_id !== queue.id)
  return on ? [...rest, { queue_id: queue.id, name: queue.name, channel: queue.channel, penalty: 0 }] : rest
}

/**
 * Switches a profile on or off. Disabling one that agents are using needs
 * their consent: the server refuses (409) until the change is sent again with
 * confirm; askConfirm gets the number of agents using it and says whether
 * to go on. Answers the saved profile, or null when the admin declined.
 */
export async function setProfileEnabled(
  profile: AgentProfile,
  enabled: boolean,
  askConfirm: (inUse: number) => Promise<boolean>,
): Promise<AgentProfile | null> {
  try {
    return await agentProfilesApi.update(profile.id, { enabled })
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 409 || enabled) throw err
  }
  // How many use it now (the list may be older than the refusal).
  const fresh = await agentProfilesApi.get(profile.id).catch(() => profile)
  if (!(await askConfirm(Math.max(fresh.in_use, 1)))) return null
  return agentProfilesApi.update(profile.id, { enabled: false, confirm: true })
}
