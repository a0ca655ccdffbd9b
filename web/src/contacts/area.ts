import type { RouteLocationRaw } from 'vue-router'

/** Where the Contact Manager's pages are mounted: the admin console or the agent desktop. */
export type ContactArea = 'admin' | 'desktop'

/** The route names of an area's contact pages (the import page is made elsewhere and may be missing). */
export function contactRoutes(area: ContactArea) {
  return {
    list: `${area}-contacts`,
    contact: `${area}-contact`,
    create: `${area}-contact-new`,
    import: `${area}-contact-import`,
  }
}

/** A contact's page in an area. */
export function contactPage(area: ContactArea, id: number): RouteLocationRaw {
  return { name: contactRoutes(area).contact, params: { id } }
}

/** An interaction of a journey: the console's read-only view, or its tab on the desktop. */
export function interactionPage(area: ContactArea, id: number): RouteLocationRaw {
  return { name: area === 'admin' ? 'admin-interaction' : 'desktop-interaction', params: { id } }
}
