import { computed, ref } from 'vue'
import { contactListsApi } from '../api/channels'
import { queueSettingsApi } from '../api/routing'
import type { ContactList, QueueChannel, QueueSettings } from '../api/types'
import { withCurrent } from '../choices'

interface SavedChoices {
  queue_id: number | null
  default_list_id: number | null
}

/**
 * The queues (of the account's channel only: only they take its
 * conversations) and contact lists an account page offers. Without the
 * queues or contacts right a list stays empty, and the selector still shows
 * the saved choice, named by its number.
 */
export function useAccountChoices(
  channel: QueueChannel,
  saved: () => SavedChoices | null,
  numberText: { queue: (id: number) => string; list: (id: number) => string },
) {
  const queues = ref<QueueSettings[]>([])
  const lists = ref<ContactList[]>([])

  async function loadChoices() {
    const [q, l] = await Promise.allSettled([queueSettingsApi.list(channel), contactListsApi.list()])
    if (q.status === 'fulfilled') queues.value = q.value
    if (l.status === 'fulfilled') lists.value = l.value
  }

  const queueOptions = computed(() =>
    withCurrent(
      queues.value.map((q) => ({ value: q.id, label: q.name })),
      saved()?.queue_id ?? null,
      numberText.queue,
    ),
  )
  const listOptions = computed(() =>
    withCurrent(
      lists.value.map((l) => ({ value: l.id, label: l.name })),
      saved()?.default_list_id ?? null,
      numberText.list,
    ),
  )

  return { queues, lists, queueOptions, listOptions, loadChoices }
}
