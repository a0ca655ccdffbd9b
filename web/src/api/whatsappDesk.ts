import { api } from './api'
import type { ChannelAccount, Interaction } from './types'
import type { Message } from './conversation'
import { normalizeMessage } from './conversation'

// WhatsApp on the agent desktop: the templates an agent may send on an
// interaction (the only thing he may send once the 24-hour window has
// closed), and starting a conversation with a number (the + of the
// WhatsApp list): a check that applies the reference's scenarios, then
// the start itself. The admin side is api/whatsapp.ts.

type Items<T> = { items: T[] | null }

/** A template as an agent sees it (approved and available for agents). */
export interface WhatsAppTemplate {
  id: number
  account_id: number
  name: string
  /** The provider's language code: en_US, it. */
  language: string
  category: string
  /** The text with its parameters {{1}}, {{2}}… */
  body: string
  parameter_count: number
}

/** What an agent may send to a number (POST /whatsapp/outbound/check). */
export interface OutboundCheck {
  account_id: number
  /** The number, E.164. */
  number: string
  /** The Contact Manager's contact with this number; null when unknown. */
  contact: { id: number; list_id: number; name: string } | null
  /** When the customer service window closes; null when closed or he never wrote. */
  window_expires_at: string | null
  /** Free text while the window is open, else a template. */
  send: 'text' | 'template'
  /** His own open interaction with the number: opened rather than starting another. */
  interaction_id: number | null
  templates: WhatsAppTemplate[]
}

/** The first message of a new conversation: free text, or a template with its parameters. */
export type OutboundFirstMessage = { body: string } | { template_id: number; parameters: string[] }

export function normalizeTemplate(t: WhatsAppTemplate): WhatsAppTemplate {
  return { ...t, category: t.category ?? '', body: t.body ?? '', parameter_count: t.parameter_count ?? 0 }
}

function normalizeCheck(c: OutboundCheck): OutboundCheck {
  return {
    ...c,
    contact: c.contact ?? null,
    window_expires_at: c.window_expires_at ?? null,
    interaction_id: c.interaction_id ?? null,
    templates: (c.templates ?? []).map(normalizeTemplate),
  }
}

export const whatsappDeskApi = {
  /** The WhatsApp accounts he may write from: enabled, in his queues. */
  accounts: (): Promise<ChannelAccount[]> =>
    api.get<Items<ChannelAccount>>('/me/whatsapp-accounts').then((r) => r.items ?? []),
  templates: (interactionId: number) =>
    api
      .get<Items<WhatsAppTemplate>>(`/interactions/${interactionId}/templates`)
      .then((r) => (r.items ?? []).map(normalizeTemplate)),
  /** Sends a template on an open interaction (also "Send Recontact Template"); the answer is the stored message. */
  sendTemplate: (interactionId: number, templateId: number, parameters: string[]) =>
    api
      .post<Message>(`/interactions/${interactionId}/template`, { template_id: templateId, parameters })
      .then(normalizeMessage),
  check: (accountId: number, number: string) =>
    api.post<OutboundCheck>('/whatsapp/outbound/check', { account_id: accountId, number }).then(normalizeCheck),
  /** Starts the conversation with its first message; answers the new interaction's id. */
  start: (accountId: number, number: string, first: OutboundFirstMessage) =>
    api
      .post<{ interaction: Interaction }>('/whatsapp/outbound', { account_id: accountId, number, ...first })
      .then((r) => r.interaction.id),
}
