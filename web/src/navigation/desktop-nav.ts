import { CHANNEL_LISTS } from '../interactions/channels'
import { channelIcon } from '../staff/channels'
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
  {
    // One interaction list per messaging channel, all the same page.
    label: 'nav.channels',
    items: CHANNEL_LISTS.map((list) => ({
      name: list.name,
      path: list.path,
      label: `channels.${list.channel}`,
      icon: channelIcon(list.channel),
      component: () => import('../views/desktop/ChannelInteractionsView.vue'),
      props: { channel: list.channel },
      sidebar: list.sidebar,
    })),
  },
]
