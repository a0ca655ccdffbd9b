// The desktop's tab bar: one tab per interaction the agent has open on his
// desk, after the fixed Dashboard tab. The agent's open interactions come
// from the server (GET /me/interactions) and the realtime events; a tab
// stays when its interaction closes, until the agent closes the tab. The
// unread badge counts the customer's messages that arrived while the tab
// was not on screen. Pure: the store (stores/tabs.ts) holds a reactive
// TabsState and carries out the follow-ups.

import type { InteractionDetail } from '../api/conversation'
import type { InteractionStatus } from '../api/types'
import type { RealtimeEvent } from '../realtime'

export interface DeskTab {
  id: number
  channel: string
  accountId: number | null
  accountName: string
  contactName: string
  subject: string
  status: InteractionStatus
  subStatus: string
  /** When the interaction started (the timer counts from it). */
  startedAt: string
  closedAt: string | null
  ownerId: number | null
  /** Customer messages not read yet. */
  unread: number
  /** The newest customer message counted in unread (or known read): a message is never counted twice. */
  lastInboundId: number
  /** Details not loaded yet (a tab remembered from before a reload, an event's interaction). */
  placeholder: boolean
}

export interface TabsState {
  me: number
  /** Tab ids in the bar's order: the oldest first, a new tab at the end. */
  order: number[]
  tabs: Record<number, DeskTab>
  /** The interaction on screen; null for the Dashboard or any other page. */
  visible: number | null
}

export type TabFollowUp =
  | { type: 'load'; id: number } // fetch GET /interactions/{id} and pass it to updateTab
  | { type: 'read'; id: number } // the customer wrote in the tab on screen: mark it read

export function emptyTabs(me: number): TabsState {
  return { me, order: [], tabs: {}, visible: null }
}

function placeholderTab(id: number): DeskTab {
  return {
    id,
    channel: '',
    accountId: null,
    accountName: '',
    contactName: '',
    subject: '',
    status: 'open',
    subStatus: '',
    startedAt: '',
    closedAt: null,
    ownerId: null,
    unread: 0,
    lastInboundId: 0,
    placeholder: true,
  }
}

/** A tab's fields from an interaction as the server sends it. */
export function tabFields(it: InteractionDetail, accountName = ''): Omit<DeskTab, 'lastInboundId'> {
  return {
    id: it.id,
    channel: it.channel,
    accountId: it.account_id,
    accountName: it.account?.name || accountName,
    contactName: it.contact_name,
    subject: it.subject,
    status: it.status,
    subStatus: it.sub_status?.name ?? '',
    startedAt: it.created_at,
    closedAt: it.closed_at,
    ownerId: it.owner_id,
    unread: it.unread,
    placeholder: false,
  }
}

/** Adds a tab at the end (no-op when it is there); true when it was added. */
export function addTab(state: TabsState, id: number): boolean {
  if (state.tabs[id]) return false
  state.tabs[id] = placeholderTab(id)
  state.order = [...state.order, id]
  return true
}

/**
 * Opens a tab for an interaction (a click in a list, an accepted offer);
 * asks for its details when they are not known.
 */
export function openTab(state: TabsState, id: number): TabFollowUp[] {
  addTab(state, id)
  return state.tabs[id]!.placeholder ? [{ type: 'load', id }] : []
}

/** Takes fresh details of an interaction that has a tab. */
export function updateTab(state: TabsState, it: InteractionDetail, accountName = '') {
  const known = state.tabs[it.id]
  if (!known) return
  const next = { ...known, ...tabFields(it, accountName || known.accountName) }
  // The server's count is the truth at the time it answered; a message
  // counted live since then was counted in it too, or is newer.
  if (state.visible === it.id) next.unread = 0
  state.tabs[it.id] = next
}

/**
 * Takes the agent's open interactions from the server: each gets a tab
 * (new ones at the end, in the server's order) with its details. A tab the
 * list no longer has (closed, or handed to a colleague, elsewhere) stays,
 * and its details are asked for again.
 */
export function syncMine(state: TabsState, items: readonly InteractionDetail[], accountName: (id: number | null) => string = () => ''): TabFollowUp[] {
  const out: TabFollowUp[] = []
  const listed = new Set(items.map((it) => it.id))
  for (const it of items) {
    addTab(state, it.id)
    updateTab(state, it, accountName(it.account_id))
  }
  for (const id of state.order) {
    const tab = state.tabs[id]!
    if (!listed.has(id) && (tab.placeholder || (tab.status === 'open' && tab.ownerId === state.me))) out.push({ type: 'load', id })
  }
  return out
}

/** Tabs remembered from before a reload (closed interactions' tabs the agent kept): placeholders until loaded. */
export function restoreTabs(state: TabsState, ids: readonly number[]): TabFollowUp[] {
  const out: TabFollowUp[] = []
  for (const id of ids) if (addTab(state, id)) out.push({ type: 'load', id })
  return out
}

/**
 * Closes a tab. When it was on screen, returns the tab to show instead:
 * the next one, else the previous one, else null (the Dashboard).
 */
export function closeTab(state: TabsState, id: number): { next: number | null } {
  const i = state.order.indexOf(id)
  if (i < 0) return { next: state.visible }
  state.order = state.order.filter((x) => x !== id)
  delete state.tabs[id]
  if (state.visible !== id) return { next: state.visible }
  state.visible = null
  return { next: state.order[i] ?? state.order[i - 1] ?? null }
}

/** The tab now on screen (null: none); its badge clears, as the conversation view marks it read. */
export function showTab(state: TabsState, id: number | null) {
  state.visible = id
  if (id !== null && state.tabs[id]) state.tabs[id] = { ...state.tabs[id]!, unread: 0 }
}

/** The conversation was marked read (by this screen or another of the agent's). */
export function markTabRead(state: TabsState, id: number, upToMessageId = 0) {
  const tab = state.tabs[id]
  if (!tab) return
  state.tabs[id] = { ...tab, unread: 0, lastInboundId: Math.max(tab.lastInboundId, upToMessageId) }
}

export function unreadTotal(state: TabsState): number {
  return state.order.reduce((n, id) => n + (state.tabs[id]?.unread ?? 0), 0)
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/**
 * Applies one realtime event to the tabs. focused: the page is in front of
 * the agent (document visible), so a message in the tab on screen is read
 * at once rather than counted.
 */
export function applyTabEvent(state: TabsState, ev: RealtimeEvent, focused: boolean): TabFollowUp[] {
  const d = ev.data ?? {}
  const id = num(d.interaction_id)
  if (id === undefined) return []
  const agent = num(d.agent_id)
  const forMe = agent === state.me
  const tab = state.tabs[id]
  const out: TabFollowUp[] = []

  switch (ev.event) {
    case 'message.received': {
      if (!tab) break
      const messageId = num(d.message_id) ?? num((d.message as Record<string, unknown> | undefined)?.id) ?? 0
      if (messageId && messageId <= tab.lastInboundId) break // seen already (a replay)
      const onScreen = state.visible === id && focused
      state.tabs[id] = {
        ...tab,
        lastInboundId: Math.max(tab.lastInboundId, messageId),
        unread: onScreen ? 0 : tab.unread + 1,
        // The customer writing again clears the sub-status.
        subStatus: '',
      }
      if (onScreen) out.push({ type: 'read', id })
      break
    }

    case 'interaction.read':
      if (forMe) markTabRead(state, id, num(d.read_up_to_message_id) ?? 0)
      break

    case 'interaction.assigned':
      if (forMe) {
        addTab(state, id)
        out.push({ type: 'load', id })
      }
      break

    case 'interaction.transfer_accepted':
      if (forMe) addTab(state, id)
      if (state.tabs[id]) out.push({ type: 'load', id })
      break

    case 'interaction.closed':
    case 'interaction.closed_unmanaged':
      if (tab) {
        state.tabs[id] = { ...tab, status: ev.event === 'interaction.closed' ? 'closed' : 'closed_unmanaged', closedAt: tab.closedAt ?? ev.at }
        out.push({ type: 'load', id })
      }
      break

    case 'interaction.sub_status_changed':
    case 'interaction.requeued':
    case 'interaction.transfer_returned':
      if (tab) out.push({ type: 'load', id })
      break
  }
  return out
}
