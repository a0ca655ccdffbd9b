import type { RouteComponent, RouteRecordRaw } from 'vue-router'
import type { PrincipalKind } from '../api/types'

/** One page in a side navigation; the route is made from the entry too. */
export interface NavItem {
  /** Route name. */
  name: string
  /** Path below the area's root ("" for the root itself). */
  path: string
  /** i18n key of the label, also the page title. */
  label: string
  /** PrimeIcons class. */
  icon: string
  component: () => Promise<RouteComponent>
  props?: Record<string, unknown>
  /** Who may open it; everyone allowed into the area when absent. */
  kinds?: PrincipalKind[]
}

export interface NavSection {
  /** i18n key of the section heading; no heading when absent. */
  label?: string
  items: NavItem[]
}

function allowed(item: NavItem, kind: PrincipalKind): boolean {
  return !item.kinds || item.kinds.includes(kind)
}

/** The sections and entries this principal may see, empty sections dropped. */
export function visibleSections(sections: NavSection[], kind: PrincipalKind): NavSection[] {
  return sections
    .map((section) => ({ ...section, items: section.items.filter((item) => allowed(item, kind)) }))
    .filter((section) => section.items.length > 0)
}

/** Child routes for every entry of a navigation. */
export function navRoutes(sections: NavSection[]): RouteRecordRaw[] {
  return sections.flatMap((section) =>
    section.items.map((item) => ({
      path: item.path,
      name: item.name,
      component: item.component,
      props: item.props ?? false,
      meta: { title: item.label, kinds: item.kinds },
    })),
  )
}
