import { describe, expect, it } from 'vitest'
import { normalizeInteraction, type InteractionDetail } from '../api/conversation'
import type { RealtimeEvent } from '../realtime'
import { applyTabEvent, closeTab, emptyTabs, markTabRead, openTab, restoreTabs, showTab, syncMine, unreadTotal, updateTab } from './tabs'

const ME = 2

function it_(id: number, patch: Partial<InteractionDetail> = {}): InteractionDetail {
  return normalizeInteraction({
    id,
    channel: 'chat',
    queue_id: 1,
    subject: '',
    status: 'open',
    owner_id: ME,
    created_at: '2026-11-21T10:00:00Z',
    closed_at: null,
    contact_name: `Customer ${id}`,
    account_id: 1,
    ...patch,
  })
}

let seq = 0
function ev(event: string, data: Record<string, unknown>): RealtimeEvent {
  return { id: ++seq, event, at: '2026-11-21T10:05:00Z', data }
}
const received = (id: number, messageId: number) => ev('message.received', { interaction_id: id, agent_id: ME, message_id: messageId })

describe('tabs from the server', () => {
  it('opens a tab per open interaction, with the server unread count and the account name', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5, { unread: 2 }), it_(7)], (id) => (id === 1 ? 'Demo shop' : ''))
    expect(s.order).toEqual([5, 7])
    expect(s.tabs[5]).toMatchObject({ contactName: 'Customer 5', accountName: 'Demo shop', unread: 2, placeholder: false })
    expect(unreadTotal(s)).toBe(2)
  })

  it('keeps a tab the list no longer has, and asks for its details again', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5), it_(7)])
    const ups = syncMine(s, [it_(7)])
    expect(s.order).toEqual([5, 7])
    expect(ups).toEqual([{ type: 'load', id: 5 }])
    updateTab(s, it_(5, { status: 'closed', closed_at: '2026-11-21T10:10:00Z' }))
    expect(syncMine(s, [it_(7)])).toEqual([]) // closed: nothing more to learn
    expect(s.tabs[5]!.status).toBe('closed')
  })

  it('restores remembered tabs as placeholders to load, without duplicates', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5)])
    expect(restoreTabs(s, [3, 5])).toEqual([{ type: 'load', id: 3 }])
    expect(s.order).toEqual([5, 3])
    expect(s.tabs[3]!.placeholder).toBe(true)
  })

  it('opens a tab from a click once, loading its details when unknown', () => {
    const s = emptyTabs(ME)
    expect(openTab(s, 9)).toEqual([{ type: 'load', id: 9 }])
    updateTab(s, it_(9))
    expect(openTab(s, 9)).toEqual([])
    expect(s.order).toEqual([9])
  })
})

describe('closing tabs', () => {
  it('shows the next tab, else the previous one, else the Dashboard', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(1), it_(2), it_(3)])
    showTab(s, 2)
    expect(closeTab(s, 2)).toEqual({ next: 3 })
    showTab(s, 3)
    expect(closeTab(s, 3)).toEqual({ next: 1 })
    showTab(s, 1)
    expect(closeTab(s, 1)).toEqual({ next: null })
    expect(s.order).toEqual([])
  })

  it('leaves the screen alone when closing a tab that is not on it', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(1), it_(2)])
    showTab(s, 1)
    expect(closeTab(s, 2)).toEqual({ next: 1 })
  })
})

describe('unread counting', () => {
  it('counts a customer message in a tab that is not on screen, once per message', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5), it_(7)])
    showTab(s, 7)
    applyTabEvent(s, received(5, 100), true)
    applyTabEvent(s, received(5, 101), true)
    applyTabEvent(s, received(5, 101), true) // replayed after a reconnect
    expect(s.tabs[5]!.unread).toBe(2)
    expect(unreadTotal(s)).toBe(2)
  })

  it('reads at once a message in the tab on screen, while the page is in front', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5)])
    showTab(s, 5)
    expect(applyTabEvent(s, received(5, 100), true)).toEqual([{ type: 'read', id: 5 }])
    expect(s.tabs[5]!.unread).toBe(0)
  })

  it('counts it when the page is hidden behind another window', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5)])
    showTab(s, 5)
    expect(applyTabEvent(s, received(5, 100), false)).toEqual([])
    expect(s.tabs[5]!.unread).toBe(1)
  })

  it('clears when the tab is shown, or read on another screen', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5, { unread: 3 }), it_(7, { unread: 1 })])
    showTab(s, 5)
    expect(s.tabs[5]!.unread).toBe(0)
    applyTabEvent(s, ev('interaction.read', { interaction_id: 7, agent_id: ME, read_up_to_message_id: 50 }), true)
    expect(s.tabs[7]!.unread).toBe(0)
    applyTabEvent(s, received(7, 49), true) // older than the read mark
    expect(s.tabs[7]!.unread).toBe(0)
  })

  it('ignores messages of interactions without a tab', () => {
    const s = emptyTabs(ME)
    expect(applyTabEvent(s, received(5, 1), true)).toEqual([])
    expect(s.order).toEqual([])
  })

  it('a fresh server count replaces the live one, except on screen', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5)])
    applyTabEvent(s, received(5, 10), true)
    updateTab(s, it_(5, { unread: 4 }))
    expect(s.tabs[5]!.unread).toBe(4)
    showTab(s, 5)
    updateTab(s, it_(5, { unread: 4 }))
    expect(s.tabs[5]!.unread).toBe(0)
    markTabRead(s, 5)
    expect(s.tabs[5]!.unread).toBe(0)
  })
})

describe('events', () => {
  it('opens a tab when an interaction is assigned to him (auto-answer, accept on another screen)', () => {
    const s = emptyTabs(ME)
    expect(applyTabEvent(s, ev('interaction.assigned', { interaction_id: 8, agent_id: ME }), true)).toEqual([{ type: 'load', id: 8 }])
    expect(s.order).toEqual([8])
    applyTabEvent(s, ev('interaction.assigned', { interaction_id: 9, agent_id: 99 }), true)
    expect(s.order).toEqual([8])
  })

  it('keeps the tab of a closed interaction, marked closed', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5)])
    applyTabEvent(s, ev('interaction.closed', { interaction_id: 5, agent_id: ME, by: 'customer' }), true)
    expect(s.order).toEqual([5])
    expect(s.tabs[5]).toMatchObject({ status: 'closed', closedAt: '2026-11-21T10:05:00Z' })
  })

  it('clears the sub-status when the customer writes', () => {
    const s = emptyTabs(ME)
    syncMine(s, [it_(5, { sub_status: { id: 1, name: 'Pending' } })])
    expect(s.tabs[5]!.subStatus).toBe('Pending')
    applyTabEvent(s, received(5, 3), true)
    expect(s.tabs[5]!.subStatus).toBe('')
  })
})
