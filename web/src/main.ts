import { createApp } from 'vue'
import { createPinia } from 'pinia'
import PrimeVue from 'primevue/config'
import ToastService from 'primevue/toastservice'
import ConfirmationService from 'primevue/confirmationservice'
import Tooltip from 'primevue/tooltip'
import 'primeicons/primeicons.css'
import './styles/main.css'

import App from './App.vue'
import { configureApi } from './api/api'
import { currentLocale, i18n } from './i18n'
import { router } from './router'
import { useAuthStore } from './stores/auth'
import { switchboardTheme } from './theme'

const app = createApp(App)
const pinia = createPinia()

app.use(pinia)
app.use(i18n)
app.use(PrimeVue, { theme: switchboardTheme })
app.use(ToastService)
app.use(ConfirmationService)
app.directive('tooltip', Tooltip)

const auth = useAuthStore(pinia)
const { t } = i18n.global

configureApi({
  locale: currentLocale,
  csrfToken: () => auth.csrfToken,
  onUnauthorized: () => {
    const current = router.currentRoute.value
    auth.clear()
    if (!current.meta.public) router.push({ name: 'login', query: { redirect: current.fullPath } })
  },
  onPasswordChangeRequired: () => {
    auth.markPasswordChangeRequired()
    router.push({ name: 'change-password', query: { forced: '1' } })
  },
  fallbackMessage: (code) => (code === 'network' ? t('errors.network') : t('errors.internal')),
})

app.use(router)
app.mount('#app')
