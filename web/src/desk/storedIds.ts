// Lists of ids the desktop remembers in the browser across reloads (the
// agent's interactions, his tabs). Storage may be disabled or hold junk:
// reading then gives an empty list, writing does nothing.

export function readIds(key: string): number[] {
  try {
    const raw = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown
    return Array.isArray(raw) ? raw.filter((x): x is number => Number.isInteger(x) && x > 0) : []
  } catch {
    return []
  }
}

export function writeIds(key: string, ids: readonly number[]) {
  try {
    localStorage.setItem(key, JSON.stringify(ids))
  } catch {
    // Storage disabled: the list lasts for this page.
  }
}
