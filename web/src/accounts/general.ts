/**
 * The settings every channel's account has — a chat website, a WhatsApp
 * number …: its name, whether it takes conversations, the queue they wait
 * in, the list new contacts go to and whether a disposition is required to
 * close. AccountGeneralCard edits them the same way on every account page.
 */
export interface AccountGeneral {
  name: string
  enabled: boolean
  queue_id: number | null
  default_list_id: number | null
  mandatory_disposition: boolean
  /** The contact-manager trigger, on the channels whose page offers it. */
  create_contacts?: boolean
}

/** The locale sections an account page takes its texts from, one per channel. */
export const ACCOUNT_TEXT_SECTIONS = ['websites', 'whatsappAccounts'] as const
export type AccountTextSection = (typeof ACCOUNT_TEXT_SECTIONS)[number]

/**
 * The texts the general card reads from its channel's section (the wording
 * differs: "chat" or "conversation", "website" or "number").
 * i18n/dynamic-keys.test.ts checks that every section holds them.
 */
export const ACCOUNT_GENERAL_TEXTS = [
  'general',
  'fields.name',
  'fields.enabledLong',
  'enabledHelp',
  'fields.queue',
  'noQueue',
  'fields.defaultList',
  'defaultListHelp',
  'noDefaultList',
  'fields.mandatoryDisposition',
  'mandatoryDispositionHelp',
] as const

/** The texts of the contact-manager toggle, in the sections of the channels whose draft has create_contacts. */
export const CONTACT_TRIGGER_TEXTS = ['fields.createContacts', 'createContactsHelp'] as const
