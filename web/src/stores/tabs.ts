import { defineStore } from 'pinia'
import { computed, reactive, watch } from 'vue'
import { ApiError } from '../api/api'
import { conversationApi } from '../api/conversation'
import { accountsApi } from '../api/channels'
import { clientLog } from '../clientlog'
import { readIds, writeIds } from '../desk/storedIds'
import { coalesce, createConversation, type Conversation } from '../conversation/conversation'
import {
  applyTabEvent,
  closeTab,
  emptyTabs,
  markTabRead,
  openTab,
  restoreTabs,
  showTab,
  syncMine,
  unreadTotal,
  updateTab,
  type TabFollowUp,
  type TabsState,
} from '../conversation/tabs'
import { useDeskStore } from './desk'

/** Where the agent's tab bar is remembered across reloads (closed interactions' tabs stay until he closes them). */
const TABS_PREFIX = 'switchboard.desk.tabs.'
/** A burst of customer messages in the tab on screen makes one read mark. */
const READ_DELAY_MS = 400

export function tabsKey(agentId: number): string {
  return TABS_PREFIX + agentId
}


/** The page is in front of the agent (not a background browser tab or a minimised window). */
function pageInFront(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden'
}

/**
 * The desktop's interaction tabs and the live conversation behind each:
 * it reads the desk's realtime socket (stores/desk.ts), keeps the tabs and
 * their unread badges, and keeps one Conversation per tab so switching tabs
 * is instant and a tab in the background stays up to date.
 */
export const useTabsStore = defineStore('deskTabs', () => {
  const state = reactive<TabsState>(emptyTabs(0))
  const conversations = new Map<number, { conversation: Conversation; stop: () => void }>()
  const accountNames = new Map<number, string>()
  const readTimers = new Map<number, ReturnType<typeof setTimeout>>()
  let unlisten: (() => void) | null = null

  const tabs = computed(() => state.order.map((id) => state.tabs[id]!).filter(Boolean))
  const unread = computed(() => unreadTotal(state))

  const accountName = (id: number | null) => (id === null ? '' : (accountNames.get(id) ?? ''))
  const persist = () => {
    if (state.me) writeIds(tabsKey(state.me), state.order)
  }

  function follow(ups: TabFollowUp[]) {
    for (const up of ups) {
      if (up.type === 'load') void loadTab(up.id)
      else markRead(up.id)
    }
    persist()
  }

  async function loadTab(id: number) {
    try {
      updateTab(state, await conversationApi.get(id), '')
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      // A remembered tab of an interaction he may no longer see: it goes.
      if ((err.status === 403 || err.status === 404) && state.tabs[id]?.placeholder) close(id)
    }
  }

  const loadMine = coalesce(async () => {
    const desk = useDeskStore()
    try {
      const items = await conversationApi.mine()
      desk.adoptMine(items)
      follow(syncMine(state, items, accountName))
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      clientLog.warn(`tabs: could not load my interactions: ${err.status} ${err.code}`)
    }
  })

  async function loadAccounts() {
    try {
      for (const a of await accountsApi.list()) accountNames.set(a.id, a.name)
      for (const id of state.order) {
        const tab = state.tabs[id]!
        if (!tab.accountName && !tab.placeholder) void loadTab(id)
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
    }
  }

  /** Starts for this agent: remembered tabs, his open interactions, and the desk's socket. */
  function start(agentId: number) {
    if (unlisten && state.me === agentId) return
    reset()
    Object.assign(state, emptyTabs(agentId))
    const desk = useDeskStore()
    unlisten = desk.listen({
      event: (ev) => {
        follow(applyTabEvent(state, ev, pageInFront()))
        for (const { conversation } of conversations.values()) conversation.handle(ev)
      },
      sync: () => {
        void loadMine()
        for (const { conversation } of conversations.values()) void conversation.refresh().catch(() => {})
      },
    })
    follow(restoreTabs(state, readIds(tabsKey(agentId))))
    void loadAccounts()
    void loadMine()
  }

  /** Signed out: forget everything. */
  function reset() {
    unlisten?.()
    unlisten = null
    for (const id of [...conversations.keys()]) release(id)
    for (const timer of readTimers.values()) clearTimeout(timer)
    readTimers.clear()
    Object.assign(state, emptyTabs(0))
  }

  /** Opens (or shows again) the tab of an interaction. */
  function open(id: number) {
    follow(openTab(state, id))
  }

  function release(id: number) {
    const held = conversations.get(id)
    if (!held) return
    held.stop()
    held.conversation.dispose()
    conversations.delete(id)
  }

  /** Closes a tab; returns the tab to show instead when it was on screen (null: the Dashboard). */
  function close(id: number): number | null {
    const { next } = closeTab(state, id)
    release(id)
    persist()
    return next
  }

  /** The tab on screen now (null: the Dashboard or another page). */
  function show(id: number | null) {
    if (id !== null) open(id)
    showTab(state, id)
  }

  /**
   * The live conversation of a tab, created on first use. Its details keep
   * the tab's label, status and timer current.
   */
  function conversation(id: number): Conversation {
    const held = conversations.get(id)
    if (held) return held.conversation
    const c = createConversation(id, conversationApi)
    const stop = watch(
      () => c.state.interaction,
      (it) => {
        if (it) updateTab(state, it, accountName(it.account_id))
      },
    )
    conversations.set(id, { conversation: c, stop })
    return c
  }

  /** Marks a tab's conversation read on the server, soon (one request for a burst). */
  function markRead(id: number) {
    clearTimeout(readTimers.get(id))
    markTabRead(state, id)
    readTimers.set(
      id,
      setTimeout(() => {
        readTimers.delete(id)
        const c = conversations.get(id)?.conversation
        const request = c ? c.markRead() : conversationApi.markRead(id).then(() => {})
        void request.catch((err: unknown) => {
          if (!(err instanceof ApiError)) throw err
        })
      }, READ_DELAY_MS),
    )
  }

  return { state, tabs, unread, start, reset, open, close, show, conversation, markRead, accountName, loadMine }
})
