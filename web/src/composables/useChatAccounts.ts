import { computed, onMounted, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '../api/api'
import { accountsApi } from '../api/channels'
import type { ChannelAccount } from '../api/types'

/**
 * The chat websites a catalog entry (a disposition, a canned answer) can
 * belong to: the options of the "Website" selectors and the name to show
 * for an entry's account_id ("All websites" for a global one). Without the
 * right to list accounts there are none, and the selectors are left out.
 */
export function useChatAccounts() {
  const { t } = useI18n()
  const accounts = ref<ChannelAccount[]>([])

  onMounted(async () => {
    try {
      accounts.value = (await accountsApi.list('chat')).sort((a, b) => a.name.localeCompare(b.name))
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
    }
  })

  const options = computed(() => accounts.value.map((a) => ({ value: a.id, label: a.name })))

  function accountName(id: number | null): string {
    if (id === null) return t('catalogs.allWebsites')
    return accounts.value.find((a) => a.id === id)?.name ?? t('catalogs.websiteNumber', { id })
  }

  return { accounts, options, accountName }
}
