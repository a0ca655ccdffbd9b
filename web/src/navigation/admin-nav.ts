import type { NavSection } from './nav'

// The admin console's side navigation and its pages. A new page is one more
// entry here; the routes are built from this list. Users (supervisors) see
// an entry when their profile grants its right; admins see everything. Users
// and user profiles stay with admins, so that no one grants himself rights.
export const adminNav: NavSection[] = [
  {
    label: 'nav.staff',
    items: [
      {
        name: 'admin-agents',
        path: 'agents',
        label: 'nav.agents',
        icon: 'pi pi-headphones',
        component: () => import('../views/admin/AgentsView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'staff', right: 'view' },
        details: [
          {
            name: 'admin-agent',
            path: 'agents/:id(\\d+)',
            title: 'agents.editTitle',
            component: () => import('../views/admin/AgentEditView.vue'),
            right: { section: 'staff', right: 'read' },
          },
        ],
      },
      {
        name: 'admin-teams',
        path: 'teams',
        label: 'nav.teams',
        icon: 'pi pi-sitemap',
        component: () => import('../views/admin/TeamsView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'staff', right: 'view' },
        details: [
          {
            name: 'admin-team',
            path: 'teams/:id(\\d+)',
            title: 'teams.editTitle',
            component: () => import('../views/admin/TeamEditView.vue'),
            right: { section: 'staff', right: 'read' },
          },
        ],
      },
      {
        name: 'admin-agent-profiles',
        path: 'agent-profiles',
        label: 'nav.agentProfiles',
        icon: 'pi pi-objects-column',
        component: () => import('../views/admin/AgentProfilesView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'agent_profiles', right: 'view' },
        details: [
          {
            name: 'admin-agent-profile',
            path: 'agent-profiles/:id(\\d+)',
            title: 'agentProfiles.editTitle',
            component: () => import('../views/admin/AgentProfileEditView.vue'),
            right: { section: 'agent_profiles', right: 'read' },
          },
        ],
      },
      {
        name: 'admin-users',
        path: 'users',
        label: 'nav.users',
        icon: 'pi pi-users',
        component: () => import('../views/admin/UsersView.vue'),
        kinds: ['admin'],
        details: [
          {
            name: 'admin-user',
            path: 'users/:id(\\d+)',
            title: 'users.editTitle',
            component: () => import('../views/admin/UserEditView.vue'),
          },
        ],
      },
      {
        name: 'admin-user-profiles',
        path: 'user-profiles',
        label: 'nav.userProfiles',
        icon: 'pi pi-id-card',
        component: () => import('../views/admin/UserProfilesView.vue'),
        kinds: ['admin'],
        details: [
          {
            name: 'admin-user-profile',
            path: 'user-profiles/:id(\\d+)',
            title: 'userProfiles.editTitle',
            component: () => import('../views/admin/UserProfileEditView.vue'),
          },
        ],
      },
      {
        name: 'admin-deleted-members',
        path: 'deleted-members',
        label: 'nav.deletedMembers',
        icon: 'pi pi-trash',
        component: () => import('../views/admin/DeletedMembersView.vue'),
        // Restoring and purging is part of the delete right.
        kinds: ['admin', 'user'],
        right: { section: 'staff', right: 'delete' },
      },
    ],
  },
  {
    label: 'nav.contactCenter',
    items: [
      {
        name: 'admin-realtime',
        path: 'realtime',
        label: 'nav.realtime',
        icon: 'pi pi-chart-bar',
        component: () => import('../views/admin/RealtimeView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'realtime', right: 'view' },
      },
      {
        // Every channel's interactions, and the spy view of one: reading
        // conversations live takes the realtime read right.
        name: 'admin-interactions',
        path: 'interactions',
        label: 'nav.interactions',
        icon: 'pi pi-inbox',
        component: () => import('../views/admin/InteractionsView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'realtime', right: 'read' },
        details: [
          {
            name: 'admin-interaction',
            path: 'interactions/:id(\\d+)',
            title: 'interactionList.spyTitle',
            component: () => import('../views/admin/InteractionSpyView.vue'),
          },
        ],
      },
      {
        name: 'admin-queues',
        path: 'queues',
        label: 'nav.queues',
        icon: 'pi pi-list',
        component: () => import('../views/admin/QueuesView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'queues', right: 'view' },
        details: [
          {
            name: 'admin-queue',
            path: 'queues/:id(\\d+)',
            title: 'queues.editTitle',
            component: () => import('../views/admin/QueueEditView.vue'),
            right: { section: 'queues', right: 'read' },
          },
        ],
      },
      {
        name: 'admin-websites',
        path: 'websites',
        label: 'nav.websites',
        icon: 'pi pi-globe',
        component: () => import('../views/admin/WebsitesView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'channels', right: 'view' },
        details: [
          {
            name: 'admin-website',
            path: 'websites/:id(\\d+)',
            title: 'websites.editTitle',
            component: () => import('../views/admin/WebsiteEditView.vue'),
            right: { section: 'channels', right: 'read' },
          },
        ],
      },
      {
        name: 'admin-whatsapp-accounts',
        path: 'whatsapp',
        label: 'nav.whatsappAccounts',
        icon: 'pi pi-whatsapp',
        component: () => import('../views/admin/WhatsAppAccountsView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'channels', right: 'view' },
        details: [
          {
            name: 'admin-whatsapp-account',
            path: 'whatsapp/:id(\\d+)',
            title: 'whatsappAccounts.editTitle',
            component: () => import('../views/admin/WhatsAppAccountEditView.vue'),
            right: { section: 'channels', right: 'read' },
          },
          {
            name: 'admin-whatsapp-account-new',
            path: 'whatsapp/new',
            title: 'whatsappAccounts.newTitle',
            component: () => import('../views/admin/WhatsAppAccountEditView.vue'),
            right: { section: 'channels', right: 'edit' },
            props: { id: null },
          },
        ],
      },
    ],
  },
  {
    // The Contact Manager: contacts in lists (lists and imports have their own pages here).
    label: 'nav.contactManager',
    items: [
      {
        name: 'admin-contacts',
        path: 'contacts',
        label: 'nav.contacts',
        icon: 'pi pi-address-book',
        component: () => import('../views/admin/ContactsView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'contacts', right: 'view' },
        details: [
          {
            name: 'admin-contact',
            path: 'contacts/:id(\\d+)',
            title: 'contacts.pageTitle',
            component: () => import('../views/admin/ContactView.vue'),
            right: { section: 'contacts', right: 'read' },
          },
          {
            name: 'admin-contact-new',
            path: 'contacts/new',
            title: 'contacts.newTitle',
            component: () => import('../views/admin/ContactView.vue'),
            right: { section: 'contacts', right: 'edit' },
            props: { id: null },
          },
        ],
      },
      {
        name: 'admin-lists',
        path: 'lists',
        label: 'nav.contactLists',
        icon: 'pi pi-folder',
        component: () => import('../views/admin/ContactListsView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'contacts', right: 'view' },
        details: [
          {
            name: 'admin-list',
            path: 'lists/:id(\\d+)',
            title: 'contactLists.editTitle',
            component: () => import('../views/admin/ContactListEditView.vue'),
            right: { section: 'contacts', right: 'read' },
          },
        ],
      },
      {
        // Importing takes the edit right (POST /contact-imports): agents, who
        // hold no console rights, cannot import, so the page is the console's only.
        name: 'admin-contact-import',
        path: 'contacts/import',
        label: 'nav.contactImport',
        icon: 'pi pi-upload',
        component: () => import('../views/admin/ContactImportView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'contacts', right: 'edit' },
        details: [
          {
            name: 'admin-contact-import-job',
            path: 'contact-imports/:id(\\d+)',
            title: 'contactImport.jobPageTitle',
            component: () => import('../views/admin/ContactImportView.vue'),
          },
        ],
      },
    ],
  },
  {
    label: 'nav.settings',
    items: [
      {
        name: 'admin-pause-reasons',
        path: 'settings/pause-reasons',
        label: 'nav.pauseReasons',
        icon: 'pi pi-pause-circle',
        component: () => import('../views/admin/PauseReasonsView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'settings', right: 'view' },
      },
      {
        name: 'admin-tags',
        path: 'settings/tags',
        label: 'nav.tags',
        icon: 'pi pi-tags',
        component: () => import('../views/admin/TagsView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'settings', right: 'view' },
      },
      {
        name: 'admin-dispositions',
        path: 'settings/dispositions',
        label: 'nav.dispositions',
        icon: 'pi pi-flag',
        component: () => import('../views/admin/DispositionsView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'settings', right: 'view' },
      },
      {
        name: 'admin-canned-answers',
        path: 'settings/canned-answers',
        label: 'nav.cannedAnswers',
        icon: 'pi pi-comments',
        component: () => import('../views/admin/CannedAnswersView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'settings', right: 'view' },
      },
      {
        name: 'admin-sub-statuses',
        path: 'settings/sub-statuses',
        label: 'nav.subStatuses',
        icon: 'pi pi-list-check',
        component: () => import('../views/admin/SubStatusesView.vue'),
        kinds: ['admin', 'user'],
        right: { section: 'settings', right: 'view' },
      },
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
