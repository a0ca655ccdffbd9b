import {
  PROVIDER_FIELDS,
  PROVIDER_SECRETS,
  WHATSAPP_SECRETS,
  type WhatsAppAccount,
  type WhatsAppAccountInput,
  type WhatsAppSecret,
} from '../api/whatsapp'
import { changedParts } from '../websites/forms'

// The pure parts of the WhatsApp account editor: the account as the page
// edits it, and what goes to the server. Only the chosen provider's fields
// are sent (the server clears the other's). A secret goes only when typed
// for a new account or as a replacement: left out, the server keeps it —
// which is also why it is never shown or prefilled.

/** The account's plain fields as the page edits them. */
export type AccountFields = Omit<WhatsAppAccountInput, WhatsAppSecret>

export interface AccountDraft extends AccountFields {
  /** What was typed for each secret. */
  secrets: Record<WhatsAppSecret, string>
  /** The set secrets the admin chose to replace. */
  replacing: Record<WhatsAppSecret, boolean>
}

function perSecret<T>(value: T): Record<WhatsAppSecret, T> {
  return Object.fromEntries(WHATSAPP_SECRETS.map((s) => [s, value])) as Record<WhatsAppSecret, T>
}

export function accountFields(a: WhatsAppAccount | null): AccountFields {
  return {
    name: a?.name ?? '',
    enabled: a?.enabled ?? true,
    queue_id: a?.queue_id ?? null,
    default_list_id: a?.default_list_id ?? null,
    mandatory_disposition: a?.mandatory_disposition ?? false,
    create_contacts: a?.create_contacts ?? false,
    provider: a?.provider ?? 'meta',
    phone_number: a?.phone_number ?? '',
    phone_number_id: a?.phone_number_id ?? '',
    business_account_id: a?.business_account_id ?? '',
    account_sid: a?.account_sid ?? '',
    sender: a?.sender ?? '',
    api_base_url: a?.api_base_url ?? '',
  }
}

export function toDraft(a: WhatsAppAccount | null): AccountDraft {
  return { ...accountFields(a), secrets: perSecret(''), replacing: perSecret(false) }
}

/** Whether the saved account holds this secret. */
export function secretSet(a: WhatsAppAccount | null, secret: WhatsAppSecret): boolean {
  return !!a?.[`${secret}_set`]
}

/**
 * Whether the page asks for this secret: it belongs to the chosen provider
 * and is not set yet (a new account, a provider just switched to) or is
 * being replaced.
 */
export function secretAsked(draft: AccountDraft, saved: WhatsAppAccount | null, secret: WhatsAppSecret): boolean {
  const own = (PROVIDER_SECRETS[draft.provider] as readonly string[]).includes(secret)
  if (!own) return false
  // Switching provider clears the other provider's secrets on the server.
  const kept = saved !== null && saved.provider === draft.provider && secretSet(saved, secret)
  return !kept || draft.replacing[secret]
}

/** The plain fields as they would be sent: trimmed, the other provider's emptied. */
function sentFields(draft: AccountDraft): AccountFields {
  const out: AccountFields = {
    ...accountFields(null),
    name: draft.name.trim(),
    enabled: draft.enabled,
    queue_id: draft.queue_id,
    default_list_id: draft.default_list_id,
    mandatory_disposition: draft.mandatory_disposition,
    create_contacts: draft.create_contacts,
    provider: draft.provider,
    phone_number: draft.phone_number.trim(),
    api_base_url: draft.api_base_url.trim(),
  }
  for (const field of PROVIDER_FIELDS[draft.provider]) out[field] = draft[field].trim()
  return out
}

/** The secrets typed for the chosen provider (untrimmed: a secret is what was typed). */
function sentSecrets(draft: AccountDraft, saved: WhatsAppAccount | null): Partial<Record<WhatsAppSecret, string>> {
  const out: Partial<Record<WhatsAppSecret, string>> = {}
  for (const secret of PROVIDER_SECRETS[draft.provider] as readonly WhatsAppSecret[]) {
    if (secretAsked(draft, saved, secret)) out[secret] = draft.secrets[secret]
  }
  return out
}

/** The body of POST for a new account: everything, so the server names every missing field. */
export function newAccountBody(draft: AccountDraft): WhatsAppAccountInput {
  return { ...sentFields(draft), ...sentSecrets(draft, null) }
}

/**
 * The body of PATCH: the changed plain fields and the secrets asked for.
 * A replacement left blank is still sent, so the server says it is required
 * rather than the page silently keeping the old one.
 */
export function accountPatch(saved: WhatsAppAccount, draft: AccountDraft): Partial<WhatsAppAccountInput> {
  const patch: Partial<WhatsAppAccountInput> = changedParts(sentFields(toDraft(saved)), sentFields(draft))
  if (patch.provider !== undefined) {
    // The server checks the new provider's whole set: its fields go even
    // when they equal the saved (empty) ones, so each missing one is named.
    for (const field of PROVIDER_FIELDS[draft.provider]) patch[field] = draft[field].trim()
  }
  return { ...patch, ...sentSecrets(draft, saved) }
}

/** Whether the draft differs from the saved account (typed secrets count). */
export function accountDirty(saved: WhatsAppAccount, draft: AccountDraft): boolean {
  const patch = accountPatch(saved, draft)
  const secrets = WHATSAPP_SECRETS.filter((s) => s in patch)
  // A replacement opened but left blank is not a change yet.
  const typed = secrets.some((s) => draft.secrets[s] !== '')
  const plain = Object.keys(patch).filter((k) => !(WHATSAPP_SECRETS as readonly string[]).includes(k))
  return plain.length > 0 || typed
}

/** The fields the page shows a server error next to; others go to the box above the form. */
export const ACCOUNT_FIELDS = [
  'name',
  'enabled',
  'queue_id',
  'default_list_id',
  'mandatory_disposition',
  'create_contacts',
  'provider',
  'phone_number',
  'phone_number_id',
  'business_account_id',
  'account_sid',
  'sender',
  'api_base_url',
  ...WHATSAPP_SECRETS,
] as const
