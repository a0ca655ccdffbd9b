import type { PrimeVueConfiguration } from 'primevue/config'
import type { Composer } from 'vue-i18n'

type Translate = Composer['t']

/** Gives PrimeVue's built-in texts (mostly screen-reader labels) the app's language. */
export function applyPrimeVueLocale(config: PrimeVueConfiguration, t: Translate): void {
  const locale = config.locale
  if (!locale) return
  locale.accept = t('common.yes')
  locale.reject = t('common.no')
  locale.cancel = t('common.cancel')
  locale.emptyMessage = t('common.noOptions')
  locale.emptySearchMessage = t('common.noResults')
  locale.aria = {
    ...locale.aria,
    close: t('common.close'),
    previous: t('pager.previous'),
    next: t('pager.next'),
    navigation: t('pager.navigation'),
    pageLabel: t('pager.page', { page: '{page}' }),
    firstPageLabel: t('pager.first'),
    lastPageLabel: t('pager.last'),
    nextPageLabel: t('pager.next'),
    prevPageLabel: t('pager.previous'),
    rowsPerPageLabel: t('pager.rowsPerPage'),
  }
}
