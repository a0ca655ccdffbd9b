import { describe, expect, it } from 'vitest'
import type { WhatsAppTemplate } from '../api/whatsapp'
import { countParameters, resizeSamples, syncSummary } from './templates'

describe('countParameters', () => {
  it.each([
    ['no parameters here', 0, null],
    ['Hello {{1}}, your order {{2}} ships today', 2, null],
    ['{{1}} and {{1}} again, then {{ 2 }}', 2, null],
    ['{{2}} only', 0, 1],
    ['{{1}} and {{3}}', 0, 2],
    ['zero {{0}} is not a parameter number', 0, 0],
    ['{1} and {{a}} are plain text', 0, null],
  ])('%s', (body, count, missing) => {
    expect(countParameters(body)).toEqual({ count, missing })
  })
})

describe('the sample values', () => {
  it('keeps the typed samples when the count changes', () => {
    expect(resizeSamples(['a', 'b', 'c'], 2)).toEqual(['a', 'b'])
    expect(resizeSamples(['a'], 3)).toEqual(['a', '', ''])
  })
})

function template(id: number, status: WhatsAppTemplate['status'] = 'approved'): WhatsAppTemplate {
  return {
    id,
    account_id: 1,
    name: `t${id}`,
    language: 'en',
    category: 'UTILITY',
    body: 'x',
    parameter_count: 0,
    available_for_agents: false,
    status,
    provider_id: String(id),
    created_at: '',
    updated_at: '',
  }
}

describe('syncSummary', () => {
  it('counts the templates added, refreshed and disabled by a sync', () => {
    const before = [template(1), template(2), template(3, 'disabled'), template(4)]
    const after = [template(1), template(2, 'disabled'), template(3, 'disabled'), template(4), template(5), template(6)]
    // Meta listed 1, 4, 5 and 6: 5 and 6 are new, 1 and 4 refreshed, 2 gone.
    expect(syncSummary(before, after, 4)).toEqual({ added: 2, updated: 2, disabled: 1 })
  })

  it('a first sync adds everything', () => {
    expect(syncSummary([], [template(1), template(2)], 2)).toEqual({ added: 2, updated: 0, disabled: 0 })
  })
})
