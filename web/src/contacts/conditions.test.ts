import { describe, expect, it } from 'vitest'
import type { ContactListAccess } from '../api/contacts'
import { completeCondition, conditionFields, operatorsFor, parseCondition } from './conditions'

const list = (id: number, fields: [string, string, string[]?][]): ContactListAccess => ({
  id,
  name: `List ${id}`,
  description: '',
  access: 'edit',
  fields: fields.map(([key, type, options], n) => ({
    id: id * 100 + n,
    list_id: id,
    key,
    label: key.toUpperCase(),
    type: type as 'text',
    required: false,
    options: options ?? [],
    position: n,
  })),
})

describe('advanced search conditions', () => {
  const lists = [list(1, [['tier', 'select', ['gold']], ['born', 'date']]), list(2, [['tier', 'select', ['silver']], ['born', 'number']])]

  it('offers the standard fields and the custom fields of the lists searched', () => {
    expect(conditionFields(lists, [1]).map((f) => f.key)).toEqual([
      'first_name', 'last_name', 'company', 'phone', 'mobile', 'fax', 'email', 'tier', 'born',
    ])
    expect(conditionFields(lists, [1]).find((f) => f.key === 'born')!.kind).toBe('date')
  })

  it('joins a select\'s options across lists and leaves out a key the lists type differently', () => {
    const fields = conditionFields(lists, [])
    expect(fields.find((f) => f.key === 'tier')!.options).toEqual(['gold', 'silver'])
    expect(fields.some((f) => f.key === 'born')).toBe(false)
  })

  it('gives each type the operators the server takes', () => {
    expect(operatorsFor('date')).toEqual(['equals', 'before', 'after', 'set', 'not_set'])
    expect(operatorsFor('number')).toContain('greater')
    expect(operatorsFor('checkbox')).not.toContain('contains')
    expect(operatorsFor('phone')).toContain('contains')
  })

  it('sends only complete conditions', () => {
    const fields = conditionFields(lists, [1])
    expect(completeCondition({ field: 'born', op: 'before', value: '2000-01-01' }, fields)).toBe(true)
    expect(completeCondition({ field: 'born', op: 'before', value: ' ' }, fields)).toBe(false)
    expect(completeCondition({ field: 'born', op: 'greater', value: '3' }, fields)).toBe(false)
    expect(completeCondition({ field: 'email', op: 'not_set' }, fields)).toBe(true)
    expect(completeCondition({ field: 'nothing', op: 'set' }, fields)).toBe(false)
  })

  it('reads conditions back from the URL, a value keeping its colons', () => {
    expect(parseCondition('note:contains:10:30')).toEqual({ field: 'note', op: 'contains', value: '10:30' })
    expect(parseCondition('email:set')).toEqual({ field: 'email', op: 'set' })
    expect(parseCondition('email:like:x')).toBeNull()
    expect(parseCondition('nonsense')).toBeNull()
  })
})
