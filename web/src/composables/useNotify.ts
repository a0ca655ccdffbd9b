import { useToast } from 'primevue/usetoast'
import { ApiError } from '../api/api'

/** The toast group of the "Saved" notes (App.vue shows it). */
export const SAVED_GROUP = 'saved'

/** Toasts for the outcome of an action: a success text, or the server's refusal. */
export function useNotify() {
  const toast = useToast()
  return {
    success(text: string) {
      toast.add({ severity: 'success', summary: text, life: 4000 })
    },
    /** The short note after an automatic save; a newer one replaces it, so they never pile up. */
    saved(text: string) {
      toast.removeGroup(SAVED_GROUP)
      toast.add({ severity: 'success', summary: text, life: 1500, group: SAVED_GROUP })
    },
    warn(text: string) {
      toast.add({ severity: 'warn', summary: text, life: 6000 })
    },
    /**
     * Shows an API error's message — its field messages when it has some, as
     * they say more than "some fields are not valid"; anything else is a bug
     * and is rethrown.
     */
    failure(err: unknown) {
      if (!(err instanceof ApiError)) throw err
      const details = Object.values(err.fields)
      toast.add({ severity: 'error', summary: err.message, detail: details.join(' ') || undefined, life: 6000 })
    },
  }
}
