import { PROFILE_RIGHTS, PROFILE_SECTIONS, type ProfileRight, type ProfileSection, type Rights } from '../api/types'

/** One right on one console section, e.g. staff + view. */
export interface RightRef {
  section: ProfileSection
  right: ProfileRight
}

/** Every right on every section: what an administrator holds. */
export function allRights(): Rights {
  return Object.fromEntries(PROFILE_SECTIONS.map((section) => [section, [...PROFILE_RIGHTS]]))
}

export function hasRight(rights: Rights | undefined, section: string, right: string): boolean {
  return !!rights?.[section]?.includes(right)
}

/** A copy of rights with one right switched on or off, rights kept in their usual order. */
export function withRight(rights: Rights, section: ProfileSection, right: ProfileRight, on: boolean): Rights {
  const current = new Set(rights[section] ?? [])
  if (on) current.add(right)
  else current.delete(right)
  return { ...rights, [section]: PROFILE_RIGHTS.filter((r) => current.has(r)) }
}

/** The same rights with every known section present (empty when none granted). */
export function completeRights(rights: Rights | undefined): Rights {
  return Object.fromEntries(
    PROFILE_SECTIONS.map((section) => [section, PROFILE_RIGHTS.filter((r) => hasRight(rights, section, r))]),
  )
}
