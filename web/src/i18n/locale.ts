export const LOCALES = ['en', 'it'] as const
export type Locale = (typeof LOCALES)[number]

export const LOCALE_STORAGE_KEY = 'sb.locale'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/**
 * The locale to start with: the one chosen before (stored), else Italian when
 * the browser's preferred language is Italian, else English.
 */
export function detectLocale(stored: string | null, browserLanguages: readonly string[]): Locale {
  if (isLocale(stored)) return stored
  const preferred = (browserLanguages[0] ?? '').toLowerCase()
  return preferred === 'it' || preferred.startsWith('it-') ? 'it' : 'en'
}
