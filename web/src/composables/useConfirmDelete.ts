import { useI18n } from 'vue-i18n'
import { useAsk } from './useAsk'

/**
 * The "Delete …?" question every admin page asks before deleting: a danger
 * "Delete" button and a "Cancel" one. Resolves true only when accepted.
 */
export function useConfirmDelete() {
  const ask = useAsk()
  const { t } = useI18n()
  return (header: string, message: string): Promise<boolean> =>
    ask({ header, message, accept: t('common.delete'), cancel: t('common.cancel'), danger: true })
}
