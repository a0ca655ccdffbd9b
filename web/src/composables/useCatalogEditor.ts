import { reactive, ref, type UnwrapRef } from 'vue'
import { ApiError, type FieldErrors } from '../api/api'
import { useApiForm } from './useApiForm'
import { useNotify } from './useNotify'

export interface CatalogEditorOptions<T extends { id: number }, D extends object> {
  /** The fields the dialog shows; the server's messages for them go under them. */
  fields: readonly string[]
  /** A new entry's draft. */
  blank: () => D
  /** An entry's draft, to change it. */
  fromItem: (item: T) => D
  /** The messages under the fields before anything is sent; empty when the draft may go. */
  check: (draft: D) => FieldErrors
  create: (draft: D) => Promise<T>
  update: (item: T, draft: D) => Promise<T>
  /** After a save: the saved entry and whether it is new. */
  saved: (item: T, created: boolean) => void
}

/**
 * The create/edit dialog of a settings catalog (tags, dispositions, …): the
 * draft, the entry being changed (null for a new one), the form state and
 * the save. A conflict the server ties to no shown field (409, e.g. the
 * name is taken) comes as a toast and leaves the dialog open.
 */
export function useCatalogEditor<T extends { id: number }, D extends object>(options: CatalogEditorOptions<T, D>) {
  const notify = useNotify()
  const open = ref(false)
  const editing = ref<T | null>(null)
  const draft = reactive(options.blank()) as UnwrapRef<D>
  const form = reactive(useApiForm(options.fields))

  function show(item: T | null) {
    editing.value = (item as UnwrapRef<T>) ?? null
    Object.assign(draft as object, item ? options.fromItem(item) : options.blank())
    form.reset()
    open.value = true
  }

  async function save() {
    const errors = options.check(draft as D)
    if (Object.keys(errors).length) {
      form.reset()
      form.fieldErrors = errors
      return
    }
    const item = editing.value as T | null
    let result: T | undefined
    let conflict = null as ApiError | null
    const ok = await form.submit(async () => {
      try {
        result = item ? await options.update(item, draft as D) : await options.create(draft as D)
      } catch (err) {
        if (err instanceof ApiError && err.status === 409 && !Object.keys(err.fields).some((f) => options.fields.includes(f))) {
          conflict = err
        }
        throw err
      }
    })
    if (!ok) {
      if (conflict) {
        form.message = ''
        notify.failure(conflict)
      }
      return
    }
    if (!result) return
    open.value = false
    options.saved(result, !item)
  }

  return {
    open,
    editing,
    draft,
    form,
    openCreate: () => show(null),
    openEdit: (item: T) => show(item),
    save,
  }
}
