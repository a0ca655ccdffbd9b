import { describe, expect, it } from 'vitest'
import { adminNav } from './admin-nav'
import { desktopNav } from './desktop-nav'
import { canOpen, navRoutes, sidebarFilter, visibleSections, type Access, type NavSection } from './nav'
import en from '../i18n/locales/en.json'

const component = () => Promise.resolve({})

const sample: NavSection[] = [
  { label: 'a', items: [{ name: 'x', path: 'x', label: 'x', icon: '', component, kinds: ['admin'] }] },
  { label: 'b', items: [{ name: 'y', path: 'y', label: 'y', icon: '', component }] },
]

const admin: Access = { kind: 'admin', rights: {} }
const userWith = (rights: Access['rights']): Access => ({ kind: 'user', rights })

function hasKey(key: string): boolean {
  let node: unknown = en
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string'
}

const names = (sections: NavSection[]) => sections.flatMap((s) => s.items.map((i) => i.name))

describe('navigation', () => {
  it('hides entries a principal may not open, and then empty sections', () => {
    expect(visibleSections(sample, admin).map((s) => s.label)).toEqual(['a', 'b'])
    expect(visibleSections(sample, userWith({})).map((s) => s.label)).toEqual(['b'])
  })

  it('makes one route per entry, titled by its label, and one per detail page', () => {
    const routes = navRoutes(sample)
    expect(routes.map((r) => r.name)).toEqual(['x', 'y'])
    expect(routes[0]!.meta).toEqual({ title: 'x', kinds: ['admin'], rights: undefined, nav: 'x' })

    const agentRoutes = navRoutes(adminNav).filter((r) => ['admin-agents', 'admin-agent'].includes(String(r.name)))
    expect(agentRoutes.map((r) => [r.name, r.path])).toEqual([
      ['admin-agents', 'agents'],
      ['admin-agent', 'agents/:id(\\d+)'],
    ])
    // The edit page keeps the list highlighted and needs read on top of view.
    expect(agentRoutes[1]!.meta).toMatchObject({
      nav: 'admin-agents',
      kinds: ['admin', 'user'],
      rights: [
        { section: 'staff', right: 'view' },
        { section: 'staff', right: 'read' },
      ],
    })
  })

  it('labels every entry and page with an existing text', () => {
    for (const section of [...adminNav, ...desktopNav]) {
      if (section.label) expect(hasKey(section.label), section.label).toBe(true)
      for (const item of section.items) {
        expect(hasKey(item.label), item.label).toBe(true)
        for (const detail of item.details ?? []) expect(hasKey(detail.title), detail.title).toBe(true)
      }
    }
  })
})

describe('console navigation by rights', () => {
  it('shows an administrator every page', () => {
    expect(names(visibleSections(adminNav, admin))).toEqual([
      'admin-agents',
      'admin-teams',
      'admin-agent-profiles',
      'admin-users',
      'admin-user-profiles',
      'admin-deleted-members',
      'admin-realtime',
      'admin-interactions',
      'admin-queues',
      'admin-websites',
      'admin-whatsapp-accounts',
      'admin-contacts',
      'admin-lists',
      'admin-contact-import',
      'admin-pause-reasons',
      'admin-tags',
      'admin-dispositions',
      'admin-canned-answers',
      'admin-sub-statuses',
      'admin-security',
      'admin-api-tokens',
    ])
  })

  it('shows a user with staff view only Agents and Teams', () => {
    expect(names(visibleSections(adminNav, userWith({ staff: ['view'] })))).toEqual(['admin-agents', 'admin-teams'])
  })

  it('shows Deleted members to a user who may delete staff (restore and purge are part of it)', () => {
    expect(names(visibleSections(adminNav, userWith({ staff: ['view', 'read', 'edit', 'delete'] })))).toEqual([
      'admin-agents',
      'admin-teams',
      'admin-deleted-members',
    ])
  })

  it('shows a user without staff rights only the pages of the sections he has', () => {
    const access = userWith({ queues: ['view'], settings: ['view', 'read', 'edit', 'delete'] })
    expect(names(visibleSections(adminNav, access))).toEqual([
      'admin-queues',
      'admin-pause-reasons',
      'admin-tags',
      'admin-dispositions',
      'admin-canned-answers',
      'admin-sub-statuses',
    ])
    expect(names(visibleSections(adminNav, userWith({ contacts: ['view'] })))).toContain('admin-contacts')
  })

  it('shows the lists to a user who may view contacts, and the import only to one who may edit them', () => {
    expect(names(visibleSections(adminNav, userWith({ contacts: ['view', 'read'] })))).toEqual(['admin-contacts', 'admin-lists'])
    expect(names(visibleSections(adminNav, userWith({ contacts: ['view', 'read', 'edit'] })))).toEqual([
      'admin-contacts',
      'admin-lists',
      'admin-contact-import',
    ])
  })

  it('shows each routing page by its own section: realtime, queues, agent profiles, settings', () => {
    expect(names(visibleSections(adminNav, userWith({ realtime: ['view'] })))).toEqual(['admin-realtime'])
    // Reading conversations (the interactions list and the spy view) takes realtime read.
    expect(names(visibleSections(adminNav, userWith({ realtime: ['view', 'read'] })))).toEqual(['admin-realtime', 'admin-interactions'])
    expect(names(visibleSections(adminNav, userWith({ agent_profiles: ['view'] })))).toEqual(['admin-agent-profiles'])
    expect(names(visibleSections(adminNav, userWith({ channels: ['view'] })))).toEqual(['admin-websites', 'admin-whatsapp-accounts'])
    // The demo supervisor: staff, queues, realtime and reports, no settings.
    const supervisor = userWith({ staff: ['view', 'read', 'edit', 'delete'], queues: ['view', 'read'], realtime: ['view', 'read'], reports: ['view'] })
    expect(names(visibleSections(adminNav, supervisor))).toEqual([
      'admin-agents',
      'admin-teams',
      'admin-deleted-members',
      'admin-realtime',
      'admin-interactions',
      'admin-queues',
    ])
  })

  it('shows the settings catalogs to a user with settings view alone (the buttons need edit and delete)', () => {
    const routes = navRoutes(adminNav)
    for (const [name, path] of [
      ['admin-tags', 'settings/tags'],
      ['admin-dispositions', 'settings/dispositions'],
      ['admin-canned-answers', 'settings/canned-answers'],
      ['admin-sub-statuses', 'settings/sub-statuses'],
    ]) {
      const route = routes.find((r) => r.name === name)!
      expect(route.path, name).toBe(path)
      expect(route.meta!.rights, name).toEqual([{ section: 'settings', right: 'view' }])
    }
    expect(names(visibleSections(adminNav, userWith({ settings: ['view'] })))).toContain('admin-canned-answers')
  })

  it('needs read on top of view for the queue and agent profile pages', () => {
    const routes = navRoutes(adminNav)
    expect(routes.find((r) => r.name === 'admin-queue')!.meta!.rights).toEqual([
      { section: 'queues', right: 'view' },
      { section: 'queues', right: 'read' },
    ])
    expect(routes.find((r) => r.name === 'admin-agent-profile')!.meta!.rights).toEqual([
      { section: 'agent_profiles', right: 'view' },
      { section: 'agent_profiles', right: 'read' },
    ])
  })

  it('keeps admin-only pages from users even with every right', () => {
    const all = userWith({ staff: ['view', 'read', 'edit', 'delete'], settings: ['view', 'read', 'edit', 'delete'] })
    const security = adminNav.flatMap((s) => s.items).find((i) => i.name === 'admin-security')!
    expect(canOpen(security, all)).toBe(false)
    const users = adminNav[0]!.items.find((i) => i.name === 'admin-users')!
    expect(canOpen(users, all)).toBe(false)
    expect(canOpen(users, admin)).toBe(true)
  })

  it('never shows the console pages to an agent', () => {
    expect(visibleSections(adminNav, { kind: 'agent', rights: { staff: ['view'] } })).toEqual([])
  })
})

describe('desktop sidebar', () => {
  const agent: Access = { kind: 'agent', rights: {} }

  it('shows only the sections the agent is allowed', () => {
    expect(names(visibleSections(desktopNav, agent, sidebarFilter(['dashboard', 'chat'])))).toEqual(['desktop-dashboard', 'desktop-chat'])
    expect(names(visibleSections(desktopNav, agent, sidebarFilter(['fax', 'email'])))).toEqual(['desktop-email', 'desktop-fax'])
    expect(visibleSections(desktopNav, agent, sidebarFilter(['recordings']))).toEqual([])
    expect(names(visibleSections(desktopNav, agent, sidebarFilter(['contacts', 'my_contacts'])))).toEqual(['desktop-contacts', 'desktop-my-contacts'])
  })

  it('gives each messaging channel its list page, with the channel as the page prop', () => {
    const routes = navRoutes(desktopNav).filter((r) => typeof r.props === 'object' && r.props !== null && 'channel' in r.props)
    expect(routes.map((r) => [r.name, r.path, r.props])).toEqual([
      ['desktop-chat', 'chat', { channel: 'chat' }],
      ['desktop-whatsapp', 'whatsapp', { channel: 'whatsapp' }],
      ['desktop-email', 'email', { channel: 'email' }],
      ['desktop-sms', 'sms', { channel: 'sms' }],
      ['desktop-openchannel', 'open-channel', { channel: 'openchannel' }],
      ['desktop-fax', 'fax', { channel: 'fax' }],
    ])
  })

  it('keeps entries that are no sidebar section', () => {
    const nav: NavSection[] = [
      { items: [{ name: 'free', path: 'free', label: 'x', icon: '', component }, { name: 'fax', path: 'fax', label: 'x', icon: '', component, sidebar: 'fax' }] },
    ]
    expect(names(visibleSections(nav, agent, sidebarFilter([])))).toEqual(['free'])
  })

  it('ties every desktop page to a sidebar section', () => {
    for (const item of desktopNav.flatMap((s) => s.items)) expect(item.sidebar, item.name).toBeTruthy()
  })
})
