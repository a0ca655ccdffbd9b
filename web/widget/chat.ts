// The conversation as the customer sees it, kept as plain data: the socket's
// frames come in (receive), the customer's actions go in (queueMessage,
// queueUpload, retry, requestClose), and the view draws what comes out. No
// DOM and no timers here, so every rule of the protocol is tested alone.
//
// The customer's messages are shown at once, "pending", and kept in the
// outbox with their client id until the server echoes them back stored; a
// message typed while the socket is down waits there and goes (with the same
// client id, so the server stores it once) when the socket says hello again.

import type { AgentRef, Attachment, ChatStatus, Delivery, MessageFrame, ServerFrame, WidgetFrame } from './protocol'

/** A customer's message before the server has it, after it, or refused. */
export type ItemDelivery = 'pending' | Delivery | 'failed'

export interface MessageItem {
  kind: 'message'
  /** Stable for the item's whole life, pending or stored: the view keys on it. */
  key: string
  id: number | null
  clientId: string | null
  direction: 'in' | 'out'
  body: string
  createdAt: string
  attachment: Attachment | null
  /** A file on its way up: its name, until the server answers. */
  uploading: string | null
  agentName: string | null
  delivery: ItemDelivery
  /** Why the server refused it (shown under the message). */
  error: string | null
}

export interface JoinedItem {
  kind: 'joined'
  key: string
  agentName: string
}

export type TimelineItem = MessageItem | JoinedItem

/** A text the server has not acknowledged yet. */
export interface OutboxEntry {
  clientId: string
  body: string
}

export interface ChatState {
  /** 'connecting' until the first hello of the page. */
  status: 'connecting' | ChatStatus
  /** The current socket has said hello: frames can go. */
  online: boolean
  agent: string | null
  closedBy: 'agent' | 'customer' | null
  items: TimelineItem[]
  /** The last stored message id shown: where a reconnect resumes (?after=). */
  lastId: number
  outbox: OutboxEntry[]
  /** The last error the server sent that is about no one message. */
  notice: string | null
  /** The customer asked to end the chat; the close frame goes when online. */
  closeRequested: boolean
  /** The agent messages the server knows as delivered / read, so each report goes once. */
  reportedDelivered: number
  reportedRead: number
  /** The last agent message the customer has had in front of him. */
  seenUpTo: number
}

export function newChat(outbox: readonly OutboxEntry[] = [], now = new Date().toISOString()): ChatState {
  let state: ChatState = {
    status: 'connecting',
    online: false,
    agent: null,
    closedBy: null,
    items: [],
    lastId: 0,
    outbox: [],
    notice: null,
    closeRequested: false,
    reportedDelivered: 0,
    reportedRead: 0,
    seenUpTo: 0,
  }
  // Texts queued before a reload are shown again and still go.
  for (const entry of outbox) state = queueMessage(state, entry.clientId, entry.body, now)
  return state
}

const RANK: Record<ItemDelivery, number> = { failed: -1, pending: 0, sent: 1, delivered: 2, read: 3 }

/** The later of two delivery states: they only move forward. */
export function laterDelivery(current: ItemDelivery, next: ItemDelivery): ItemDelivery {
  return RANK[next] > RANK[current] ? next : current
}

/** A stored message's state as the server gave it; anything unknown counts as sent. */
const storedDelivery = (d: unknown): Delivery => (d === 'delivered' || d === 'read' ? d : 'sent')

const agentName = (agent: AgentRef | null | undefined): string | null => (agent && agent.name ? agent.name : null)

/** The state after one frame from the server. */
export function receive(state: ChatState, frame: ServerFrame): ChatState {
  switch (frame.type) {
    case 'hello':
      return {
        ...state,
        status: frame.status,
        online: frame.status !== 'closed',
        agent: agentName(frame.agent) ?? (frame.status === 'waiting' ? null : state.agent),
        notice: null,
      }
    case 'message':
      return storeMessage(state, frame)
    case 'delivery':
      return updateMessage(state, (m) => m.id === frame.id, (m) => ({ ...m, delivery: laterDelivery(m.delivery, storedDelivery(frame.delivery)) }))
    case 'agent_joined': {
      const name = agentName(frame.agent)
      if (!name) return { ...state, status: 'open' }
      const joined: JoinedItem = { kind: 'joined', key: `j${state.items.length}`, agentName: name }
      return { ...state, status: 'open', agent: name, items: insertStored(state.items, joined) }
    }
    case 'closed':
      return closeChat(state, frame.by)
    case 'error':
      if (frame.client_id) return refuse(state, frame.client_id, frame.message)
      return { ...state, notice: frame.message || frame.code }
    default:
      return state
  }
}

/** The socket is gone (it will come back): nothing can go until the next hello. */
export function disconnected(state: ChatState): ChatState {
  return state.online ? { ...state, online: false } : state
}

function closeChat(state: ChatState, by: 'agent' | 'customer'): ChatState {
  // What never reached the server cannot go any more.
  const items = state.items.map((item) =>
    item.kind === 'message' && item.id === null && item.delivery === 'pending' ? { ...item, delivery: 'failed' as const } : item,
  )
  return { ...state, status: 'closed', closedBy: by, online: false, outbox: [], closeRequested: false, items }
}

/** A stored message: the echo of a pending one, an update of a known one, or a new one. */
function storeMessage(state: ChatState, frame: MessageFrame): ChatState {
  if (!Number.isFinite(frame.id) || frame.id <= 0) return state
  const clientId = frame.client_id || null
  const lastId = Math.max(state.lastId, frame.id)
  const outbox = clientId ? state.outbox.filter((e) => e.clientId !== clientId) : state.outbox
  const known = state.items.findIndex((i) => i.kind === 'message' && i.id === frame.id)
  const pending = clientId ? state.items.findIndex((i) => i.kind === 'message' && i.id === null && i.clientId === clientId) : -1
  let items: TimelineItem[]
  if (known >= 0) {
    // Seen already (a replay overlapping a resend): keep one copy.
    items = state.items.map((item, index) => (index === known ? mergeStored(item as MessageItem, frame) : item))
    if (pending >= 0) items = items.filter((_, index) => index !== pending)
  } else if (pending >= 0) {
    items = state.items.map((item, index) => (index === pending ? mergeStored(item as MessageItem, frame) : item))
  } else {
    items = insertStored(state.items, fromFrame(frame))
  }
  return { ...state, ...agentMessageMarks(state, frame), items, outbox, lastId }
}

/**
 * What an agent's message tells of reports already made (a replay after a
 * reload carries the states the server has): they are not made again. The
 * history of a chat that was over before it was shown counts as seen.
 */
function agentMessageMarks(state: ChatState, frame: MessageFrame): Partial<ChatState> {
  if (frame.direction !== 'out') return {}
  const marks: Partial<ChatState> = {}
  if (frame.delivery === 'delivered' || frame.delivery === 'read') marks.reportedDelivered = Math.max(state.reportedDelivered, frame.id)
  if (frame.delivery === 'read') marks.reportedRead = Math.max(state.reportedRead, frame.id)
  if (state.status === 'closed') marks.seenUpTo = Math.max(state.seenUpTo, frame.id)
  return marks
}

function mergeStored(item: MessageItem, frame: MessageFrame): MessageItem {
  return {
    ...item,
    id: frame.id,
    body: frame.body ?? item.body,
    createdAt: frame.created_at || item.createdAt,
    attachment: frame.attachment ?? item.attachment,
    uploading: null,
    agentName: agentName(frame.agent) ?? item.agentName,
    delivery: laterDelivery(item.delivery === 'failed' ? 'pending' : item.delivery, storedDelivery(frame.delivery)),
    error: null,
  }
}

function fromFrame(frame: MessageFrame): MessageItem {
  return {
    kind: 'message',
    key: `m${frame.id}`,
    id: frame.id,
    clientId: frame.client_id || null,
    direction: frame.direction === 'out' ? 'out' : 'in',
    body: frame.body ?? '',
    createdAt: frame.created_at,
    attachment: frame.attachment ?? null,
    uploading: null,
    agentName: agentName(frame.agent),
    delivery: storedDelivery(frame.delivery),
    error: null,
  }
}

/**
 * Puts a stored item at the end of the conversation but before the
 * customer's messages the server does not have yet, which stay last (what
 * the agent wrote while the customer was offline came before them).
 */
function insertStored(items: readonly TimelineItem[], item: TimelineItem): TimelineItem[] {
  let at = items.length
  while (at > 0) {
    const before = items[at - 1]!
    if (before.kind !== 'message' || before.id !== null) break
    at--
  }
  return [...items.slice(0, at), item, ...items.slice(at)]
}

function updateMessage(state: ChatState, match: (m: MessageItem) => boolean, change: (m: MessageItem) => MessageItem): ChatState {
  let changed = false
  const items = state.items.map((item) => {
    if (item.kind !== 'message' || !match(item)) return item
    changed = true
    return change(item)
  })
  return changed ? { ...state, items } : state
}

function refuse(state: ChatState, clientId: string, message: string): ChatState {
  const next = updateMessage(
    state,
    (m) => m.id === null && m.clientId === clientId,
    (m) => ({ ...m, delivery: 'failed', error: message }),
  )
  return { ...next, outbox: state.outbox.filter((e) => e.clientId !== clientId) }
}

function pendingItem(clientId: string, body: string, now: string): MessageItem {
  return {
    kind: 'message',
    key: `c${clientId}`,
    id: null,
    clientId,
    direction: 'in',
    body,
    createdAt: now,
    attachment: null,
    uploading: null,
    agentName: null,
    delivery: 'pending',
    error: null,
  }
}

/** A text the customer typed: shown at once, sent now or at the next hello. */
export function queueMessage(state: ChatState, clientId: string, body: string, now: string): ChatState {
  return {
    ...state,
    items: [...state.items, pendingItem(clientId, body, now)],
    outbox: [...state.outbox, { clientId, body }],
  }
}

/** A file on its way up (over HTTP, not the socket): shown while it goes. */
export function queueUpload(state: ChatState, clientId: string, name: string, now: string): ChatState {
  return { ...state, items: [...state.items, { ...pendingItem(clientId, '', now), uploading: name }] }
}

/** Removes an item the server never stored (a refused upload). */
export function dropPending(state: ChatState, clientId: string): ChatState {
  return { ...state, items: state.items.filter((i) => !(i.kind === 'message' && i.id === null && i.clientId === clientId)) }
}

/** Tries a refused text again, with its own client id (it was not stored). */
export function retry(state: ChatState, clientId: string): ChatState {
  const item = state.items.find((i): i is MessageItem => i.kind === 'message' && i.id === null && i.clientId === clientId)
  if (!item || item.delivery !== 'failed' || item.uploading !== null || state.status === 'closed') return state
  const next = updateMessage(state, (m) => m === item, (m) => ({ ...m, delivery: 'pending', error: null }))
  return { ...next, outbox: [...state.outbox, { clientId, body: item.body }] }
}

/** The customer ends the chat; the server answers with `closed`. */
export function requestClose(state: ChatState): ChatState {
  return state.status === 'closed' ? state : { ...state, closeRequested: true }
}

/** What to send after a hello: the queued texts in order, then a pending close. */
export function framesOnHello(state: ChatState): WidgetFrame[] {
  if (!state.online) return []
  const frames: WidgetFrame[] = state.outbox.map((e) => ({ type: 'message', client_id: e.clientId, body: e.body }))
  if (state.closeRequested) frames.push({ type: 'close' })
  return frames
}

/** The highest id of the agent's messages on screen. */
function lastAgentMessage(state: ChatState): number {
  let last = 0
  for (const item of state.items) if (item.kind === 'message' && item.direction === 'out' && item.id !== null) last = Math.max(last, item.id)
  return last
}

/** The customer has the conversation in front of him (panel open, tab visible). */
export function markSeen(state: ChatState): ChatState {
  const last = lastAgentMessage(state)
  return last > state.seenUpTo ? { ...state, seenUpTo: last } : state
}

/**
 * The delivered / read reports due, and the state that remembers them:
 * delivered once the agent's messages are shown, read once they were seen.
 * Messages seen as soon as shown (the chat open in front of the customer,
 * the usual case) get only "read", which the server takes as delivered too:
 * one write per agent message instead of two. Nothing goes while the
 * socket is down; the next hello catches up.
 */
export function reportsDue(state: ChatState): { frames: WidgetFrame[]; state: ChatState } {
  if (!state.online) return { frames: [], state }
  const last = lastAgentMessage(state)
  const frames: WidgetFrame[] = []
  let next = state
  const readDue = state.seenUpTo > state.reportedRead
  if (last > state.reportedDelivered) {
    if (!readDue || state.seenUpTo < last) frames.push({ type: 'delivered', up_to: last })
    next = { ...next, reportedDelivered: last }
  }
  if (readDue) {
    frames.push({ type: 'read', up_to: state.seenUpTo })
    next = { ...next, reportedRead: state.seenUpTo }
  }
  return { frames, state: next }
}

/** How many of the agent's messages the customer has not seen: the launcher's badge. */
export function unseenCount(state: ChatState): number {
  const seen = Math.max(state.seenUpTo, state.reportedRead)
  return state.items.filter((i) => i.kind === 'message' && i.direction === 'out' && i.id !== null && i.id > seen).length
}

/** A client id for a new message, unique in the chat. */
export function newClientId(now = Date.now(), random = Math.random): string {
  return `w${now.toString(36)}${Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0')}`
}
