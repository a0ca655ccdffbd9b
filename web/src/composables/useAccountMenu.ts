import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRouter } from 'vue-router'
import type { MenuItem } from 'primevue/menuitem'
import { useAuthStore } from '../stores/auth'
import { useNotify } from './useNotify'

/**
 * The user menu's actions; "log out everywhere" only where asked for, and an
 * area's own actions (extra) above "Log out".
 */
export function useAccountMenu(options: { everywhere: boolean; extra?: () => MenuItem[] }) {
  const { t } = useI18n()
  const router = useRouter()
  const notify = useNotify()
  const auth = useAuthStore()

  async function logout() {
    await auth.logout().catch(() => {}) // signed out locally either way
    await router.push({ name: 'login' })
  }

  async function logoutEverywhere() {
    try {
      await auth.logoutEverywhere()
    } catch (err) {
      notify.failure(err)
      return
    }
    await router.push({ name: 'login' })
    notify.success(t('userMenu.loggedOutEverywhere'))
  }

  return computed<MenuItem[]>(() => {
    const items: MenuItem[] = [
      { label: t('userMenu.changePassword'), icon: 'pi pi-lock', command: () => router.push({ name: 'change-password' }) },
      { separator: true },
      ...(options.extra?.() ?? []),
      { label: t('userMenu.logout'), icon: 'pi pi-sign-out', command: logout },
    ]
    if (options.everywhere) {
      items.push({ label: t('userMenu.logoutEverywhere'), icon: 'pi pi-power-off', command: logoutEverywhere })
    }
    return items
  })
}
