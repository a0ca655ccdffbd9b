import { computed, ref } from 'vue'
import { ApiError } from '../api/api'
import { queueSettingsApi } from '../api/routing'
import type { QueueChannel, QueueSettings } from '../api/types'

/**
 * The queues of one channel, for a channel's accounts (websites, WhatsApp
 * numbers): each account names the queue its conversations go to. Without
 * the queues right the list stays empty and a queue is named by its number
 * (numberText).
 */
export function useChannelQueues(channel: QueueChannel, numberText: (id: number) => string) {
  const queues = ref<QueueSettings[]>([])

  async function loadQueues() {
    try {
      queues.value = await queueSettingsApi.list(channel)
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
    }
  }

  const queueName = (id: number | null) => (id === null ? '' : (queues.value.find((q) => q.id === id)?.name ?? numberText(id)))
  const queueOptions = computed(() => queues.value.map((q) => ({ value: q.id, label: q.name })))
  /** The queue a new account goes to when there is no choice to make. */
  const onlyQueue = () => (queues.value.length === 1 ? queues.value[0]!.id : null)

  return { queues, queueName, queueOptions, onlyQueue, loadQueues }
}
