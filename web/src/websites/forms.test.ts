import { describe, expect, it } from 'vitest'
import type { WebsiteFormField } from '../api/types'
import {
  changedParts,
  checkFormFields,
  checkOrigins,
  errorsToRows,
  moveItem,
  normalizeOrigin,
  rowPath,
  suggestFieldName,
  tidyField,
  unplacedErrors,
} from './forms'

const field = (over: Partial<WebsiteFormField>): WebsiteFormField => ({ name: 'name', label: 'Name', type: 'text', required: false, options: [], ...over })

describe('form field checks', () => {
  it('accepts a good form', () => {
    expect(checkFormFields('online_form', [field({}), field({ name: 'topic', label: 'Topic', type: 'select', options: ['Sales', 'Support'] })])).toEqual({})
  })

  it('wants a name of a-z, 0-9 and _, unique in the form', () => {
    const problems = checkFormFields('online_form', [
      field({ name: ' ' }),
      field({ name: 'E-mail' }),
      field({ name: 'email' }),
      field({ name: ' email ' }),
    ])
    expect(problems).toEqual({
      'online_form.0.name': 'nameRequired',
      'online_form.1.name': 'nameInvalid',
      'online_form.3.name': 'nameTaken',
    })
  })

  it('wants a label, and options for a select, without repeats', () => {
    expect(
      checkFormFields('offline_form', [
        field({ label: '  ' }),
        field({ name: 'a', type: 'select', options: [' ', ''] }),
        field({ name: 'b', type: 'select', options: ['Yes', 'yes'] }),
      ]),
    ).toEqual({
      'offline_form.0.label': 'labelRequired',
      'offline_form.1.options': 'optionsRequired',
      'offline_form.2.options': 'optionDuplicate',
    })
  })

  it('ignores the options of other types and trims what is sent', () => {
    expect(checkFormFields('f', [field({ type: 'text', options: ['x', 'x'] })])).toEqual({})
    expect(tidyField(field({ name: ' a ', label: ' A ', type: 'email', options: ['x'] }))).toEqual(field({ name: 'a', label: 'A', type: 'email' }))
    expect(tidyField(field({ type: 'select', options: [' x ', ' '] })).options).toEqual(['x'])
  })

  it('suggests a name from a label', () => {
    expect(suggestFieldName('E-mail address')).toBe('e_mail_address')
    expect(suggestFieldName('  Città di nascita? ')).toBe('citta_di_nascita')
    expect(suggestFieldName('!!!')).toBe('')
  })
})

describe('origins', () => {
  it('normalises what was typed', () => {
    expect(normalizeOrigin('https://WWW.Example.com/')).toEqual({ origin: 'https://www.example.com' })
    expect(normalizeOrigin(' www.example.com ')).toEqual({ origin: 'https://www.example.com' })
    expect(normalizeOrigin('http://localhost:3000')).toEqual({ origin: 'http://localhost:3000' })
    expect(normalizeOrigin('localhost:3000')).toEqual({ origin: 'https://localhost:3000' })
    expect(normalizeOrigin('https://shop.example.com:443')).toEqual({ origin: 'https://shop.example.com' })
  })

  it('refuses what is no web origin', () => {
    expect(normalizeOrigin('')).toEqual({ problem: 'originRequired' })
    expect(normalizeOrigin('ftp://example.com')).toEqual({ problem: 'originScheme' })
    expect(normalizeOrigin('javascript:alert(1)')).toEqual({ problem: 'originScheme' })
    expect(normalizeOrigin('https://example.com/shop')).toEqual({ problem: 'originPath' })
    expect(normalizeOrigin('https://example.com/?a=1')).toEqual({ problem: 'originPath' })
    expect(normalizeOrigin('https://exa mple.com')).toEqual({ problem: 'originInvalid' })
    expect(normalizeOrigin('https://user:pw@example.com')).toEqual({ problem: 'originInvalid' })
  })

  it('drops blank rows, flags repeats by row', () => {
    expect(checkOrigins('allowed_origins', ['example.com', '', 'https://example.com/', 'ftp://x'])).toEqual({
      origins: ['https://example.com'],
      problems: { 'allowed_origins.2': 'originDuplicate', 'allowed_origins.3': 'originScheme' },
    })
  })
})

describe('errors on rows', () => {
  it('moves index paths to the rows’ keys', () => {
    const errors = {
      name: 'Taken.',
      'online_form.2.name': 'Bad name.',
      'online_form.0': 'Bad field.',
      'online_form.2.options.1': 'Too long.',
      'online_form.2.options.0': 'Empty.',
      'online_form.9.label': 'No such row.',
      online_form: 'Too many fields.',
      'offline_form.0.name': 'Other form.',
    }
    expect(errorsToRows(errors, 'online_form', [11, 12, 13])).toEqual({
      name: 'Taken.',
      [rowPath('online_form', 13, 'name')]: 'Bad name.',
      [rowPath('online_form', 11)]: 'Bad field.',
      [rowPath('online_form', 13, 'options')]: 'Too long. Empty.',
      'online_form.9.label': 'No such row.',
      online_form: 'Too many fields.',
      'offline_form.0.name': 'Other form.',
    })
    expect(errorsToRows({ 'allowed_origins.1': 'Not an origin.' }, 'allowed_origins', ['a', 'b'])).toEqual({ 'allowed_origins#b': 'Not an origin.' })
  })

  it('does not take a longer prefix for the form', () => {
    expect(errorsToRows({ 'online_form_x.0.name': 'x' }, 'online_form', [1])).toEqual({ 'online_form_x.0.name': 'x' })
  })

  it('lists what no field shows', () => {
    expect(unplacedErrors({ a: 'A', b: 'B' }, (p) => p === 'a')).toEqual(['B'])
  })
})

describe('moveItem and changedParts', () => {
  it('moves within bounds only', () => {
    expect(moveItem([1, 2, 3], 0, 2)).toEqual([2, 3, 1])
    expect(moveItem([1, 2, 3], 2, 1)).toEqual([1, 3, 2])
    expect(moveItem([1, 2, 3], 0, -1)).toEqual([1, 2, 3])
  })

  it('keeps only what changed', () => {
    expect(changedParts({ a: 1, b: [1, 2], c: { x: 1 } }, { a: 1, b: [2, 1], c: { x: 1 } })).toEqual({ b: [2, 1] })
    expect(changedParts({ a: 1 }, { a: 1 })).toEqual({})
  })
})
