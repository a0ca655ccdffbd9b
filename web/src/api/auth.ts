import { api } from './api'
import type { AuthOptions, Session } from './types'

export const authApi = {
  options: () => api.get<AuthOptions>('/auth/options'),
  login: (username: string, password: string) => api.post<Session>('/auth/login', { username, password }),
  me: () => api.get<Session>('/auth/me'),
  logout: () => api.post<void>('/auth/logout'),
  logoutEverywhere: () => api.post<void>('/auth/logout-everywhere'),
  changePassword: (current_password: string, new_password: string) =>
    api.post<void>('/auth/password', { current_password, new_password }),
  requestPasswordReset: (email: string) => api.post<{ message: string }>('/auth/password-reset', { email }),
  confirmPasswordReset: (token: string, new_password: string) =>
    api.post<void>('/auth/password-reset/confirm', { token, new_password }),
}
