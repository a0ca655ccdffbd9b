import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useDesktopStore } from '../stores/desktop'

/**
 * The agent's queues by id. An agent may not list queues (GET /queues is for
 * staff): names and channels come from his own settings (GET /me/agent: his
 * direct and team queues). A queue he works only through an agent profile is
 * not there: it shows as "Queue #id", its channel unknown.
 */
export function useAgentQueues() {
  const { t } = useI18n()
  const desktop = useDesktopStore()
  const known = computed(() => new Map((desktop.agent?.queues ?? []).map((q) => [q.id, q])))
  return {
    name(id: number | null | undefined): string {
      if (id === null || id === undefined) return ''
      return known.value.get(id)?.name ?? t('desk.queueNumber', { id })
    },
    /** The queue's channel, undefined when not known. */
    channel(id: number): string | undefined {
      return known.value.get(id)?.channel
    },
  }
}

/** Just the names (see useAgentQueues). */
export function useQueueNames() {
  return useAgentQueues().name
}
