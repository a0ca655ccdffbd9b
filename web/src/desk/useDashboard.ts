import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ApiError } from '../api/api'
import { interactionListApi, type InteractionRow } from '../api/interactions'
import { useLiveRefresh, type LiveSource } from '../composables/useLiveRefresh'
import { LIST_REFRESH_DEBOUNCE_MS, LIST_REFRESH_INTERVAL_MS } from '../interactions/live'
import { useAuthStore } from '../stores/auth'
import { useDeskStore } from '../stores/desk'
import {
  ALL_CHANNELS,
  CHANNEL_PARAM,
  channelFromQuery,
  channelToQuery,
  dashboardChannels,
  isDashboardEvent,
  queuesKey,
  queuesOf,
  waitingItems,
  type DashboardChannel,
} from './dashboard'

/** The most waiting interactions read at once (the list endpoint's maximum). */
export const WAITING_LIMIT = 200

/** Where the agent's last chosen channel is remembered, so the Dashboard opens on it. */
export function channelKey(agentId: number): string {
  return `switchboard.dashboard.channel.${agentId}`
}

function readChannel(key: string): DashboardChannel {
  try {
    return channelFromQuery(localStorage.getItem(key))
  } catch {
    return ALL_CHANNELS // storage disabled
  }
}

function writeChannel(key: string, channel: DashboardChannel) {
  try {
    localStorage.setItem(key, channel)
  } catch {
    // Storage disabled: the URL still says it.
  }
}

/**
 * The Dashboard's data: the channel chosen (kept in the URL; a URL without
 * one, like the Dashboard tab's, opens the channel chosen last), the agent's
 * queues from his desk, and the interactions waiting in them. It reads the
 * desk's socket; on a change of who waits where it loads the waiting list
 * and the desk again (the desk's counts come from the router), a burst of
 * events making one load.
 */
export function useDashboard() {
  const route = useRoute()
  const router = useRouter()
  const desk = useDeskStore()
  const key = channelKey(useAuthStore().principal?.id ?? 0)
  const remembered = ref<DashboardChannel>(readChannel(key))

  // This page's route: leaving it must not read the next page's URL as a channel change.
  const page = route.name
  let last: DashboardChannel = remembered.value
  const channel = computed<DashboardChannel>(() => {
    if (route.name !== page) return last
    const raw = route.query[CHANNEL_PARAM]
    last = raw === undefined ? remembered.value : channelFromQuery(raw)
    return last
  })
  if (route.query[CHANNEL_PARAM] === undefined && remembered.value !== ALL_CHANNELS) {
    void router.replace({ query: { ...route.query, [CHANNEL_PARAM]: remembered.value } })
  }
  // What the URL chose (a link, back and forward) is remembered too.
  watch(
    channel,
    (next) => {
      remembered.value = next
      writeChannel(key, next)
    },
    { immediate: true },
  )
  const allQueues = computed(() => desk.state.desk?.queues ?? [])
  const channels = computed(() => dashboardChannels(allQueues.value, channel.value))
  const queues = computed(() => queuesOf(allQueues.value, channel.value))

  const rows = shallowRef<InteractionRow[]>([])
  const loaded = ref(false)
  const error = ref('')
  /** More wait than one read holds. */
  const truncated = ref(false)
  const items = computed(() => waitingItems(rows.value, allQueues.value, channel.value))

  let controller: AbortController | null = null

  async function loadWaiting() {
    const asked = channel.value
    controller?.abort()
    const mine = (controller = new AbortController())
    try {
      const page = await interactionListApi.page(
        { status: 'waiting', channel: channelToQuery(asked), sort: 'started', order: 'asc', limit: WAITING_LIMIT },
        mine.signal,
      )
      if (asked !== channel.value) return // the agent switched meanwhile: the next load answers
      rows.value = page.items
      truncated.value = page.next_cursor !== null
      loaded.value = true
      error.value = ''
    } catch (err) {
      if (mine.signal.aborted) return
      error.value = err instanceof ApiError ? err.message : String(err)
      throw err
    }
  }

  const source: LiveSource = { listen: (h) => desk.listen({ event: h.onEvent, sync: h.onSync }) }
  const live = useLiveRefresh(() => Promise.all([desk.reload(), loadWaiting()]), {
    relevant: (ev) => isDashboardEvent(ev.event),
    debounceMs: LIST_REFRESH_DEBOUNCE_MS,
    intervalMs: LIST_REFRESH_INTERVAL_MS,
    source,
  })

  // Another channel, or other queues (a login, a profile): read who waits there.
  watch(channel, () => void loadWaiting().catch(() => {}))
  watch(
    () => queuesKey(allQueues.value),
    () => void loadWaiting().catch(() => {}),
  )

  onBeforeUnmount(() => controller?.abort())

  function choose(next: DashboardChannel) {
    if (next === channel.value) return
    remembered.value = next // All leaves the URL without a channel: the memory must say All too
    void router.replace({ query: { ...route.query, [CHANNEL_PARAM]: channelToQuery(next) } })
  }

  return {
    channel,
    channels,
    allQueues,
    queues,
    items,
    loaded,
    error,
    truncated,
    choose,
    retry: () => live.refresh(),
    isAll: computed(() => channel.value === ALL_CHANNELS),
  }
}
