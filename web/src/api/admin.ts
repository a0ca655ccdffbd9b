import { api } from './api'
import type {
  Account,
  ApiToken,
  CreatedApiToken,
  ListQuery,
  NewAccount,
  Page,
  SecuritySettings,
  StaffKind,
} from './types'

// Agents live under /agents, users (admins and supervisors) under /users;
// both collections answer the same way.
const staffPath: Record<StaffKind, string> = { agent: '/agents', user: '/users' }

export const staffApi = {
  list: (kind: StaffKind, query: ListQuery, signal?: AbortSignal) =>
    api.get<Page<Account>>(staffPath[kind], { query: { ...query }, signal }),
  create: (kind: StaffKind, account: NewAccount) => api.post<Account>(staffPath[kind], account),
  unlock: (kind: StaffKind, id: number) => api.post<Account>(`${staffPath[kind]}/${id}/unlock`),
  setPassword: (kind: StaffKind, id: number, password: string) =>
    api.put<void>(`${staffPath[kind]}/${id}/password`, { password }),
}

export const securitySettingsApi = {
  get: () => api.get<SecuritySettings>('/settings/security'),
  save: (settings: SecuritySettings) => api.put<SecuritySettings>('/settings/security', settings),
}

export const apiTokensApi = {
  list: () => api.get<{ items: ApiToken[] }>('/api-tokens'),
  create: (name: string) => api.post<CreatedApiToken>('/api-tokens', { name }),
  revoke: (id: number) => api.delete<void>(`/api-tokens/${id}`),
}
