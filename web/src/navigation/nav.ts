import type { RouteComponent, RouteRecordRaw } from 'vue-router'
import type { PrincipalKind, Rights } from '../api/types'
import { hasRight, type RightRef } from '../staff/rights'

/** Who is looking: the principal's kind and, for users, the rights of their profile. */
export interface Access {
  kind: PrincipalKind
  rights: Rights
}

/** A page opened from a navigation entry (an edit page): not in the menu itself. */
export interface NavDetail {
  name: string
  path: string
  /** i18n key of the page title. */
  title: string
  component: () => Promise<RouteComponent>
  /** A right needed on top of the entry's own. */
  right?: RightRef
  /** The page's props when the path has no :id (a "new" page); else { id } from the path. */
  props?: Record<string, unknown>
}

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
  /** A console right needed as well (admins hold them all). */
  right?: RightRef
  /** The agent desktop sidebar section it is (see agent permissions). */
  sidebar?: string
  /** Pages reached from this one; they take its access rules and keep it highlighted. */
  details?: NavDetail[]
}

export interface NavSection {
  /** i18n key of the section heading; no heading when absent. */
  label?: string
  items: NavItem[]
}

/** Whether this access passes a kind list and a right (both optional). */
export function allows(access: Access, kinds?: PrincipalKind[], right?: RightRef): boolean {
  if (kinds && !kinds.includes(access.kind)) return false
  if (right && access.kind !== 'admin' && !hasRight(access.rights, right.section, right.right)) return false
  return true
}

export function canOpen(item: NavItem, access: Access): boolean {
  return allows(access, item.kinds, item.right)
}

/** The sections and entries one may see (per extra filter too), empty sections dropped. */
export function visibleSections(
  sections: NavSection[],
  access: Access,
  filter: (item: NavItem) => boolean = () => true,
): NavSection[] {
  return sections
    .map((section) => ({ ...section, items: section.items.filter((item) => canOpen(item, access) && filter(item)) }))
    .filter((section) => section.items.length > 0)
}

/**
 * The desktop filter: only pages whose sidebar section the agent is allowed
 * (entries without one are always shown).
 */
export function sidebarFilter(allowed: readonly string[]): (item: NavItem) => boolean {
  return (item) => !item.sidebar || allowed.includes(item.sidebar)
}

/** Child routes for every entry of a navigation, and for its detail pages. */
export function navRoutes(sections: NavSection[]): RouteRecordRaw[] {
  return sections.flatMap((section) =>
    section.items.flatMap((item): RouteRecordRaw[] => [
      {
        path: item.path,
        name: item.name,
        component: item.component,
        props: item.props ?? false,
        meta: { title: item.label, kinds: item.kinds, rights: item.right ? [item.right] : undefined, nav: item.name },
      },
      ...(item.details ?? []).map((detail) => ({
        path: detail.path,
        name: detail.name,
        component: detail.component,
        props: detail.props ?? ((route: { params: Record<string, unknown> }) => ({ id: Number(route.params.id) })),
        meta: {
          title: detail.title,
          kinds: item.kinds,
          rights: [item.right, detail.right].filter((r): r is RightRef => !!r),
          nav: item.name,
        },
      })),
    ]),
  )
}
