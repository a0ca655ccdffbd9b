import { api } from './api'
import type {
  AgentProfile,
  AgentProfilePatch,
  Desk,
  Interaction,
  LiveAgent,
  LiveQueue,
  MemberRow,
  NewQueue,
  PauseReason,
  Presence,
  QueueChannel,
  QueuePatch,
  QueueSettings,
  RoutingView,
} from './types'

// The routing endpoints: queue settings and run-time members, agent
// profiles, pause reasons, the agent's desk (presence, offers), interactions
// and the supervisor's realtime views. The server leaves out empty lists in
// some answers; the normalize functions put them back.

type Items<T> = { items: T[] }

export function normalizeQueue<T extends QueueSettings>(queue: T): T {
  return { ...queue, description: queue.description ?? '', members: queue.members ?? [] }
}

export function normalizeProfile(profile: AgentProfile): AgentProfile {
  return { ...profile, description: profile.description ?? '', agent_ids: profile.agent_ids ?? [], queues: profile.queues ?? [] }
}

export function normalizeRouting(routing: Partial<RoutingView> | null | undefined): RoutingView {
  return {
    logged_in: !!routing?.logged_in,
    paused: !!routing?.paused,
    away: !!routing?.away,
    active_queues: routing?.active_queues ?? {},
    offers: routing?.offers ?? [],
    load: routing?.load ?? {},
  }
}

export function normalizeDesk(desk: Desk): Desk {
  return {
    presence: desk.presence ?? null,
    profiles: desk.profiles ?? [],
    pause_reasons: desk.pause_reasons ?? [],
    routing: normalizeRouting(desk.routing),
    queues: desk.queues ?? [],
  }
}

export const queueSettingsApi = {
  list: (channel?: QueueChannel) =>
    api.get<Items<QueueSettings>>('/queues', { query: { channel } }).then((r) => (r.items ?? []).map(normalizeQueue)),
  get: (id: number) => api.get<QueueSettings>(`/queues/${id}`).then(normalizeQueue),
  create: (queue: NewQueue) => api.post<QueueSettings>('/queues', queue).then(normalizeQueue),
  update: (id: number, patch: QueuePatch) => api.patch<QueueSettings>(`/queues/${id}`, patch).then(normalizeQueue),
  remove: (id: number) => api.delete<void>(`/queues/${id}`),
  /** Adds an agent to the queue at run time (or changes his penalty). */
  setMember: (id: number, agentId: number, penalty: number) =>
    api.put<QueueSettings>(`/queues/${id}/members/${agentId}`, { penalty }).then(normalizeQueue),
  /** Takes an agent out; only direct memberships can be removed here. */
  removeMember: (id: number, agentId: number) => api.delete<QueueSettings>(`/queues/${id}/members/${agentId}`).then(normalizeQueue),
}

export const agentProfilesApi = {
  list: () => api.get<Items<AgentProfile>>('/agent-profiles').then((r) => (r.items ?? []).map(normalizeProfile)),
  get: (id: number) => api.get<AgentProfile>(`/agent-profiles/${id}`).then(normalizeProfile),
  create: (profile: { name: string; description: string; enabled: boolean; agent_ids?: number[]; queues?: { queue_id: number; penalty: number }[] }) =>
    api.post<AgentProfile>('/agent-profiles', { agent_ids: [], queues: [], ...profile }).then(normalizeProfile),
  update: (id: number, patch: AgentProfilePatch) => api.patch<AgentProfile>(`/agent-profiles/${id}`, patch).then(normalizeProfile),
  remove: (id: number) => api.delete<void>(`/agent-profiles/${id}`),
}

export const pauseReasonsApi = {
  list: () => api.get<Items<PauseReason>>('/pause-reasons').then((r) => r.items ?? []),
  create: (name: string, description: string) => api.post<PauseReason>('/pause-reasons', { name, description }),
  remove: (id: number) => api.delete<void>(`/pause-reasons/${id}`),
}

/** The signed-in agent's work session; every action answers the new desk. */
export const deskApi = {
  get: () => api.get<Desk>('/me/desk').then(normalizeDesk),
  /** profileId null: the Personal profile only. */
  login: (profileId: number | null) => api.post<Desk>('/me/login', { profile_id: profileId }).then(normalizeDesk),
  changeProfile: (profileId: number | null) => api.post<Desk>('/me/profile', { profile_id: profileId }).then(normalizeDesk),
  logout: () => api.post<Desk>('/me/logout').then(normalizeDesk),
  /** reasonId null: the default pause. */
  pause: (reasonId: number | null) => api.post<Desk>('/me/pause', { reason_id: reasonId }).then(normalizeDesk),
  resume: () => api.post<Desk>('/me/resume').then(normalizeDesk),
}

export interface TransferTarget {
  queue_id?: number
  agent_id?: number
  /** Seconds the target has to accept; 0 = the server's default (300). */
  timeout: number
}

export const interactionsApi = {
  get: (id: number) => api.get<Interaction>(`/interactions/${id}`),
  accept: (id: number) => api.post<Interaction>(`/interactions/${id}/accept`),
  reject: (id: number) => api.post<Interaction>(`/interactions/${id}/reject`),
  close: (id: number) => api.post<Interaction>(`/interactions/${id}/close`),
  transfer: (id: number, target: TransferTarget) => api.post<Interaction>(`/interactions/${id}/transfer`, target),
}

/** The supervisor's live views and actions on logged-in agents. */
export const realtimeApi = {
  /** The logged-in agents, and the server's clock when it answered (for the console's timers). */
  agents: () =>
    api
      .get<Items<LiveAgent> & { server_time?: string }>('/realtime/agents')
      .then((r) => ({ items: (r.items ?? []).map((a) => ({ ...a, routing: normalizeRouting(a.routing) })), server_time: r.server_time })),
  queues: () =>
    api.get<Items<LiveQueue>>('/realtime/queues').then((r) =>
      (r.items ?? []).map((q) => normalizeQueue({
        ...q,
        live: {
          queue_id: q.live?.queue_id ?? q.id,
          estimated_wait_seconds: q.live?.estimated_wait_seconds ?? 0,
          waiting: q.live?.waiting ?? [],
          longest_waiting_since: q.live?.longest_waiting_since ?? null,
        },
      })),
    ),
  pause: (agentId: number, reasonId: number | null) => api.post<Presence>(`/agents/${agentId}/pause`, { reason_id: reasonId }),
  resume: (agentId: number) => api.post<Presence>(`/agents/${agentId}/resume`),
  logout: (agentId: number) => api.post<void>(`/agents/${agentId}/logout`),
  reportMember: (agentId: number) => api.get<Items<MemberRow>>(`/agents/${agentId}/report-member`).then((r) => r.items ?? []),
}
