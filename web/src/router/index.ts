import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router'
import type { PrincipalKind } from '../api/types'
import { adminNav } from '../navigation/admin-nav'
import { desktopNav } from '../navigation/desktop-nav'
import { allows, navRoutes, visibleSections } from '../navigation/nav'
import type { RightRef } from '../staff/rights'
import { homePath, useAuthStore } from '../stores/auth'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title. */
    title?: string
    /** Reachable without a session. */
    public?: boolean
    /** Only for visitors without a session (sign-in); others go home. */
    guestOnly?: boolean
    /** Principal kinds allowed; checked on every matched record. */
    kinds?: PrincipalKind[]
    /** Console rights a user needs (admins hold them all). */
    rights?: RightRef[]
    /** The navigation entry to highlight (the page's own, or the one it was opened from). */
    nav?: string
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    // Sends each principal to its own area; see the guard below.
    { path: '/', name: 'home', component: { render: () => null } },
    {
      path: '/login',
      name: 'login',
      component: () => import('../views/LoginView.vue'),
      meta: { public: true, guestOnly: true, title: 'login.title' },
    },
    {
      path: '/forgot-password',
      name: 'forgot-password',
      component: () => import('../views/ForgotPasswordView.vue'),
      meta: { public: true, title: 'forgotPassword.title' },
    },
    {
      path: '/reset-password',
      name: 'reset-password',
      component: () => import('../views/ResetPasswordView.vue'),
      meta: { public: true, title: 'resetPassword.title' },
    },
    {
      path: '/change-password',
      name: 'change-password',
      component: () => import('../views/ChangePasswordView.vue'),
      meta: { title: 'changePassword.title' },
    },
    {
      path: '/admin',
      component: () => import('../layouts/AdminLayout.vue'),
      meta: { kinds: ['admin', 'user'] },
      children: [
        { path: '', name: 'admin', component: () => import('../views/admin/AdminHomeView.vue'), meta: { title: 'nav.console' } },
        ...navRoutes(adminNav),
      ],
    },
    {
      path: '/desktop',
      component: () => import('../layouts/DesktopLayout.vue'),
      meta: { kinds: ['agent'] },
      children: [
        ...navRoutes(desktopNav),
        // An interaction's tab: not a sidebar page (every agent may open his interactions).
        {
          path: 'interactions/:id(\\d+)',
          name: 'desktop-interaction',
          component: () => import('../views/desktop/InteractionView.vue'),
          props: (route) => ({ id: Number(route.params.id) }),
          meta: { title: 'conversation.title' },
        },
      ],
    },
    {
      path: '/:pathMatch(.*)*',
      name: 'not-found',
      component: () => import('../views/NotFoundView.vue'),
      meta: { public: true, title: 'notFound.title' },
    },
  ],
})

/** A redirect target from the query, if it is a path inside this app. */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return null
  return value
}

router.beforeEach(async (to): Promise<boolean | RouteLocationRaw> => {
  const auth = useAuthStore()
  await auth.restore()
  const principal = auth.principal

  if (!principal) {
    if (to.meta.public) return true
    return to.name === 'home' ? { name: 'login' } : { name: 'login', query: { redirect: to.fullPath } }
  }

  if (auth.session?.password_change_required && to.name !== 'change-password') {
    return { name: 'change-password', query: { forced: '1' } }
  }
  if (to.name === 'home' || to.meta.guestOnly) return homePath(principal.kind)
  const access = auth.access!
  if (!to.matched.every((record) => allows(access, record.meta.kinds, undefined))) {
    // A page of the other area, or one this kind may not open: its own home.
    return homePath(principal.kind)
  }
  if (!to.matched.every((record) => (record.meta.rights ?? []).every((right) => allows(access, undefined, right)))) {
    // A page this user's profile does not grant: the console's first page.
    return to.name === 'admin' ? true : { name: 'admin' }
  }
  if (to.name === 'admin') {
    // The console opens on its first page this principal may see.
    const first = visibleSections(adminNav, access)[0]?.items[0]
    if (first) return { name: first.name }
  }
  return true
})
