// The shapes of docs/widget-protocol.md as the widget sees them: the
// website's configuration, the answers of the HTTP endpoints and the socket's
// frames in both directions.

export type FieldType = 'text' | 'email' | 'phone' | 'textarea' | 'select'

/** One field of the website's online (pre-chat) or offline form. */
export interface FormField {
  name: string
  label: string
  type: FieldType
  required: boolean
  options: string[]
}

export interface AttachmentRules {
  enabled: boolean
  max_bytes: number
  types: string[]
}

/** GET /widget/config */
export interface WidgetConfig {
  title: string
  colour: string
  online: boolean
  online_form: FormField[]
  offline_form: FormField[]
  offline_message: string
  attachments: AttachmentRules
  locale?: string
}

/** POST /widget/chats: a live chat (token) or an offline message (none). */
export interface StartedChat {
  chat_id: number
  token?: string
  interaction_id?: number
  offline?: boolean
}

/** Delivery state of a stored message; states only move forward. */
export type Delivery = 'sent' | 'delivered' | 'read'

export interface Attachment {
  id: number
  name: string
  content_type: string
  size: number
  url: string
}

export interface AgentRef {
  name: string
}

/** A stored message of the chat, the customer's own included. */
export interface MessageFrame {
  type: 'message'
  id: number
  direction: 'in' | 'out'
  body: string
  created_at: string
  attachment?: Attachment | null
  agent?: AgentRef | null
  client_id?: string | null
  delivery?: Delivery
}

export type ChatStatus = 'waiting' | 'open' | 'closed'

export type ServerFrame =
  | { type: 'hello'; status: ChatStatus; agent?: AgentRef | null }
  | MessageFrame
  | { type: 'delivery'; id: number; delivery: Delivery }
  | { type: 'agent_joined'; agent?: AgentRef | null }
  | { type: 'closed'; by: 'agent' | 'customer' }
  | { type: 'error'; code: string; message: string; client_id?: string | null }
  | { type: 'ping' }

export type WidgetFrame =
  | { type: 'message'; client_id: string; body: string }
  | { type: 'delivered'; up_to: number }
  | { type: 'read'; up_to: number }
  | { type: 'close' }

/** The longest text a message may have (the server refuses longer ones). */
export const MAX_MESSAGE_CHARS = 5000

/** The longest value a form field may have. */
export const MAX_FIELD_CHARS = 1000
