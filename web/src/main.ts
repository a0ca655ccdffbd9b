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
import { meApi } from './api/staff'
import { CLIENT_LOG_PATH, clientLog, describeError, setClientLogSink } from './clientlog'
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
  onError: (error, method, path) => {
    if (path === CLIENT_LOG_PATH) return // never log the log's own failures
    clientLog.error(`api: ${method} ${path} failed: ${error.status} ${error.code}: ${error.message}`)
  },
  onResponse: (method, path, status, ms) => {
    if (path !== CLIENT_LOG_PATH) clientLog.debug(`api: ${method} ${path} ${status} in ${ms} ms`)
  },
})

// The client log (off until an administrator switches it on for this agent):
// errors, warnings, navigation and API traffic, sent to the server in batches.
setClientLogSink((lines) => meApi.sendClientLogs(lines))
app.config.errorHandler = (err, _instance, info) => {
  clientLog.error(`app: ${describeError(err)} (${info})`)
  console.error(err)
}
window.addEventListener('error', (event) => clientLog.error(`window: ${event.message} at ${event.filename}:${event.lineno}`))
window.addEventListener('unhandledrejection', (event) => clientLog.error(`promise: ${describeError(event.reason)}`))
window.addEventListener('pagehide', () => void clientLog.flush())
router.afterEach((to, from, failure) => {
  if (failure) clientLog.warn(`navigation: ${from.fullPath} → ${to.fullPath} failed: ${describeError(failure)}`)
  else clientLog.info(`navigation: ${from.fullPath} → ${to.fullPath}`)
})

app.use(router)
app.mount('#app')
