import { describe, expect, it } from 'vitest'
import {
  dropPending,
  framesOnHello,
  laterDelivery,
  markSeen,
  newChat,
  newClientId,
  queueMessage,
  queueUpload,
  receive,
  reportsDue,
  requestClose,
  retry,
  unseenCount,
  disconnected,
  type ChatState,
  type MessageItem,
} from './chat'
import type { MessageFrame, ServerFrame } from './protocol'

const NOW = '2026-11-21T10:00:00Z'

function frames(state: ChatState, ...list: ServerFrame[]): ChatState {
  return list.reduce(receive, state)
}

function agentMessage(id: number, body = `agent ${id}`, extra: Partial<MessageFrame> = {}): MessageFrame {
  return { type: 'message', id, direction: 'out', body, created_at: NOW, attachment: null, agent: { name: 'Mario' }, delivery: 'sent', ...extra }
}

function ownMessage(id: number, clientId: string | null, body: string, extra: Partial<MessageFrame> = {}): MessageFrame {
  return { type: 'message', id, direction: 'in', body, created_at: NOW, attachment: null, client_id: clientId, delivery: 'sent', ...extra }
}

const messages = (state: ChatState) => state.items.filter((i): i is MessageItem => i.kind === 'message')
const bodies = (state: ChatState) => messages(state).map((m) => m.body)

describe('chat state', () => {
  it('starts connecting, then follows the hello: waiting, open with the agent, closed', () => {
    let s = newChat()
    expect(s.status).toBe('connecting')
    expect(s.online).toBe(false)
    s = receive(s, { type: 'hello', status: 'waiting', agent: null })
    expect(s).toMatchObject({ status: 'waiting', online: true, agent: null })
    s = receive(s, { type: 'hello', status: 'open', agent: { name: 'Mario' } })
    expect(s).toMatchObject({ status: 'open', agent: 'Mario' })
    s = receive(s, { type: 'hello', status: 'closed', agent: null })
    expect(s).toMatchObject({ status: 'closed', online: false, agent: 'Mario' })
  })

  it('shows the customer’s text at once as pending, and as sent when the server echoes it stored', () => {
    let s = receive(newChat(), { type: 'hello', status: 'waiting' })
    s = queueMessage(s, 'c1', 'Hello', NOW)
    expect(messages(s)).toMatchObject([{ id: null, clientId: 'c1', direction: 'in', body: 'Hello', delivery: 'pending' }])
    expect(s.outbox).toEqual([{ clientId: 'c1', body: 'Hello' }])
    const key = messages(s)[0]!.key
    s = receive(s, ownMessage(5, 'c1', 'Hello'))
    expect(messages(s)).toMatchObject([{ id: 5, delivery: 'sent', key }])
    expect(s.outbox).toEqual([])
    expect(s.lastId).toBe(5)
  })

  it('moves delivery states forward only: sent, delivered, read', () => {
    let s = frames(newChat(), { type: 'hello', status: 'open' }, ownMessage(3, 'a', 'hi'))
    s = receive(s, { type: 'delivery', id: 3, delivery: 'read' })
    expect(messages(s)[0]!.delivery).toBe('read')
    s = receive(s, { type: 'delivery', id: 3, delivery: 'delivered' })
    expect(messages(s)[0]!.delivery).toBe('read')
    expect(laterDelivery('pending', 'sent')).toBe('sent')
    expect(laterDelivery('delivered', 'sent')).toBe('delivered')
  })

  it('takes a stored message with no or an unknown delivery state as sent', () => {
    let s = receive(newChat(), { type: 'hello', status: 'open' })
    s = queueMessage(s, 'c1', 'hi', NOW)
    s = receive(s, ownMessage(2, 'c1', 'hi', { delivery: '' as never }))
    s = receive(s, agentMessage(3, 'yo', { delivery: undefined }))
    expect(messages(s).map((m) => m.delivery)).toEqual(['sent', 'sent'])
    s = receive(s, { type: 'delivery', id: 2, delivery: 'bogus' as never })
    expect(messages(s)[0]!.delivery).toBe('sent')
  })

  it('ignores a delivery for a message it does not have', () => {
    const s = frames(newChat(), { type: 'hello', status: 'open' }, ownMessage(3, 'a', 'hi'))
    expect(receive(s, { type: 'delivery', id: 99, delivery: 'read' })).toBe(s)
  })

  it('keeps one copy of a message that comes twice (a replay overlapping a resend)', () => {
    let s = frames(newChat(), { type: 'hello', status: 'open' })
    s = queueMessage(s, 'c1', 'Hello', NOW)
    // The replay after a reconnect brings the stored message without its client id…
    s = receive(s, ownMessage(7, null, 'Hello'))
    expect(bodies(s)).toEqual(['Hello', 'Hello'])
    // …and the resend's answer names both: the pending copy goes.
    s = receive(s, ownMessage(7, 'c1', 'Hello'))
    expect(messages(s)).toMatchObject([{ id: 7, body: 'Hello' }])
    expect(s.outbox).toEqual([])
    s = receive(s, agentMessage(8))
    s = receive(s, agentMessage(8))
    expect(messages(s).map((m) => m.id)).toEqual([7, 8])
  })

  it('puts what the agent wrote while the customer was offline before the customer’s unsent texts', () => {
    let s = frames(newChat(), { type: 'hello', status: 'open' }, agentMessage(1, 'Hi, how can I help?'))
    s = disconnected(s)
    s = queueMessage(s, 'c1', 'My order', NOW)
    s = queueMessage(s, 'c2', 'is late', NOW)
    // Back online: the replay after the last id brings the agent's message first.
    s = receive(s, { type: 'hello', status: 'open', agent: { name: 'Mario' } })
    s = receive(s, agentMessage(2, 'Are you there?'))
    expect(bodies(s)).toEqual(['Hi, how can I help?', 'Are you there?', 'My order', 'is late'])
    s = frames(s, ownMessage(3, 'c1', 'My order'), ownMessage(4, 'c2', 'is late'))
    expect(messages(s).map((m) => m.id)).toEqual([1, 2, 3, 4])
  })

  it('sends the queued texts in order with their client ids after a hello, and a close asked for offline', () => {
    let s = queueMessage(newChat(), 'c1', 'one', NOW)
    s = queueMessage(s, 'c2', 'two', NOW)
    expect(framesOnHello(s)).toEqual([]) // not connected yet
    s = requestClose(s)
    s = receive(s, { type: 'hello', status: 'open' })
    expect(framesOnHello(s)).toEqual([
      { type: 'message', client_id: 'c1', body: 'one' },
      { type: 'message', client_id: 'c2', body: 'two' },
      { type: 'close' },
    ])
    // After a drop the same texts go again, with the same ids: the server stores them once.
    s = receive(disconnected(s), { type: 'hello', status: 'open' })
    expect(framesOnHello(s).slice(0, 2)).toEqual([
      { type: 'message', client_id: 'c1', body: 'one' },
      { type: 'message', client_id: 'c2', body: 'two' },
    ])
  })

  it('restores the texts queued before a reload', () => {
    const s = newChat([{ clientId: 'c9', body: 'still here' }], NOW)
    expect(messages(s)).toMatchObject([{ clientId: 'c9', body: 'still here', delivery: 'pending' }])
    expect(s.outbox).toEqual([{ clientId: 'c9', body: 'still here' }])
  })

  it('marks a refused text as not sent with the server’s reason, and tries it again on request', () => {
    let s = receive(newChat(), { type: 'hello', status: 'open' })
    s = queueMessage(s, 'c1', 'spam', NOW)
    s = receive(s, { type: 'error', code: 'rate_limited', message: 'Too many messages', client_id: 'c1' })
    expect(messages(s)[0]).toMatchObject({ delivery: 'failed', error: 'Too many messages' })
    expect(s.outbox).toEqual([])
    s = retry(s, 'c1')
    expect(messages(s)[0]).toMatchObject({ delivery: 'pending', error: null })
    expect(s.outbox).toEqual([{ clientId: 'c1', body: 'spam' }])
    expect(retry(s, 'c1')).toBe(s) // only a failed text is tried again
  })

  it('keeps an error about no message as a notice until the next hello', () => {
    let s = receive(newChat(), { type: 'hello', status: 'open' })
    s = receive(s, { type: 'error', code: 'conflict', message: 'The chat is closed' })
    expect(s.notice).toBe('The chat is closed')
    expect(receive(s, { type: 'hello', status: 'open' }).notice).toBeNull()
  })

  it('adds an "agent joined" line and opens the chat when an agent accepts (again after a transfer)', () => {
    let s = frames(newChat(), { type: 'hello', status: 'waiting' }, ownMessage(1, 'c1', 'Hello'))
    s = receive(s, { type: 'agent_joined', agent: { name: 'Mario' } })
    expect(s).toMatchObject({ status: 'open', agent: 'Mario' })
    s = frames(s, agentMessage(2), { type: 'agent_joined', agent: { name: 'Giulia' } })
    expect(s.agent).toBe('Giulia')
    expect(s.items.map((i) => (i.kind === 'joined' ? `joined ${i.agentName}` : i.body))).toEqual(['Hello', 'joined Mario', 'agent 2', 'joined Giulia'])
    expect(new Set(s.items.map((i) => i.key)).size).toBe(s.items.length)
  })

  it('ends the chat on closed: who closed it, nothing more to send, unsent texts failed', () => {
    let s = receive(newChat(), { type: 'hello', status: 'open' })
    s = queueMessage(disconnected(s), 'c1', 'too late', NOW)
    s = receive(s, { type: 'closed', by: 'agent' })
    expect(s).toMatchObject({ status: 'closed', closedBy: 'agent', online: false, outbox: [] })
    expect(messages(s)[0]!.delivery).toBe('failed')
    expect(retry(s, 'c1')).toBe(s)
    expect(requestClose(s)).toBe(s)
    expect(receive(requestClose(receive(newChat(), { type: 'hello', status: 'open' })), { type: 'closed', by: 'customer' })).toMatchObject({
      closedBy: 'customer',
      closeRequested: false,
    })
  })

  it('shows an upload while it goes and drops it when refused', () => {
    let s = receive(newChat(), { type: 'hello', status: 'open' })
    s = queueUpload(s, 'f1', 'invoice.pdf', NOW)
    expect(messages(s)[0]).toMatchObject({ uploading: 'invoice.pdf', delivery: 'pending' })
    expect(s.outbox).toEqual([]) // files go over HTTP, not the socket
    expect(messages(dropPending(s, 'f1'))).toEqual([])
    const attachment = { id: 4, name: 'invoice.pdf', content_type: 'application/pdf', size: 1200, url: '/api/v1/widget/files/4' }
    s = receive(s, ownMessage(9, 'f1', '', { attachment }))
    expect(messages(s)).toMatchObject([{ id: 9, uploading: null, attachment }])
  })

  it('ignores pings, unknown frames and messages without a valid id', () => {
    const s = receive(newChat(), { type: 'hello', status: 'open' })
    expect(receive(s, { type: 'ping' })).toBe(s)
    expect(receive(s, { type: 'later' } as unknown as ServerFrame)).toBe(s)
    expect(receive(s, agentMessage(0))).toBe(s)
  })
})

describe('delivery reports', () => {
  it('reports delivered for the agent’s messages shown, and read once they are seen, each once', () => {
    let s = frames(newChat(), { type: 'hello', status: 'open' }, agentMessage(3), ownMessage(4, 'c', 'ok'), agentMessage(5))
    let due = reportsDue(s)
    expect(due.frames).toEqual([{ type: 'delivered', up_to: 5 }])
    s = due.state
    expect(reportsDue(s).frames).toEqual([])
    s = markSeen(s)
    due = reportsDue(s)
    expect(due.frames).toEqual([{ type: 'read', up_to: 5 }])
    expect(reportsDue(due.state).frames).toEqual([])
  })

  it('sends nothing while the socket is down and catches up after the hello', () => {
    let s = frames(newChat(), { type: 'hello', status: 'open' }, agentMessage(3))
    s = markSeen(disconnected(s))
    expect(reportsDue(s).frames).toEqual([])
    s = receive(s, { type: 'hello', status: 'open' })
    expect(reportsDue(s).frames).toEqual([{ type: 'read', up_to: 3 }]) // read says delivered too
  })

  it('sends only read for messages seen as soon as shown, and delivered for those shown beyond what was seen', () => {
    let s = markSeen(frames(newChat(), { type: 'hello', status: 'open' }, agentMessage(3), agentMessage(4)))
    let due = reportsDue(s)
    expect(due.frames).toEqual([{ type: 'read', up_to: 4 }])
    s = frames(due.state, agentMessage(6)) // arrives while the customer looks elsewhere
    due = reportsDue(s)
    expect(due.frames).toEqual([{ type: 'delivered', up_to: 6 }])
    expect(reportsDue(markSeen(due.state)).frames).toEqual([{ type: 'read', up_to: 6 }])
  })

  it('does not report again what the replay says the server has', () => {
    const s = frames(newChat(), { type: 'hello', status: 'open' }, agentMessage(3, 'x', { delivery: 'read' }), agentMessage(4, 'y', { delivery: 'delivered' }))
    expect(reportsDue(s).frames).toEqual([])
    expect(unseenCount(s)).toBe(1)
  })

  it('counts the agent’s messages not seen yet for the launcher’s badge', () => {
    let s = frames(newChat(), { type: 'hello', status: 'open' }, agentMessage(1), ownMessage(2, 'c', 'hi'), agentMessage(3))
    expect(unseenCount(s)).toBe(2)
    s = markSeen(s)
    expect(unseenCount(s)).toBe(0)
    s = receive(s, agentMessage(4))
    expect(unseenCount(s)).toBe(1)
  })

  it('takes the history of a chat already over as seen', () => {
    const s = frames(newChat(), { type: 'hello', status: 'closed' }, agentMessage(1), agentMessage(2))
    expect(unseenCount(s)).toBe(0)
  })
})

describe('client ids', () => {
  it('are short, distinct and stable in form', () => {
    const a = newClientId(1_700_000_000_000, () => 0.1)
    const b = newClientId(1_700_000_000_000, () => 0.2)
    expect(a).toMatch(/^w[0-9a-z]+$/)
    expect(a).not.toBe(b)
    expect(a.length).toBeLessThanOrEqual(20)
    expect(new Set(Array.from({ length: 200 }, () => newClientId())).size).toBe(200)
  })
})
