import type { NavSection } from './nav'

// The admin console's side navigation and its pages. A new page is one more
// entry here; the routes are built from this list.
export const adminNav: NavSection[] = [
  {
    label: 'nav.staff',
    items: [
      {
        name: 'admin-agents',
        path: 'agents',
        label: 'nav.agents',
        icon: 'pi pi-headphones',
        component: () => import('../views/admin/StaffAccountsView.vue'),
        props: { kind: 'agent' },
        kinds: ['admin'],
      },
      {
        name: 'admin-users',
        path: 'users',
        label: 'nav.users',
        icon: 'pi pi-users',
        component: () => import('../views/admin/StaffAccountsView.vue'),
        props: { kind: 'user' },
        kinds: ['admin'],
      },
    ],
  },
  {
    label: 'nav.settings',
    items: [
      {
        name: 'admin-security',
        path: 'settings/security',
        label: 'nav.security',
        icon: 'pi pi-shield',
        component: () => import('../views/admin/SecuritySettingsView.vue'),
        kinds: ['admin'],
      },
      {
        name: 'admin-api-tokens',
        path: 'settings/api-tokens',
        label: 'nav.apiTokens',
        icon: 'pi pi-key',
        component: () => import('../views/admin/ApiTokensView.vue'),
        kinds: ['admin'],
      },
    ],
  },
]
