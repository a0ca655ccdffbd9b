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
  {
    // The Contact Manager: the lists the agent was given, and his own contacts.
    label: 'nav.contactManager',
    items: [
      {
        name: 'desktop-contacts',
        path: 'contacts',
        label: 'nav.contacts',
        icon: 'pi pi-address-book',
        component: () => import('../views/desktop/ContactsView.vue'),
        sidebar: 'contacts',
        details: [
          {
            name: 'desktop-contact',
            path: 'contacts/:id(\\d+)',
            title: 'contacts.pageTitle',
            component: () => import('../views/desktop/ContactView.vue'),
          },
          {
            name: 'desktop-contact-new',
            path: 'contacts/new',
            title: 'contacts.newTitle',
            component: () => import('../views/desktop/ContactView.vue'),
            props: { id: null },
          },
        ],
      },
      {
        name: 'desktop-my-contacts',
        path: 'my-contacts',
        label: 'nav.myContacts',
        icon: 'pi pi-user',
        component: () => import('../views/desktop/MyContactsView.vue'),
        sidebar: 'my_contacts',
      },
    ],
  },
]
