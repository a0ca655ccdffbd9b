import { computed, onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ApiError } from '../api/api'
import { contactLists, myContacts, searchContacts, type Contact, type ContactListAccess } from '../api/contacts'
import { tagsApi } from '../api/catalogs'
import type { Tag } from '../api/types'
import { useDebounced } from '../composables/useDebounced'
import { createKeysetList, type ListSnapshot } from '../interactions/list'
import { filtersFromQuery, filtersToQuery, sameFilters, searchOf, type ContactFilters } from './query'

/** Rows per "Load more", and the most the server answers at once. */
const PAGE_SIZE = 50
const MAX_LIMIT = 200

/**
 * A contact search whose filters live in the page's URL, read a page at a
 * time with the server's cursor ("Load more"). mine: the agent's My
 * Contacts instead of every list he may read. It also loads what the
 * filters offer: the caller's lists (with his access and their fields) and
 * the tag catalog.
 */
export function useContactSearch(mine: boolean) {
  const route = useRoute()
  const router = useRouter()
  const page = route.name

  const filters = ref<ContactFilters>(filtersFromQuery(route.query))
  const snapshot = shallowRef<ListSnapshot<Contact>>({ rows: [], next: null, activity: 'idle', error: null, loaded: false })
  const lists = ref<ContactListAccess[]>([])
  const tags = ref<Tag[]>([])
  const optionsError = ref('')

  const fetchFor = (f: ContactFilters) => (cursor: string | null, limit: number, signal: AbortSignal) =>
    (mine ? myContacts : searchContacts)({ ...searchOf(f), cursor, limit }, signal)

  const list = createKeysetList<Contact>({
    fetch: fetchFor(filters.value),
    pageSize: PAGE_SIZE,
    maxLimit: MAX_LIMIT,
    onChange: (s) => (snapshot.value = { ...s }),
  })

  // The search box follows typing; the list follows once typing stops.
  const search = ref(filters.value.q)
  const typed = useDebounced(search, 350)
  watch(typed, (q) => update({ q }))

  // The URL is the truth: Back, a pasted link and our own changes all land here.
  watch(
    () => route.query,
    () => {
      if (route.name !== page) return
      const next = filtersFromQuery(route.query)
      if (sameFilters(next, filters.value)) return
      filters.value = next
      search.value = next.q
      void list.reset(fetchFor(next))
    },
  )

  function update(patch: Partial<ContactFilters>) {
    const next = { ...filters.value, ...patch }
    if (sameFilters(next, filters.value)) return
    void router.replace({ query: filtersToQuery(next) })
  }

  async function loadOptions() {
    try {
      ;[lists.value, tags.value] = await Promise.all([contactLists(), tagsApi.list()])
      optionsError.value = ''
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      optionsError.value = err.message
    }
  }

  onMounted(() => {
    void list.reset()
    void loadOptions()
  })
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
    lists,
    tags,
    optionsError,
    update,
    loadMore: () => list.loadMore(),
    reload: () => list.reset(),
  }
}
