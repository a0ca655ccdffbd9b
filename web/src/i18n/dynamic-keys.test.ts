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
