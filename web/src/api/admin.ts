import { api } from './api'
import type { ApiToken, CreatedApiToken, SecuritySettings } from './types'

// Staff (agents, teams, users, profiles, deleted members) is in staff.ts.

export const securitySettingsApi = {
  get: () => api.get<SecuritySettings>('/settings/security'),
  save: (settings: SecuritySettings) => api.put<SecuritySettings>('/settings/security', settings),
}

export const apiTokensApi = {
  list: () => api.get<{ items: ApiToken[] }>('/api-tokens'),
  create: (name: string) => api.post<CreatedApiToken>('/api-tokens', { name }),
  revoke: (id: number) => api.delete<void>(`/api-tokens/${id}`),
}
