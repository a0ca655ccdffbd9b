/** One choice of a drop-down. */
export interface Choice<V> {
  value: V
  label: string
}

/**
 * The options with the current id added when it is not among them — a
 * queue or list the viewer may not read, say — so the selector still shows
 * the saved choice (by the label made from its id) instead of a blank.
 */
export function withCurrent(options: Choice<number>[], current: number | null, label: (id: number) => string): Choice<number>[] {
  if (current === null || options.some((o) => o.value === current)) return options
  return [...options, { value: current, label: label(current) }]
}
