import { api } from './api'
import type { ChannelAccount, ContactList, NewWebsite, QueueChannel, Website, WebsiteFormField, WebsiteInput } from './types'

// Channel accounts and the chat websites (the chat channel's accounts, with
// their widget), and the contact lists the website settings pick from. The
// server may leave out empty lists and texts; the normalize functions put
// them back.

type Items<T> = { items: T[] | null }

function normalizeField(field: WebsiteFormField): WebsiteFormField {
  return { ...field, label: field.label ?? '', required: !!field.required, options: field.options ?? [] }
}

export function normalizeWebsite(website: Website): Website {
  return {
    ...website,
    queue_id: website.queue_id ?? null,
    default_list_id: website.default_list_id ?? null,
    mandatory_disposition: !!website.mandatory_disposition,
    create_contacts: !!website.create_contacts,
    allowed_origins: website.allowed_origins ?? [],
    title: website.title ?? '',
    colour: (website.colour ?? '').toLowerCase(),
    online_form: (website.online_form ?? []).map(normalizeField),
    offline_form: (website.offline_form ?? []).map(normalizeField),
    offline_message: website.offline_message ?? '',
    attachments_enabled: !!website.attachments_enabled,
  }
}

export const websitesApi = {
  list: () => api.get<Items<Website>>('/websites').then((r) => (r.items ?? []).map(normalizeWebsite)),
  get: (id: number) => api.get<Website>(`/websites/${id}`).then(normalizeWebsite),
  create: (website: NewWebsite) => api.post<Website>('/websites', website).then(normalizeWebsite),
  update: (id: number, patch: Partial<WebsiteInput>) => api.patch<Website>(`/websites/${id}`, patch).then(normalizeWebsite),
  remove: (id: number) => api.delete<void>(`/websites/${id}`),
  /** A new widget key: embeds with the old one stop working. */
  rotateKey: (id: number) => api.post<Website>(`/websites/${id}/rotate-key`).then(normalizeWebsite),
  snippet: (id: number) => api.get<{ html: string }>(`/websites/${id}/snippet`).then((r) => r.html ?? ''),
}

export const accountsApi = {
  list: (channel?: QueueChannel) =>
    api.get<Items<ChannelAccount>>('/accounts', { query: { channel } }).then((r) => r.items ?? []),
}

export const contactListsApi = {
  list: () =>
    api.get<Items<ContactList>>('/lists').then((r) => (r.items ?? []).map((l) => ({ ...l, description: l.description ?? '' }))),
}
