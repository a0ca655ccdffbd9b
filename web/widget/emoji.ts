// A small built-in palette of common emoji: the widget stays tiny, so no
// picker library; the customer's keyboard has the rest.
export const EMOJI = [
  '😀', '😂', '😊', '😍', '😉', '😎', '🙂', '🤔',
  '😅', '😮', '🙁', '😢', '😡', '🙏', '👍', '👎',
  '👋', '👌', '👏', '🎉', '❤️', '🔥', '✅', '❌',
] as const

/**
 * The text with an emoji put in place of the selection, and where the caret
 * goes after it.
 */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, text.length))
  const to = Math.max(from, Math.min(end, text.length))
  return { text: text.slice(0, from) + insert + text.slice(to), caret: from + insert.length }
}
