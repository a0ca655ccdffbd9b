import { api, apiUrl } from './api'
import type {
  Agent,
  AgentPatch,
  ClientLogLine,
  DeletedMember,
  HistoryEvent,
  ListQuery,
  NewAgent,
  NewUser,
  Page,
  Queue,
  QueueChannel,
  StaffKind,
  Team,
  TeamDetail,
  UserAccount,
  UserPatch,
  UserProfile,
  UserProfilePatch,
} from './types'

// The staff administration endpoints: agents, teams, users, user profiles,
// deleted members, and the minimal queue list the staff pages need.

type Items<T> = { items: T[] }

const q = (query: ListQuery) => ({ ...query })

/** A team read by id leaves out its agents and queues when it has none. */
export function normalizeTeam(team: TeamDetail): TeamDetail {
  return { ...team, agents: team.agents ?? [], queue_ids: team.queue_ids ?? [] }
}

/** The collections that can be exported as CSV. */
export type ExportCollection = 'agents' | 'teams' | 'users'

/**
 * The link that downloads the chosen rows as CSV. It is a plain GET (the
 * session cookie is enough), so the browser downloads it with the cookie.
 */
export function exportCsvUrl(collection: ExportCollection, ids: Iterable<number>): string {
  const list = [...new Set(ids)].filter((id) => Number.isInteger(id)).sort((a, b) => a - b)
  return `${apiUrl(`/${collection}/export.csv`)}?ids=${list.join(',')}`
}

export const agentsApi = {
  list: (query: ListQuery, signal?: AbortSignal) => api.get<Page<Agent>>('/agents', { query: q(query), signal }),
  create: (agent: NewAgent) => api.post<Agent>('/agents', agent),
  get: (id: number) => api.get<Agent>(`/agents/${id}`),
  update: (id: number, patch: AgentPatch) => api.patch<Agent>(`/agents/${id}`, patch),
  setPassword: (id: number, password: string) => api.put<void>(`/agents/${id}/password`, { password }),
  unlock: (id: number) => api.post<Agent>(`/agents/${id}/unlock`),
  uploadAvatar: (id: number, file: File) => {
    const form = new FormData()
    form.append('file', file)
    return api.put<Agent>(`/agents/${id}/avatar`, form)
  },
  removeAvatar: (id: number) => api.delete<Agent>(`/agents/${id}/avatar`),
  remove: (id: number) => api.delete<void>(`/agents/${id}`),
  removeMany: (ids: number[]) => api.post<{ deleted: number }>('/agents/delete', { ids }),
  history: (id: number, limit = 100) => api.get<Items<HistoryEvent>>(`/agents/${id}/history`, { query: { limit } }),
  clientLogs: (id: number, limit = 200) => api.get<Items<ClientLogLine>>(`/agents/${id}/client-logs`, { query: { limit } }),
  clientLogsUrl: (id: number) => apiUrl(`/agents/${id}/client-logs.txt`),
  setQueues: (id: number, queueIds: number[]) => api.put<Agent>(`/agents/${id}/queues`, { queue_ids: queueIds }),
}

export const queuesApi = {
  list: (channel?: QueueChannel) => api.get<Items<Queue>>('/queues', { query: { channel } }),
  create: (name: string, channel: QueueChannel) => api.post<Queue>('/queues', { name, channel }),
}

export const teamsApi = {
  list: (query: ListQuery, signal?: AbortSignal) => api.get<Page<Team>>('/teams', { query: q(query), signal }),
  create: (name: string, description: string) => api.post<Team>('/teams', { name, description }),
  get: (id: number) => api.get<TeamDetail>(`/teams/${id}`).then(normalizeTeam),
  update: (id: number, patch: { name?: string; description?: string }) =>
    api.patch<TeamDetail>(`/teams/${id}`, patch).then(normalizeTeam),
  remove: (id: number) => api.delete<void>(`/teams/${id}`),
  removeMany: (ids: number[]) => api.post<{ deleted: number }>('/teams/delete', { ids }),
  addAgents: (id: number, agentIds: number[]) =>
    api.post<TeamDetail>(`/teams/${id}/agents`, { agent_ids: agentIds }).then(normalizeTeam),
  removeAgent: (id: number, agentId: number) => api.delete<TeamDetail>(`/teams/${id}/agents/${agentId}`).then(normalizeTeam),
  setQueues: (id: number, queueIds: number[]) =>
    api.put<TeamDetail>(`/teams/${id}/queues`, { queue_ids: queueIds }).then(normalizeTeam),
}

export const usersApi = {
  list: (query: ListQuery, signal?: AbortSignal) => api.get<Page<UserAccount>>('/users', { query: q(query), signal }),
  create: (user: NewUser) => api.post<UserAccount>('/users', user),
  get: (id: number) => api.get<UserAccount>(`/users/${id}`),
  update: (id: number, patch: UserPatch) => api.patch<UserAccount>(`/users/${id}`, patch),
  setPassword: (id: number, password: string) => api.put<void>(`/users/${id}/password`, { password }),
  unlock: (id: number) => api.post<UserAccount>(`/users/${id}/unlock`),
  remove: (id: number) => api.delete<void>(`/users/${id}`),
  removeMany: (ids: number[]) => api.post<{ deleted: number }>('/users/delete', { ids }),
  history: (id: number, limit = 100) => api.get<Items<HistoryEvent>>(`/users/${id}/history`, { query: { limit } }),
}

/** Password and unlock work the same way for agents and users. */
export function staffPasswordApi(kind: StaffKind) {
  return kind === 'agent' ? agentsApi : usersApi
}

export const userProfilesApi = {
  list: () => api.get<Items<UserProfile>>('/user-profiles'),
  create: (name: string, description: string) => api.post<UserProfile>('/user-profiles', { name, description }),
  get: (id: number) => api.get<UserProfile>(`/user-profiles/${id}`),
  update: (id: number, patch: UserProfilePatch) => api.patch<UserProfile>(`/user-profiles/${id}`, patch),
  remove: (id: number) => api.delete<void>(`/user-profiles/${id}`),
}

export const deletedMembersApi = {
  list: (query: ListQuery, signal?: AbortSignal) =>
    api.get<Page<DeletedMember>>('/deleted-members', { query: q(query), signal }),
  restore: (id: number) => api.post<void>(`/deleted-members/${id}/restore`),
  purge: (id: number) => api.delete<void>(`/deleted-members/${id}`),
}

/** The signed-in agent's own settings, for the desktop. */
export const meApi = {
  agent: () => api.get<Agent>('/me/agent'),
  sendClientLogs: (lines: ClientLogLine[]) => api.post<void>('/me/client-logs', { lines }),
}
