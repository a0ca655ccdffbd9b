import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError } from '../api/api'
import { meApi } from '../api/staff'
import type { Agent, ClientLogSettings } from '../api/types'
import { clientLog, shouldAnnounce } from '../clientlog'

/** How often the desktop asks again for the agent's settings (client logging). */
export const AGENT_REFRESH_MS = 60_000

/**
 * The signed-in agent's own settings for the desktop: which sidebar
 * sections he may see, and whether his administrator collects his client log.
 */
export const useDesktopStore = defineStore('desktop', () => {
  const agent = ref<Agent | null>(null)
  const loaded = ref(false)
  /** The "client logging is on" notice, shown once each time logging is switched on. */
  const logNotice = ref<ClientLogSettings | null>(null)
  let last: ClientLogSettings | null = null
  let timer: ReturnType<typeof setInterval> | undefined

  const sidebar = computed<string[] | null>(() => (loaded.value ? (agent.value?.permissions?.sidebar ?? []) : null))

  function apply(next: Agent) {
    agent.value = next
    loaded.value = true
    const settings = next.client_log ?? { enabled: false, level: 'ERROR' }
    if (shouldAnnounce(last, settings)) logNotice.value = { ...settings }
    else if (!settings.enabled) logNotice.value = null
    else if (logNotice.value) logNotice.value = { ...settings } // the level changed while shown
    clientLog.configure(settings)
    if (shouldAnnounce(last, settings)) {
      clientLog.info(`desktop: client logging on at level ${settings.level}; ${globalThis.navigator?.userAgent ?? ''}`)
    }
    last = { ...settings }
  }

  async function refresh() {
    try {
      apply(await meApi.agent())
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      clientLog.warn(`desktop: could not load the agent settings: ${err.status} ${err.code}`)
      // Without the settings, show every page rather than none.
      loaded.value = agent.value !== null
    }
  }

  /** Loads now and every minute after, until stop. */
  function start() {
    stop()
    void refresh()
    timer = setInterval(() => void refresh(), AGENT_REFRESH_MS)
  }

  function stop() {
    if (timer !== undefined) clearInterval(timer)
    timer = undefined
  }

  /** Signed out: forget everything, stop logging. */
  function reset() {
    stop()
    void clientLog.flush()
    clientLog.configure({ enabled: false, level: 'ERROR' })
    agent.value = null
    loaded.value = false
    logNotice.value = null
    last = null
  }

  function dismissNotice() {
    logNotice.value = null
  }

  return { agent, loaded, sidebar, logNotice, start, stop, reset, refresh, dismissNotice, apply }
})
