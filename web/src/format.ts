/** Date and time in the user's language, e.g. "21 Nov 2026, 09:00". */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}

/** Elapsed time as hh:mm:ss; hours keep counting past 24. */
export function formatElapsed(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  return [hours, minutes, seconds].map((n) => String(n).padStart(2, '0')).join(':')
}

/** Up to two initials for an avatar, from the full name or else the username. */
export function initials(fullName: string, username: string): string {
  const firstLetter = (word: string) => Array.from(word)[0] ?? ''
  const words = fullName.trim().split(/\s+/).filter(Boolean)
  let letters: string
  if (words.length >= 2) letters = firstLetter(words[0]!) + firstLetter(words[words.length - 1]!)
  else if (words.length === 1) letters = firstLetter(words[0]!)
  else letters = Array.from(username).slice(0, 2).join('')
  return letters.toUpperCase()
}

/**
 * The first line of a text with something in it, for a one-line preview
 * (a canned answer's body in a list): trimmed, and cut to max characters
 * with an ellipsis. Empty when the text is blank.
 */
export function firstLine(text: string | null | undefined, max = 80): string {
  const line = (text ?? '').split(/\r\n|\r|\n/).map((l) => l.trim()).find(Boolean) ?? ''
  const chars = Array.from(line)
  if (chars.length <= max) return line
  return chars.slice(0, Math.max(1, max - 1)).join('').trimEnd() + '…'
}
