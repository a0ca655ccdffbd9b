import { computed, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue'
import type { DataTablePageEvent, DataTableSortEvent } from 'primevue/datatable'
import { ApiError } from '../api/api'
import type { ListQuery, Page, SortOrder } from '../api/types'
import { latestOnly } from './latest'
import { useDebounced } from './useDebounced'

export interface ServerListOptions {
  rows?: number
  /** The column sorted by at first (a server sort key). */
  sort?: string
  order?: SortOrder
  debounceMs?: number
  /** Extra query parameters sent with every request. */
  extra?: () => Record<string, string | number | undefined>
  /** Load when mounted (default); a dialog's list waits until it opens. */
  immediate?: boolean
}

/** DataTable's sort order (1, -1, 0/null) as the API's. */
export function toSortOrder(order: number | null | undefined): SortOrder | undefined {
  if (order === 1) return 'asc'
  if (order === -1) return 'desc'
  return undefined
}

/**
 * A searchable, sortable, paged list loaded from the server, with a
 * selection of row ids kept across pages (cleared when the search changes).
 * Only the latest request's answer is ever shown.
 */
export function useServerList<T extends { id: number }>(
  fetchPage: (query: ListQuery, signal: AbortSignal) => Promise<Page<T>>,
  options: ServerListOptions = {},
) {
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)
  const error = ref('')
  const search = ref('')
  const query = useDebounced(search, options.debounceMs ?? 300)
  const first = ref(0)
  const rows = ref(options.rows ?? 25)
  const sortField = ref<string | undefined>(options.sort)
  const sortOrder = ref<SortOrder | undefined>(options.sort ? (options.order ?? 'asc') : undefined)
  const selectedIds = ref<number[]>([])

  const run = latestOnly((signal, listQuery: ListQuery) => fetchPage(listQuery, signal))

  async function load() {
    loading.value = true
    const listQuery: ListQuery = {
      q: query.value.trim(),
      limit: rows.value,
      offset: first.value,
      sort: sortOrder.value ? sortField.value : undefined,
      order: sortOrder.value,
      ...(options.extra?.() ?? {}),
    }
    try {
      const result = await run(listQuery)
      if (result.stale) return
      items.value = result.value.items
      total.value = result.value.total
      error.value = ''
      loading.value = false
      // Past the end (rows deleted): go back to the last page there is.
      if (items.value.length === 0 && first.value > 0 && total.value > 0) {
        first.value = Math.max(0, Math.floor((total.value - 1) / rows.value) * rows.value)
        return load()
      }
    } catch (err) {
      loading.value = false
      if (!(err instanceof ApiError)) throw err
      error.value = err.message
    }
  }

  function onPage(event: DataTablePageEvent) {
    first.value = event.first
    rows.value = event.rows
    load()
  }

  function onSort(event: DataTableSortEvent) {
    sortField.value = typeof event.sortField === 'string' ? event.sortField : undefined
    sortOrder.value = toSortOrder(event.sortOrder)
    first.value = 0
    load()
  }

  watch(query, () => {
    first.value = 0
    selectedIds.value = []
    load()
  })

  onMounted(() => {
    if (options.immediate !== false) load()
  })
  onBeforeUnmount(() => run.cancel())

  // --- selection ----------------------------------------------------------

  const selectedCount = computed(() => selectedIds.value.length)
  const isSelected = (id: number) => selectedIds.value.includes(id)

  function toggle(id: number, on: boolean) {
    const rest = selectedIds.value.filter((x) => x !== id)
    selectedIds.value = on ? [...rest, id] : rest
  }

  const pageSelection = computed<'all' | 'some' | 'none'>(() => {
    const onPage = items.value.filter((row) => isSelected(row.id)).length
    if (onPage === 0) return 'none'
    return onPage === items.value.length ? 'all' : 'some'
  })

  function togglePage(on: boolean) {
    const ids = items.value.map((row) => row.id)
    const rest = selectedIds.value.filter((id) => !ids.includes(id))
    selectedIds.value = on ? [...rest, ...ids] : rest
  }

  function clearSelection() {
    selectedIds.value = []
  }

  /** Puts a changed row in place without reloading. */
  function replace(row: T) {
    items.value = items.value.map((item) => (item.id === row.id ? row : item))
  }

  /**
   * Everything a lazy DataTable needs to show this list and report paging and
   * sorting back, for `v-bind`: every server list pages the same way.
   */
  const table = computed(() => ({
    value: items.value,
    lazy: true,
    paginator: true,
    rows: rows.value,
    first: first.value,
    totalRecords: total.value,
    rowsPerPageOptions: [25, 50, 100],
    loading: loading.value,
    sortField: sortField.value,
    sortOrder: sortOrder.value === 'asc' ? 1 : sortOrder.value === 'desc' ? -1 : 0,
    removableSort: true,
    dataKey: 'id',
    onPage,
    onSort,
  }))

  return {
    table,
    items,
    total,
    loading,
    error,
    search,
    query,
    first,
    rows,
    sortField,
    sortOrder,
    dataTableSortOrder: computed(() => (sortOrder.value === 'asc' ? 1 : sortOrder.value === 'desc' ? -1 : 0)),
    load,
    onPage,
    onSort,
    selectedIds,
    selectedCount,
    isSelected,
    toggle,
    pageSelection,
    togglePage,
    clearSelection,
    replace,
  }
}
