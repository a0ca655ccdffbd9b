import { describe, expect, it } from 'vitest'
import type { ListField } from '../api/contactLists'
import { guessTargets, mappingProblems, mappingSendable, previewText } from './mapping'

const field = (key: string, label: string, required = false): ListField => ({
  id: key.length,
  list_id: 1,
  key,
  label,
  type: 'text',
  required,
  options: [],
  position: 0,
})

describe('CSV preview', () => {
  it('reads quoted values, separators and line breaks inside quotes, and guesses the separator', () => {
    const p = previewText('\ufeffName;Surname;"Notes; more"\r\n"Anna";"Bi;anchi";"line one\nline two"\r\nLuca;Verdi;\r\n')
    expect(p.delimiter).toBe(';')
    expect(p.header).toEqual(['Name', 'Surname', 'Notes; more'])
    expect(p.rows).toEqual([
      ['Anna', 'Bi;anchi', 'line one\nline two'],
      ['Luca', 'Verdi', ''],
    ])
  })

  it('shows the header and five rows only, and names a tab as the server does', () => {
    const lines = ['a\tb', ...Array.from({ length: 20 }, (_, n) => `${n}\tx`)]
    const p = previewText(lines.join('\n'))
    expect(p.delimiter).toBe('tab')
    expect(p.rows).toHaveLength(5)
    expect(p.rows[4]).toEqual(['4', 'x'])
  })
})

describe('guessing the mapping', () => {
  it('maps standard names, aliases in English and Italian, and custom keys or labels, each field once', () => {
    const fields = [field('birthday', 'Date of birth'), field('tier', 'Customer tier')]
    const header = ['First Name', 'cognome', 'Telephone', 'E-mail', 'Date of birth', 'tier', 'Phone', 'whatever']
    expect(guessTargets(header, fields)).toEqual(['first_name', 'last_name', 'phone', 'email', 'birthday', 'tier', '', ''])
  })

  it('maps a column of tags (Tags, Tag, Etichette) to the tags target', () => {
    expect(guessTargets(['Nome', 'Tags'], [])).toEqual(['first_name', 'tags'])
    expect(guessTargets(['Etichette', 'Tag'], [])).toEqual(['tags', ''])
    expect(mappingSendable(mappingProblems(['', 'tags'], []))).toBe(true)
  })
})

describe('mapping problems', () => {
  const fields = [field('tier', 'Tier', true), field('notes', 'Notes')]

  it('refuses a mapping with nothing mapped or a field twice, and warns of an unmapped required field', () => {
    expect(mappingSendable(mappingProblems(['', ''], fields))).toBe(false)
    const twice = mappingProblems(['phone', 'email', 'phone'], fields)
    expect(twice.twice).toEqual([2])
    expect(mappingSendable(twice)).toBe(false)
    const missing = mappingProblems(['phone', ''], fields)
    expect(missing.missingRequired.map((f) => f.key)).toEqual(['tier'])
    expect(mappingSendable(missing)).toBe(true)
    expect(mappingProblems(['phone', 'tier'], fields).missingRequired).toEqual([])
  })
})
