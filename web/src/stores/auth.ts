import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError } from '../api/api'
import { authApi } from '../api/auth'
import type { AuthOptions, PrincipalKind, Session } from '../api/types'
import type { Access } from '../navigation/nav'
import { allRights, hasRight } from '../staff/rights'

/** Where a principal works: agents in the desktop, admins and users in the console. */
export function homePath(kind: PrincipalKind): string {
  return kind === 'agent' ? '/desktop' : '/admin'
}

export const useAuthStore = defineStore('auth', () => {
  const session = ref<Session | null>(null)
  const options = ref<AuthOptions | null>(null)
  const expiryWarningDismissed = ref(false)
  let restoring: Promise<void> | null = null
  let loadingOptions: Promise<AuthOptions> | null = null

  const principal = computed(() => session.value?.principal ?? null)
  const csrfToken = computed(() => session.value?.csrf_token ?? null)
  const isAuthenticated = computed(() => session.value !== null)
  /** Kind and console rights of the signed-in principal; admins hold every right. */
  const access = computed<Access | null>(() => {
    const p = principal.value
    if (!p) return null
    return { kind: p.kind, rights: p.kind === 'admin' ? allRights() : (session.value?.rights ?? {}) }
  })
  /** Whether the signed-in principal holds a console right (always, for admins). */
  function can(section: string, right: string): boolean {
    const a = access.value
    return !!a && (a.kind === 'admin' || hasRight(a.rights, section, right))
  }
  const home = computed(() => (principal.value ? homePath(principal.value.kind) : '/login'))
  const showExpiryWarning = computed(
    () => !!session.value?.password_expiry_warning && !session.value.password_change_required && !expiryWarningDismissed.value,
  )

  function setSession(next: Session | null) {
    session.value = next
    expiryWarningDismissed.value = false
  }

  /** Gets the session back after a page load (the cookie outlives the page); runs once. */
  function restore(): Promise<void> {
    restoring ??= authApi.me().then(
      (s) => setSession(s),
      (err: unknown) => {
        // 401 means no session; any other failure also leaves us signed out,
        // and the sign-in page will show what the server says.
        if (!(err instanceof ApiError)) console.error(err)
        setSession(null)
      },
    )
    return restoring
  }

  /** The public sign-in options; fetched once, or again after the settings change. */
  function loadOptions(force = false): Promise<AuthOptions> {
    if (force || !loadingOptions) {
      loadingOptions = authApi.options().then((o) => (options.value = o))
      loadingOptions.catch(() => (loadingOptions = null)) // retry next time
    }
    return loadingOptions
  }

  async function login(username: string, password: string): Promise<Session> {
    let s = await authApi.login(username, password)
    // The rights come with the session; ask for them if the answer had none.
    if (s.principal.kind === 'user' && !s.rights && !s.password_change_required) s = await authApi.me().catch(() => s)
    restoring = Promise.resolve()
    setSession(s)
    return s
  }

  async function refresh(): Promise<void> {
    setSession(await authApi.me())
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await authApi.changePassword(currentPassword, newPassword)
    await refresh()
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } finally {
      clear()
    }
  }

  async function logoutEverywhere(): Promise<void> {
    await authApi.logoutEverywhere()
    clear()
  }

  /** Forgets the session locally (it ended on the server, or we logged out). */
  function clear() {
    setSession(null)
    restoring = Promise.resolve()
  }

  /** The server said the password must change before anything else. */
  function markPasswordChangeRequired() {
    if (session.value) session.value = { ...session.value, password_change_required: true }
  }

  return {
    session,
    options,
    expiryWarningDismissed,
    principal,
    csrfToken,
    isAuthenticated,
    access,
    can,
    home,
    showExpiryWarning,
    restore,
    loadOptions,
    login,
    refresh,
    changePassword,
    logout,
    logoutEverywhere,
    clear,
    markPasswordChangeRequired,
  }
})
