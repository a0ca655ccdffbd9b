import type { PasswordRules } from '../api/types'

export type PasswordRuleName = 'min_length' | 'lowercase' | 'uppercase' | 'digit' | 'special'

/** The rules that apply under these settings, in the order they are shown. */
export function activeRules(rules: PasswordRules): PasswordRuleName[] {
  const active: PasswordRuleName[] = []
  if (rules.min_length > 0) active.push('min_length')
  if (rules.lowercase) active.push('lowercase')
  if (rules.uppercase) active.push('uppercase')
  if (rules.digit) active.push('digit')
  if (rules.special) active.push('special')
  return active
}

function satisfies(password: string, rule: PasswordRuleName, rules: PasswordRules): boolean {
  const chars = Array.from(password) // code points, so "è" counts as one
  switch (rule) {
    case 'min_length':
      return chars.length >= rules.min_length
    case 'lowercase':
      return /\p{Ll}/u.test(password)
    case 'uppercase':
      return /\p{Lu}/u.test(password)
    case 'digit':
      return /\p{Nd}/u.test(password)
    case 'special':
      return chars.some((c) => rules.special.includes(c))
  }
}

/**
 * The rules the password breaks, empty when it is acceptable. This is the
 * live hint shown while typing; the server has the final word.
 */
export function checkPassword(password: string, rules: PasswordRules | null): PasswordRuleName[] {
  if (!rules) return []
  return activeRules(rules).filter((rule) => !satisfies(password, rule, rules))
}
