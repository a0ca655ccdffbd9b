import { useConfirmDelete } from './useConfirmDelete'
import { useNotify } from './useNotify'

export interface DeleteRowOptions<T> {
  /** The dialog's title and question for this row. */
  header: (row: T) => string
  question: (row: T) => string
  /** The request that deletes it. */
  remove: (row: T) => Promise<unknown>
  /** The toast once it is gone. */
  deleted: (row: T) => string
  /** What follows either way: the list is loaded again. */
  reload: () => unknown
}

/**
 * A list row's Delete button: ask, delete, say so. The list is loaded again
 * also after a refusal (a 409 "still in use", a 404 "already gone"), as the
 * server's answer may mean the row has changed under the page.
 */
export function useDeleteRow<T>(options: DeleteRowOptions<T>) {
  const confirmDelete = useConfirmDelete()
  const notify = useNotify()

  return async function deleteRow(row: T) {
    if (!(await confirmDelete(options.header(row), options.question(row)))) return
    try {
      await options.remove(row)
      notify.success(options.deleted(row))
    } catch (err) {
      notify.failure(err)
    }
    options.reload()
  }
}
