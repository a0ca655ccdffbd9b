import { useConfirmDelete } from './useConfirmDelete'
import { useNotify } from './useNotify'

/** What useBulkDelete needs of a server list (a reactive useServerList). */
export interface DeletableList<T extends { id: number }> {
  items: T[]
  selectedIds: number[]
  load(): unknown
}

export interface BulkDeleteOptions<T extends { id: number }> {
  /** How a row is named in the texts (its username, its name). */
  nameOf: (row: T) => string
  removeOne: (id: number) => Promise<unknown>
  removeMany: (ids: number[]) => Promise<{ deleted: number }>
  texts: {
    title: (n: number) => string
    askOne: (name: string) => string
    askMany: (n: number) => string
    deletedOne: (name: string) => string
    deletedMany: (n: number) => string
  }
}

/**
 * Deleting rows of a server list, one (its row button) or the selection
 * (the toolbar): ask, delete with one request, say how many went, drop them
 * from the selection and reload — also after a refusal, as some rows may be
 * gone all the same.
 */
export function useBulkDelete<T extends { id: number }>(list: DeletableList<T>, options: BulkDeleteOptions<T>) {
  const confirmDelete = useConfirmDelete()
  const notify = useNotify()
  const { texts } = options

  async function removeRows(rows: { id: number; name: string }[]) {
    const one = rows.length === 1 ? rows[0] : undefined
    const question = one ? texts.askOne(one.name) : texts.askMany(rows.length)
    if (!(await confirmDelete(texts.title(rows.length), question))) return
    try {
      if (one) {
        await options.removeOne(one.id)
        notify.success(texts.deletedOne(one.name))
      } else {
        const { deleted } = await options.removeMany(rows.map((r) => r.id))
        notify.success(texts.deletedMany(deleted))
      }
    } catch (err) {
      notify.failure(err)
    }
    const gone = new Set(rows.map((r) => r.id))
    list.selectedIds = list.selectedIds.filter((id) => !gone.has(id))
    list.load()
  }

  /** One row, from its own Delete button. */
  function deleteRow(row: T) {
    return removeRows([{ id: row.id, name: options.nameOf(row) }])
  }

  /** The selection; rows selected on another page are named by their id. */
  function deleteSelected() {
    const known = new Map(list.items.map((row) => [row.id, options.nameOf(row)]))
    return removeRows(list.selectedIds.map((id) => ({ id, name: known.get(id) ?? `#${id}` })))
  }

  return { deleteRow, deleteSelected }
}
