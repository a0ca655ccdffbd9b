// Where "Back to the list" leads from an interaction opened from a list:
// the list as it was (its filters are in its URL query), remembered for the
// session of this page.

type Query = Record<string, string | null | (string | null)[]>

const remembered = new Map<string, Query>()

export function rememberListQuery(list: string, query: Query): void {
  remembered.set(list, { ...query })
}

export function listQuery(list: string): Query {
  return remembered.get(list) ?? {}
}
