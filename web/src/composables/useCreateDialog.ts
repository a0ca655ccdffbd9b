import { reactive, ref, type UnwrapRef } from 'vue'
import type { FieldErrors } from '../api/api'
import { useApiForm } from './useApiForm'

export interface CreateDialogOptions<T, D extends object> {
  /** The fields the dialog shows; the server's messages for them go under them. */
  fields: readonly string[]
  /** A new entry's draft, each time the dialog opens. */
  blank: () => D
  /** The messages under the fields before anything is sent; empty when the draft may go. */
  check: (draft: D) => FieldErrors
  create: (draft: D) => Promise<T>
  /** After the dialog has closed on success: a toast, and the new entry's page or a reload. */
  created: (item: T) => void
}

/**
 * The "New …" dialog of an admin list: a fresh draft each time it opens, the
 * checks made before sending, the server's refusal shown in the form (which
 * stays open), and on success the dialog closed before `created` runs.
 */
export function useCreateDialog<T, D extends object>(options: CreateDialogOptions<T, D>) {
  const open = ref(false)
  const draft = reactive(options.blank()) as UnwrapRef<D>
  const form = reactive(useApiForm(options.fields))

  function openCreate() {
    Object.assign(draft as object, options.blank())
    form.reset()
    open.value = true
  }

  async function create() {
    const errors = options.check(draft as D)
    if (Object.keys(errors).length) {
      form.reset()
      form.fieldErrors = errors
      return
    }
    let item: T | undefined
    const ok = await form.submit(async () => {
      item = await options.create(draft as D)
    })
    if (!ok || item === undefined) return
    open.value = false
    options.created(item)
  }

  return { open, draft, form, openCreate, create }
}

/** The check of a dialog whose only required field is the name: the message under it when it is blank. */
export function requireName(draft: { name: string }, message: string): FieldErrors {
  return draft.name.trim() ? {} : { name: message }
}
