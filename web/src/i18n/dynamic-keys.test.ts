import { describe, expect, it } from 'vitest'
import en from './locales/en.json'
import itMessages from './locales/it.json'
import {
  FORM_FIELD_TYPES,
  INTERACTION_STATUSES,
  LOG_LEVELS,
  MAX_WAIT_ACTIONS,
  MEMBER_VIAS,
  PROFILE_RIGHTS,
  PROFILE_SECTIONS,
  QUEUE_CHANNELS,
  SIDEBAR_SECTIONS,
  STRATEGIES,
  TYPOLOGIES,
} from '../api/types'
import { FIELD_PROBLEMS } from '../websites/forms'
import { LIST_ACCESS, LIST_FIELD_TYPES } from '../api/contactLists'
import { STANDARD_TARGETS } from '../contactImport/mapping'
import { TEMPLATE_CATEGORIES, TEMPLATE_STATUSES, WHATSAPP_PROVIDERS, WHATSAPP_SECRETS } from '../api/whatsapp'
import { ACCOUNT_GENERAL_TEXTS, ACCOUNT_TEXT_SECTIONS, CONTACT_TRIGGER_TEXTS } from '../accounts/general'

// Keys the code builds from a value (t(`channels.${channel}`) …), which the
// literal-key check in locales.test.ts cannot see.
const families: [string, readonly string[]][] = [
  ['channels', QUEUE_CHANNELS],
  ['sidebar', SIDEBAR_SECTIONS],
  ['agents.typologies', TYPOLOGIES],
  ['agents.typologyHelp', TYPOLOGIES],
  ['clientLogs.levels', LOG_LEVELS],
  ['clientLogs.explain', LOG_LEVELS],
  ['userProfiles.sections', PROFILE_SECTIONS],
  ['userProfiles.rightNames', PROFILE_RIGHTS],
  ['staff.roles', ['admin', 'user', 'agent']],
  ['users.roleHelp', ['admin', 'user']],
  ['queues.strategies', STRATEGIES],
  ['queues.strategyHelp', STRATEGIES],
  ['queues.maxWaitActions', MAX_WAIT_ACTIONS],
  ['queues.viaNames', MEMBER_VIAS],
  ['queues.viaHint', MEMBER_VIAS],
  ['interactions.status', INTERACTION_STATUSES],
  ['desk.state', ['offline', 'ready', 'paused', 'away']],
  ['realtime.status', ['idle', 'connecting', 'open', 'reconnecting']],
  ['websites.fieldTypes', FORM_FIELD_TYPES],
  ['websites.problems', FIELD_PROBLEMS],
  ['interactionList.describe', ['website', 'account']],
  ['interactionList.entryPoint', ['website', 'account']],
  ['interactionList.all', ['website', 'account']],
  ['interactionList.direction', ['in', 'out']],
  ['contactLists.fieldTypes', LIST_FIELD_TYPES],
  ['contactLists.access', LIST_ACCESS],
  ['contactImport.targets', STANDARD_TARGETS],
  ['contactImport.status', ['running', 'done', 'failed']],
  ['contactImport.statusTag', ['running', 'done', 'failed']],
  ['whatsappAccounts.providers', WHATSAPP_PROVIDERS],
  ['whatsappAccounts.providerHelp', WHATSAPP_PROVIDERS],
  ['whatsappAccounts.webhookHelp', WHATSAPP_PROVIDERS],
  ['whatsappAccounts.secrets', WHATSAPP_SECRETS],
  ['whatsappAccounts.secretHelp', WHATSAPP_SECRETS],
  ['whatsappTemplates.categories', TEMPLATE_CATEGORIES],
  ['whatsappTemplates.status', TEMPLATE_STATUSES],
  // AccountGeneralCard reads its texts from the account page's section.
  ...ACCOUNT_TEXT_SECTIONS.map((section): [string, readonly string[]] => [section, ACCOUNT_GENERAL_TEXTS]),
  ['whatsappAccounts', CONTACT_TRIGGER_TEXTS],
  ['websites', CONTACT_TRIGGER_TEXTS],
]

function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node ? (node as Record<string, unknown>)[part] : undefined), tree)
}

describe('texts for every value of the API enums', () => {
  for (const [prefix, values] of families) {
    it(prefix, () => {
      for (const value of values) {
        expect(typeof lookup(en, `${prefix}.${value}`), `${prefix}.${value}`).toBe('string')
        expect(typeof lookup(itMessages, `${prefix}.${value}`), `it ${prefix}.${value}`).toBe('string')
      }
    })
  }
})
