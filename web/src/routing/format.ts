type Translate = (key: string, values: Record<string, unknown>) => string

const UNITS: [key: string, seconds: number][] = [
  ['duration.days', 86_400],
  ['duration.hours', 3_600],
  ['duration.minutes', 60],
  ['duration.seconds', 1],
]

/**
 * A number of seconds in its two largest units, e.g. 90 → "1 min 30 s",
 * 86400 → "1 d", 0 → "0 s"; parts below one second are dropped.
 */
export function formatDuration(seconds: number, t: Translate): string {
  let rest = Math.max(0, Math.round(seconds))
  if (rest === 0) return t('duration.seconds', { n: 0 })
  const parts: string[] = []
  for (const [key, size] of UNITS) {
    const n = Math.floor(rest / size)
    if (n > 0 && parts.length < 2) {
      parts.push(t(key, { n }))
      rest -= n * size
    } else if (parts.length) {
      break // "1 h 5 s" would mislead; stop at the first gap
    }
  }
  return parts.join(' ')
}
