import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'

/**
 * A new password typed twice. The mismatch message appears once the person
 * has tried to submit (confirmed() was called), and goes as soon as they match.
 */
export function useNewPassword() {
  const { t } = useI18n()
  const password = ref('')
  const confirm = ref('')
  const tried = ref(false)

  const confirmError = computed(() =>
    tried.value && password.value !== confirm.value ? t('password.mismatch') : undefined,
  )

  function confirmed(): boolean {
    tried.value = true
    return password.value === confirm.value
  }

  return { password, confirm, confirmError, confirmed }
}
