import { describe, expect, it } from 'vitest'
import { activeRules, checkPassword } from './password-rules'
import type { PasswordRules } from '../api/types'

const rules: PasswordRules = {
  min_length: 8,
  lowercase: true,
  uppercase: true,
  digit: true,
  special: '~!@#$%^&-_=+[{]}',
}

describe('checkPassword', () => {
  it('accepts a password that keeps every rule', () => {
    expect(checkPassword('Secret#2026', rules)).toEqual([])
  })

  it('reports every broken rule of an empty password', () => {
    expect(checkPassword('', rules)).toEqual(['min_length', 'lowercase', 'uppercase', 'digit', 'special'])
  })

  it.each([
    ['Sh0rt#a', ['min_length']],
    ['SECRET#2026', ['lowercase']],
    ['secret#2026', ['uppercase']],
    ['Secret#word', ['digit']],
    ['Secret2026x', ['special']],
    ['Secret*2026', ['special']], // "*" is not in the allowed set
  ])('%s breaks %j', (password, broken) => {
    expect(checkPassword(password, rules)).toEqual(broken)
  })

  it('counts characters, not UTF-16 units', () => {
    const lengthOnly: PasswordRules = { min_length: 4, lowercase: false, uppercase: false, digit: false, special: '' }
    expect(checkPassword('😀😀', lengthOnly)).toEqual(['min_length'])
    expect(checkPassword('èèèè', lengthOnly)).toEqual([])
  })

  it('knows accented letters as lower and upper case', () => {
    expect(checkPassword('ÀÈ#2026àè', rules)).toEqual([])
  })

  it('checks only the rules that are switched on', () => {
    const lenient: PasswordRules = { min_length: 6, lowercase: false, uppercase: false, digit: true, special: '' }
    expect(activeRules(lenient)).toEqual(['min_length', 'digit'])
    expect(checkPassword('abcdef', lenient)).toEqual(['digit'])
    expect(checkPassword('abcde1', lenient)).toEqual([])
  })

  it('has nothing to check when the security suite is off', () => {
    expect(checkPassword('x', null)).toEqual([])
  })
})
