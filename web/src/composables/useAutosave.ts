import { ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '../api/api'
import { useNotify } from './useNotify'

type Plain = Record<string, unknown>

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** value with patch laid over it, nested objects merged, arrays replaced. */
export function mergePatch<T>(value: T, patch: unknown): T {
  if (!isPlain(value) || !isPlain(patch)) return patch as T
  const out: Plain = { ...value }
  for (const [key, next] of Object.entries(patch)) {
    out[key] = isPlain(next) && isPlain(out[key]) ? mergePatch(out[key], next) : next
  }
  return out as T
}

/**
 * The message for one field in a refused save: the field's own, a nested
 * spelling of it (channels.chat.capacity for capacity), or none.
 */
export function fieldMessage(fields: Record<string, string>, key: string): string | undefined {
  if (fields[key]) return fields[key]
  const last = key.split('.').pop()!
  const match = Object.keys(fields).find((name) => name === last || name.endsWith('.' + last) || key.endsWith('.' + name))
  return match ? fields[match] : undefined
}

/**
 * Saves each change of an entity at once (a toggle, a field left with a new
 * value): one request at a time in order, the screen showing the change
 * straight away; a "Saved" note on success, and on a refusal the message next
 * to the field (errors[key]) or else in a toast.
 */
export function useAutosave<T, P>(entity: Ref<T | null>, send: (patch: P) => Promise<T>) {
  const { t } = useI18n()
  const notify = useNotify()
  const errors = ref<Record<string, string>>({})
  const saving = ref<Record<string, boolean>>({})
  let chain: Promise<unknown> = Promise.resolve()
  let queued = 0

  /** Saves patch; key names the field for its error. Resolves true when saved. */
  function save(patch: P, key: string, options: { optimistic?: boolean } = {}): Promise<boolean> {
    clearError(key)
    const before = entity.value
    if (options.optimistic !== false && before) entity.value = mergePatch(before, patch)
    const optimistic = entity.value
    queued++
    saving.value = { ...saving.value, [key]: true }
    const run = chain.then(async () => {
      try {
        const answer = await send(patch)
        // Later changes are on their way; their answer will be the one shown.
        if (queued === 1) entity.value = answer
        notify.saved(t('common.saved'))
        return true
      } catch (err) {
        if (!(err instanceof ApiError)) throw err
        if (entity.value === optimistic) entity.value = before
        const message = fieldMessage(err.fields, key)
        if (message) errors.value = { ...errors.value, [key]: message }
        else notify.failure(err)
        return false
      } finally {
        queued--
        saving.value = { ...saving.value, [key]: false }
      }
    })
    chain = run.catch(() => {})
    return run
  }

  function clearError(key: string) {
    if (!(key in errors.value)) return
    const rest = { ...errors.value }
    delete rest[key]
    errors.value = rest
  }

  return { save, errors, saving, clearError }
}

export type Autosave<P> = {
  save(patch: P, key: string, options?: { optimistic?: boolean }): Promise<boolean>
  errors: Record<string, string>
  saving: Record<string, boolean>
  clearError(key: string): void
}
