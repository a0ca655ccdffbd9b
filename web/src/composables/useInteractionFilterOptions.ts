import { computed, onMounted, ref, watch, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '../api/api'
import { tagsApi, subStatusesApi } from '../api/catalogs'
import { accountsApi } from '../api/channels'
import type { InteractionRow } from '../api/interactions'
import { agentsApi } from '../api/staff'
import type { ChannelAccount, Named, QueueChannel, SubStatus, Tag } from '../api/types'
import { ownersSeen } from '../interactions/format'
import { hasSubStatusFilter } from '../interactions/query'
import { useAuthStore } from '../stores/auth'

export interface Option<T> {
  value: T
  label: string
}

/** Swallows a refusal: without the right to list something, its filter offers less. */
async function quietly<T>(load: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await load()
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    return fallback
  }
}

/**
 * The choices of an interaction list's filters: the channel's accounts or
 * websites, the tags, the sub-statuses (email), and the agents. Agents come
 * from the staff list when the viewer may read it; an agent at his desk
 * cannot, so he gets "Me" and the owners of the rows he has seen.
 */
export function useInteractionFilterOptions(channel: Ref<string | null>, rows: Ref<readonly InteractionRow[]>) {
  const { t } = useI18n()
  const auth = useAuthStore()
  const accounts = ref<ChannelAccount[]>([])
  const tags = ref<Tag[]>([])
  const subStatuses = ref<SubStatus[]>([])
  const staff = ref<Named[]>([])
  const seen = ref<Named[]>([])

  const me = computed(() => auth.principal?.id ?? null)
  const isAgent = computed(() => auth.principal?.kind === 'agent')

  async function loadAccounts() {
    accounts.value = await quietly(() => accountsApi.list((channel.value ?? undefined) as QueueChannel | undefined), [])
  }

  onMounted(async () => {
    const staffAllowed = !isAgent.value && auth.can('staff', 'view')
    const [tagList, statusList, agentPage] = await Promise.all([
      quietly(() => tagsApi.list(), []),
      quietly(() => subStatusesApi.list(), []),
      staffAllowed ? quietly(() => agentsApi.list({ limit: 500, sort: 'full_name' }), null) : Promise.resolve(null),
      loadAccounts(),
    ])
    tags.value = tagList
    subStatuses.value = statusList
    staff.value = (agentPage?.items ?? []).map((a) => ({ id: a.id, name: a.full_name || a.username }))
  })
  watch(channel, () => void loadAccounts())
  // Owners met in the rows stay offered after the rows go (another filter, another page).
  watch(rows, (list) => (seen.value = ownersSeen(list, seen.value)), { immediate: true })

  const accountOptions = computed<Option<number>[]>(() =>
    accounts.value
      .map((a) => ({ value: a.id, label: channel.value === null ? `${a.name} · ${t(`channels.${a.channel}`)}` : a.name }))
      .sort((a, b) => a.label.localeCompare(b.label)),
  )
  const tagOptions = computed(() => [...tags.value].sort((a, b) => a.name.localeCompare(b.name)))
  const subStatusOptions = computed<Option<number>[]>(() => subStatuses.value.map((s) => ({ value: s.id, label: s.name })))
  const showSubStatus = computed(() => hasSubStatusFilter(channel.value))

  const agentOptions = computed<Option<number>[]>(() => {
    const others = ownersSeen([], [...staff.value, ...seen.value]).filter((a) => a.id !== me.value)
    const mine = isAgent.value && me.value !== null ? [{ value: me.value, label: t('interactionList.me') }] : []
    return [...mine, ...others.map((a) => ({ value: a.id, label: a.name }))]
  })

  return { accountOptions, tagOptions, subStatusOptions, showSubStatus, agentOptions, me }
}
