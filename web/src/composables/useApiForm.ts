import { ref } from 'vue'
import { ApiError, type FieldErrors } from '../api/api'

/**
 * State for a form that talks to the API: a busy flag, the message for the
 * box above the form, and the messages to show under the fields. A field
 * message for a field the form does not show (not in knownFields, such as a
 * reset link's token) is more telling than the server's general "some fields
 * are not valid", so it takes the box instead.
 */
export function useApiForm(knownFields: readonly string[] = []) {
  const busy = ref(false)
  const message = ref('')
  const fieldErrors = ref<FieldErrors>({})

  function reset() {
    message.value = ''
    fieldErrors.value = {}
  }

  function showError(err: unknown) {
    if (!(err instanceof ApiError)) throw err
    const placed: FieldErrors = {}
    const unplaced: string[] = []
    for (const [field, text] of Object.entries(err.fields)) {
      if (knownFields.includes(field)) placed[field] = text
      else unplaced.push(text)
    }
    fieldErrors.value = placed
    message.value = unplaced.length ? unplaced.join(' ') : err.message
  }

  /** Runs the request; true when it succeeded, false when the server refused. */
  async function submit(action: () => Promise<unknown>): Promise<boolean> {
    if (busy.value) return false
    reset()
    busy.value = true
    try {
      await action()
      return true
    } catch (err) {
      showError(err)
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, message, fieldErrors, reset, showError, submit }
}
