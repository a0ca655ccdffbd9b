import { ref, type Ref } from 'vue'
import { useRouter, type RouteLocationRaw } from 'vue-router'
import { ApiError } from '../api/api'
import { useConfirmDelete } from './useConfirmDelete'
import { useNotify } from './useNotify'

/**
 * The one record an edit page shows, loaded by its id. A refusal from the
 * server (404 when it is gone, 403 when it may not be seen) becomes the
 * page's error text instead of an exception, so the page can say why it is
 * empty; anything else is a bug and is rethrown.
 */
export function useEntityPage<T>(fetch: () => Promise<T>) {
  const entity = ref(null) as Ref<T | null>
  const loadError = ref('')

  async function load() {
    try {
      entity.value = await fetch()
      loadError.value = ''
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      loadError.value = err.message
    }
  }

  return { entity, loadError, load }
}

export interface DeleteAndLeaveOptions<T> {
  /** The dialog's title and question for this record. */
  header: (entity: T) => string
  message: (entity: T) => string
  /** The request that deletes it. */
  remove: (entity: T) => Promise<unknown>
  /** The toast once it is gone. */
  deleted: (entity: T) => string
  /** Where to go afterwards: the list the record was in. */
  back: RouteLocationRaw
}

/**
 * Deleting the record an edit page shows: ask, delete, say so and go back to
 * the list. When the server refuses, the page stays (the record is still
 * there) and the refusal is shown.
 */
export function useDeleteAndLeave<T>(entity: Ref<T | null>, options: DeleteAndLeaveOptions<T>) {
  const confirmDelete = useConfirmDelete()
  const notify = useNotify()
  const router = useRouter()

  return async function remove() {
    const current = entity.value
    if (!current) return
    if (!(await confirmDelete(options.header(current), options.message(current)))) return
    try {
      await options.remove(current)
    } catch (err) {
      notify.failure(err)
      return
    }
    notify.success(options.deleted(current))
    router.push(options.back)
  }
}
