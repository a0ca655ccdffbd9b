import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { ApiError } from '../api/api'
import { deskApi, interactionsApi, type TransferTarget } from '../api/routing'
import type { AgentOffer, Desk, Interaction } from '../api/types'
import { clientLog } from '../clientlog'
import { readIds, writeIds } from '../desk/storedIds'
import {
  addNotice,
  applyDesk,
  applyEvent,
  applyInteraction,
  emptyDeskState,
  learnInteraction,
  NOTICE_MS,
  presenceState,
  pruneNotices,
  type DeskState,
  type FollowUp,
} from '../desk/state'
import { createRealtimeClient, type RealtimeClient, type RealtimeEvent, type RealtimeStatus } from '../realtime'
import { createServerClock } from '../serverClock'

/** Where the ids of the agent's own interactions are remembered across reloads (see mineKey). */
const MINE_PREFIX = 'switchboard.desk.mine.'
/** The desk is loaded again this often anyway (pause reasons, for one, have no event an agent receives). */
export const DESK_REFRESH_MS = 60_000

/** Something else that reads the desk's socket. */
export interface DeskListener {
  event?(ev: RealtimeEvent): void
  /** Events may have been missed: load again. */
  sync?(): void
}

export function mineKey(agentId: number): string {
  return MINE_PREFIX + agentId
}

const readMine = (agentId: number) => readIds(mineKey(agentId))
const writeMine = (agentId: number, ids: number[]) => writeIds(mineKey(agentId), ids)

/**
 * The agent's work session on the desktop: presence (logged in to the
 * queues, paused, which profile), his offers and his interactions, kept live
 * through the realtime socket. Actions throw the server's ApiError for the
 * caller to show.
 */
export const useDeskStore = defineStore('desk', () => {
  const state = reactive<DeskState>(emptyDeskState(0))
  const loaded = ref(false)
  const loadError = ref('')
  const connection = ref<RealtimeStatus>('idle')
  /** The server's clock minus ours, for the offers' countdowns. */
  const serverClock = createServerClock()
  const skew = serverClock.skew
  let client: RealtimeClient | null = null
  let refreshTimer: ReturnType<typeof setInterval> | undefined
  let ringer: ((offer: AgentOffer) => void) | null = null
  /** Others reading the same socket (the conversation tabs): every event, and every "load again". */
  const listeners = new Set<DeskListener>()
  const loading = new Set<number>()
  let requested = 0 // desk requests started
  let applied = 0 // the newest request whose answer was applied

  const presence = computed(() => state.desk?.presence ?? null)
  const loggedIn = computed(() => !!state.desk?.presence)
  const current = computed(() => presenceState(state.desk))

  /** Sound and notification for a new offer (set by the layout, which has the texts). */
  function setRinger(fn: ((offer: AgentOffer) => void) | null) {
    ringer = fn
  }

  function follow(ups: FollowUp[]) {
    for (const up of ups) {
      switch (up.type) {
        case 'reload':
          void reload()
          break
        case 'load':
          void loadInteraction(up.id)
          break
        case 'ring': {
          const offer = state.offers.find((o) => o.interaction_id === up.id)
          if (offer) ringer?.(offer)
          break
        }
        case 'notice':
          setTimeout(() => pruneNotices(state, Date.now()), NOTICE_MS + 50)
          break
      }
    }
    writeMine(state.me, state.mine)
  }

  /** Applies a desk answer unless a newer one was applied already. */
  function take(seq: number, desk: Desk, ring: boolean) {
    sampleSkew(desk.server_time) // even a stale answer read the clock
    if (seq < applied) return
    applied = seq
    follow(applyDesk(state, desk, { ring }))
    loaded.value = true
    loadError.value = ''
  }

  async function reload(ring = true) {
    const seq = ++requested
    try {
      take(seq, await deskApi.get(), ring)
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      clientLog.warn(`desk: could not load the desk: ${err.status} ${err.code}`)
      if (!loaded.value) loadError.value = err.message
    }
  }

  async function loadInteraction(id: number) {
    if (loading.has(id)) return
    loading.add(id)
    try {
      applyInteraction(state, await interactionsApi.get(id))
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      // Not his any more (or gone): it leaves his list; an offer keeps its card without details.
      if (err.status === 403 || err.status === 404) {
        if (state.mine.includes(id)) state.mine = state.mine.filter((x) => x !== id)
      }
    } finally {
      loading.delete(id)
      writeMine(state.me, state.mine)
    }
  }

  /** One reading of the server's clock (an event's time, the desk's server_time), taken on arrival. */
  const sampleSkew = serverClock.sample

  function onEvent(ev: RealtimeEvent) {
    sampleSkew(ev.at)
    follow(applyEvent(state, ev, Date.now()))
    for (const l of listeners) l.event?.(ev)
  }

  /** Hears the desk's realtime events and resyncs; returns the way to stop. */
  function listen(listener: DeskListener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  /** Everything again: the desk, and whether his interactions are still his. */
  function resync() {
    void reload()
    for (const id of state.mine) void loadInteraction(id)
    for (const l of listeners) l.sync?.()
  }

  /** Starts the session view for this agent: loads, and listens to the socket. */
  function start(agentId: number) {
    if (client && state.me === agentId) return
    stop()
    Object.assign(state, emptyDeskState(agentId))
    state.mine = readMine(agentId)
    client = createRealtimeClient({
      onEvent,
      onSync: (reason) => {
        if (reason === 'reset') clientLog.info('realtime: reset by the server, reloading')
        resync()
      },
      onStatus: (status) => {
        if (status === 'reconnecting' && connection.value === 'open') clientLog.warn('realtime: connection lost, reconnecting')
        if (status === 'open' && connection.value === 'reconnecting') clientLog.info('realtime: reconnected')
        connection.value = status
      },
    })
    client.start()
    refreshTimer = setInterval(() => {
      if (connection.value === 'open') void reload()
    }, DESK_REFRESH_MS)
  }

  function stop() {
    client?.stop()
    client = null
    clearInterval(refreshTimer)
    refreshTimer = undefined
    connection.value = 'idle'
  }

  /** Signed out: forget everything. */
  function reset() {
    stop()
    Object.assign(state, emptyDeskState(0))
    loaded.value = false
    loadError.value = ''
    serverClock.reset()
  }

  function reconnectNow() {
    client?.reconnectNow()
  }

  async function act(name: string, request: () => Promise<Desk>) {
    const seq = ++requested
    const desk = await request()
    clientLog.info(`desk: ${name}`)
    take(seq, desk, false)
  }

  // --- presence -------------------------------------------------------------------

  const login = (profileId: number | null) => act(`login with profile ${profileId ?? 'Personal'}`, () => deskApi.login(profileId))
  const changeProfile = (profileId: number | null) =>
    act(`change profile to ${profileId ?? 'Personal'}`, () => deskApi.changeProfile(profileId))
  const logout = () => act('log out of the queues', () => deskApi.logout())
  const pause = (reasonId: number | null) => act(`pause (${reasonId ?? 'default'})`, () => deskApi.pause(reasonId))
  const resume = () => act('resume', () => deskApi.resume())

  // --- offers and interactions ------------------------------------------------------

  function owned(it: Interaction) {
    learnInteraction(state, it)
    if (!state.mine.includes(it.id)) state.mine = [it.id, ...state.mine]
    writeMine(state.me, state.mine)
  }

  /** Accepts an offer; when it is gone, its card says why for a moment. */
  async function accept(id: number) {
    try {
      const it = await interactionsApi.accept(id)
      state.offers = state.offers.filter((o) => o.interaction_id !== id)
      owned(it)
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      if (err.status === 409 || err.status === 404) {
        state.offers = state.offers.filter((o) => o.interaction_id !== id)
        follow([addNotice(state, { interaction_id: id, kind: 'gone', message: err.message }, Date.now())])
        return
      }
      throw err
    }
  }

  async function reject(id: number) {
    try {
      await interactionsApi.reject(id)
    } catch (err) {
      // An offer that ended meanwhile is gone either way.
      if (!(err instanceof ApiError) || (err.status !== 409 && err.status !== 404)) throw err
    }
    state.offers = state.offers.filter((o) => o.interaction_id !== id)
  }

  async function close(id: number) {
    const it = await interactionsApi.close(id)
    learnInteraction(state, it)
    state.mine = state.mine.filter((x) => x !== id)
    delete state.transfers[id]
    writeMine(state.me, state.mine)
  }

  async function transfer(id: number, target: TransferTarget) {
    await interactionsApi.transfer(id, target)
    state.transfers[id] = 'pending'
    clientLog.info(`desk: transfer of ${id} requested`)
  }

  function dismissTransferNote(id: number) {
    delete state.transfers[id]
  }

  /** The server's list of his open interactions (GET /me/interactions): his list is exactly that. */
  function adoptMine(list: Interaction[]) {
    for (const it of list) learnInteraction(state, it)
    state.mine = list.map((it) => it.id)
    writeMine(state.me, state.mine)
  }

  return {
    state,
    loaded,
    loadError,
    connection,
    skew,
    presence,
    loggedIn,
    current,
    setRinger,
    start,
    stop,
    reset,
    reload,
    reconnectNow,
    loadInteraction,
    login,
    changeProfile,
    logout,
    pause,
    resume,
    accept,
    reject,
    close,
    transfer,
    dismissTransferNote,
    adoptMine,
    listen,
  }
})
