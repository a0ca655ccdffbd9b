// Shapes of the /api/v1 answers, as the backend sends them (snake_case).

export type PrincipalKind = 'admin' | 'user' | 'agent'

export interface Principal {
  id: number
  kind: PrincipalKind
  username: string
  full_name: string
  email: string
}

export interface Session {
  principal: Principal
  csrf_token: string
  /** When this session began; null for callers without a session (API tokens). */
  login_at: string | null
  password_change_required: boolean
  password_expires_at: string | null
  password_expires_in_days: number | null
  password_expiry_warning: boolean
}

export interface PasswordRules {
  min_length: number
  lowercase: boolean
  uppercase: boolean
  digit: boolean
  /** The characters of which at least one must appear; empty when not required. */
  special: string
}

export interface AuthOptions {
  security_suite: boolean
  password_reset_available: boolean
  password_rules: PasswordRules | null
}

export interface SecuritySettings {
  enabled: boolean
  max_failed_logins: number
  password_max_age_days: number
  expiry_warning_days: number
  mask_characters: number
}

export interface ApiToken {
  id: number
  name: string
  prefix: string
  created_at: string
  created_by: string
  last_used_at: string | null
}

/** Answer of token creation: the only time the secret is shown. */
export interface CreatedApiToken {
  id: number
  name: string
  prefix: string
  token: string
  created_at: string
}

export type StaffKind = 'agent' | 'user'

export interface Account {
  id: number
  kind: PrincipalKind
  username: string
  full_name: string
  email: string
  disabled: boolean
  locked: boolean
  /** Why the account is locked; empty when it is not. */
  lock_reason: string | null
  locked_at: string | null
  last_login_at: string | null
  password_changed_at: string | null
  created_at: string
}

export interface Page<T> {
  items: T[]
  total: number
}

export interface ListQuery {
  q?: string
  limit?: number
  offset?: number
}

export interface NewAccount {
  username: string
  full_name: string
  email: string
  password: string
  /** Only for users: "admin" or "user". */
  kind?: 'admin' | 'user'
}
