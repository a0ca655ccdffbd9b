import { createI18n } from 'vue-i18n'
import en from './locales/en.json'
import it from './locales/it.json'
import { detectLocale, LOCALE_STORAGE_KEY, type Locale } from './locale'

export type MessageSchema = typeof en

function storedLocale(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY)
  } catch {
    return null // storage disabled by the browser
  }
}

const initialLocale = detectLocale(storedLocale(), navigator.languages ?? [navigator.language])

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale,
  fallbackLocale: 'en',
  messages: { en, it },
})

document.documentElement.lang = initialLocale

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // The choice then lasts for this page only.
  }
}
