import { computed, onMounted, ref, type Ref } from 'vue'
import { ApiError } from '../api/api'

export interface ClientListOptions<T> {
  /** The text a row is searched in (its name, description, …); without it the list has no search. */
  searchText?: (row: T) => string
  /** A page's own filter besides the search (a channel picked above the table). */
  filter?: (row: T) => boolean
  /** Load when mounted (default). */
  immediate?: boolean
}

/**
 * A short admin list the server answers all at once (queues, tags, websites…):
 * loaded once and after every change, searched and filtered here without a
 * request. A refusal becomes the page's error text instead of an exception,
 * so the page can say why the table is empty; anything else is a bug and is
 * rethrown.
 */
export function useClientList<T>(fetchAll: () => Promise<T[]>, options: ClientListOptions<T> = {}) {
  const items = ref([]) as Ref<T[]>
  const loading = ref(false)
  const loadError = ref('')
  const search = ref('')

  async function load() {
    loading.value = true
    try {
      items.value = await fetchAll()
      loadError.value = ''
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      loadError.value = err.message
    } finally {
      loading.value = false
    }
  }

  const shown = computed(() => {
    const q = search.value.trim().toLocaleLowerCase()
    const { searchText, filter } = options
    return items.value.filter(
      (row) => (!filter || filter(row)) && (!q || !searchText || searchText(row).toLocaleLowerCase().includes(q)),
    )
  })

  if (options.immediate !== false) onMounted(load)

  return { items, loading, loadError, search, shown, load }
}

/**
 * Joins a row's searched texts so that a query never matches across two of
 * them (a search box holds no line break).
 */
export function searchable(...texts: (string | null | undefined)[]): string {
  return texts.filter((text) => text).join('\n')
}
