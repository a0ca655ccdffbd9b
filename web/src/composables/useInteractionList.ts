import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ApiError } from '../api/api'
import { interactionListApi, type InteractionRow } from '../api/interactions'
import { createKeysetList, type ListSnapshot } from '../interactions/list'
import { isListEvent, LIST_REFRESH_DEBOUNCE_MS, LIST_REFRESH_INTERVAL_MS } from '../interactions/live'
import { apiParams, filtersFromQuery, filtersToQuery, sameFilters, type ListFilters } from '../interactions/query'
import { useDebounced } from './useDebounced'
import { useLiveRefresh, type LiveSource } from './useLiveRefresh'

/** Rows per "Load more", and the most the server answers at once. */
export const LIST_PAGE_SIZE = 50
export const LIST_MAX_LIMIT = 200

/**
 * An interaction list whose filters live in the page's URL: changing a
 * filter replaces the query (so a reload or a shared link keeps it), and the
 * query, read back, loads the list. Kept live by the realtime socket.
 * channel: a channel page's own channel, or null for the console's list of
 * every channel (with a channel filter). source: a socket already open (the
 * agent desk's); without it the list opens its own.
 */
export function useInteractionList(channel: Ref<string | null>, source?: LiveSource) {
  const route = useRoute()
  const router = useRouter()

  function fromUrl(): ListFilters {
    const f = filtersFromQuery(route.query)
    if (channel.value !== null) f.channel = null
    return f
  }

  // This page's route: the query watcher below must not react to the next page's URL while leaving.
  const page = route.name
  const filters = ref<ListFilters>(fromUrl())
  const snapshot = shallowRef<ListSnapshot<InteractionRow>>({ rows: [], next: null, activity: 'idle', error: null, loaded: false })

  const fetchFor = (f: ListFilters) => (cursor: string | null, limit: number, signal: AbortSignal) =>
    interactionListApi.page(apiParams(f, { channel: channel.value, cursor, limit }), signal)

  const list = createKeysetList<InteractionRow>({
    fetch: fetchFor(filters.value),
    pageSize: LIST_PAGE_SIZE,
    maxLimit: LIST_MAX_LIMIT,
    onChange: (s) => (snapshot.value = { ...s }),
  })

  // The first load, live reloads and the safety-net reload all go through here.
  const live = useLiveRefresh(() => (list.snapshot.loaded ? list.refresh() : list.reset()), {
    // The desk's socket is the agent's own: his presence changes what he may see.
    relevant: (ev) => isListEvent(ev.event, source !== undefined),
    debounceMs: LIST_REFRESH_DEBOUNCE_MS,
    intervalMs: LIST_REFRESH_INTERVAL_MS,
    source,
  })

  // The search box follows typing; the list follows once typing stops.
  const search = ref(filters.value.q)
  const typed = useDebounced(search, 350)
  watch(typed, (q) => update({ q }))

  // The URL is the truth: back/forward, a pasted link and our own changes all land here.
  watch(
    () => route.query,
    () => {
      if (route.name !== page) return
      const next = fromUrl()
      if (sameFilters(next, filters.value)) return
      filters.value = next
      search.value = next.q
      void list.reset(fetchFor(next))
    },
  )
  watch(channel, () => {
    filters.value = fromUrl()
    void list.reset(fetchFor(filters.value))
  })

  /** Changes some filters: a new URL, which loads the list. */
  function update(patch: Partial<ListFilters>) {
    const next = { ...filters.value, ...patch }
    if (sameFilters(next, filters.value)) return
    void router.replace({ query: filtersToQuery(next) })
  }

  onBeforeUnmount(() => list.cancel())

  const error = computed(() => {
    const err = snapshot.value.error
    if (!err) return ''
    return err instanceof ApiError ? err.message : String(err)
  })

  return {
    filters,
    search,
    snapshot,
    error,
    update,
    loadMore: () => list.loadMore(),
    refresh: () => live.refresh(),
  }
}
