import type { NavSection } from './nav'

// The agent desktop's side navigation and its pages; add entries here. An
// entry's sidebar section must be among the agent's permissions.sidebar for
// the agent to see it.
export const desktopNav: NavSection[] = [
  {
    items: [
      {
        name: 'desktop-dashboard',
        path: '',
        label: 'nav.dashboard',
        icon: 'pi pi-home',
        component: () => import('../views/desktop/DashboardView.vue'),
        sidebar: 'dashboard',
      },
    ],
  },
]
