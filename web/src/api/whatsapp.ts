import { api } from './api'

// The admin side of the WhatsApp channel: business numbers (accounts)
// carried by Meta's Cloud API or by Twilio, and each account's message
// templates. Secrets are write-only: sent to set or replace one, never
// returned (the account says whether each is set). The agent side is in
// whatsappDesk.ts.

export const WHATSAPP_PROVIDERS = ['meta', 'twilio'] as const
export type WhatsAppProvider = (typeof WHATSAPP_PROVIDERS)[number]

/** The secrets of each provider, as the request body names them. */
export const PROVIDER_SECRETS = {
  meta: ['access_token', 'app_secret', 'verify_token'],
  twilio: ['auth_token'],
} as const satisfies Record<WhatsAppProvider, readonly string[]>

export type WhatsAppSecret = (typeof PROVIDER_SECRETS)[WhatsAppProvider][number]
export const WHATSAPP_SECRETS: readonly WhatsAppSecret[] = [...PROVIDER_SECRETS.meta, ...PROVIDER_SECRETS.twilio]

/** The plain (non-secret) fields of each provider. */
export const PROVIDER_FIELDS = {
  meta: ['phone_number_id', 'business_account_id'],
  twilio: ['account_sid', 'sender'],
} as const satisfies Record<WhatsAppProvider, readonly string[]>

export interface WhatsAppAccount {
  id: number
  channel: 'whatsapp'
  name: string
  enabled: boolean
  queue_id: number | null
  default_list_id: number | null
  mandatory_disposition: boolean
  /** An inbound interaction from an unknown number creates a contact in the default list. */
  create_contacts: boolean
  provider: WhatsAppProvider
  /** The business number, E.164. */
  phone_number: string
  phone_number_id: string
  business_account_id: string
  account_sid: string
  /** Twilio's From: whatsapp:+number or a messaging service SID (MG…). */
  sender: string
  /** Empty: the provider's real API. */
  api_base_url: string
  webhook_key: string
  /** Where the provider must send its webhooks. */
  webhook_url: string
  access_token_set: boolean
  app_secret_set: boolean
  verify_token_set: boolean
  auth_token_set: boolean
  created_at: string
  updated_at: string
}

/** What an admin may send; a secret left out keeps its value. */
export type WhatsAppAccountInput = Pick<
  WhatsAppAccount,
  | 'name'
  | 'enabled'
  | 'queue_id'
  | 'default_list_id'
  | 'mandatory_disposition'
  | 'create_contacts'
  | 'provider'
  | 'phone_number'
  | 'phone_number_id'
  | 'business_account_id'
  | 'account_sid'
  | 'sender'
  | 'api_base_url'
> &
  Partial<Record<WhatsAppSecret, string>>

export const TEMPLATE_STATUSES = ['approved', 'pending', 'rejected', 'paused', 'disabled'] as const
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number]

/** Meta's template categories. */
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const

export interface WhatsAppTemplate {
  id: number
  account_id: number
  name: string
  /** The provider's code: en_US, it. */
  language: string
  category: string
  /** The text with its parameters {{1}}, {{2}}… */
  body: string
  parameter_count: number
  available_for_agents: boolean
  status: TemplateStatus
  /** Twilio's Content SID; Meta's template id (synced ones). */
  provider_id: string
  created_at: string
  updated_at: string
}

export interface TemplateInput {
  name: string
  language: string
  category: string
  body: string
  available_for_agents: boolean
  status: TemplateStatus
  provider_id: string
}

export interface TemplateSync {
  /** How many templates Meta listed. */
  synced: number
  items: WhatsAppTemplate[]
}

type Items<T> = { items: T[] | null }

// The server may leave out empty texts; these put them back.
export function normalizeAccount(a: WhatsAppAccount): WhatsAppAccount {
  return {
    ...a,
    queue_id: a.queue_id ?? null,
    default_list_id: a.default_list_id ?? null,
    mandatory_disposition: !!a.mandatory_disposition,
    create_contacts: !!a.create_contacts,
    phone_number: a.phone_number ?? '',
    phone_number_id: a.phone_number_id ?? '',
    business_account_id: a.business_account_id ?? '',
    account_sid: a.account_sid ?? '',
    sender: a.sender ?? '',
    api_base_url: a.api_base_url ?? '',
    webhook_url: a.webhook_url ?? '',
    access_token_set: !!a.access_token_set,
    app_secret_set: !!a.app_secret_set,
    verify_token_set: !!a.verify_token_set,
    auth_token_set: !!a.auth_token_set,
  }
}

export function normalizeTemplate(t: WhatsAppTemplate): WhatsAppTemplate {
  return {
    ...t,
    category: t.category ?? '',
    body: t.body ?? '',
    parameter_count: t.parameter_count ?? 0,
    available_for_agents: !!t.available_for_agents,
    provider_id: t.provider_id ?? '',
  }
}

const base = '/whatsapp-accounts'

export const whatsappAccountsApi = {
  list: () => api.get<Items<WhatsAppAccount>>(base).then((r) => (r.items ?? []).map(normalizeAccount)),
  get: (id: number) => api.get<WhatsAppAccount>(`${base}/${id}`).then(normalizeAccount),
  create: (account: WhatsAppAccountInput) => api.post<WhatsAppAccount>(base, account).then(normalizeAccount),
  update: (id: number, patch: Partial<WhatsAppAccountInput>) =>
    api.patch<WhatsAppAccount>(`${base}/${id}`, patch).then(normalizeAccount),
  remove: (id: number) => api.delete<void>(`${base}/${id}`),
}

export const whatsappTemplatesApi = {
  list: (accountId: number) =>
    api.get<Items<WhatsAppTemplate>>(`${base}/${accountId}/templates`).then((r) => (r.items ?? []).map(normalizeTemplate)),
  create: (accountId: number, template: TemplateInput) =>
    api.post<WhatsAppTemplate>(`${base}/${accountId}/templates`, template).then(normalizeTemplate),
  update: (accountId: number, id: number, patch: Partial<TemplateInput>) =>
    api.patch<WhatsAppTemplate>(`${base}/${accountId}/templates/${id}`, patch).then(normalizeTemplate),
  remove: (accountId: number, id: number) => api.delete<void>(`${base}/${accountId}/templates/${id}`),
  /** Reads a Meta account's templates from the Graph API (Twilio: 400). */
  sync: (accountId: number) =>
    api
      .post<{ synced: number; items: WhatsAppTemplate[] | null }>(`${base}/${accountId}/templates/sync`)
      .then((r): TemplateSync => ({ synced: r.synced ?? 0, items: (r.items ?? []).map(normalizeTemplate) })),
}
