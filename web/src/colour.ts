// Colours as the API keeps them: "#rrggbb", lower case.

const HEX = /^#[0-9a-f]{6}$/i

/** A full "#rrggbb" colour, as the API wants it. */
export function isHexColour(value: string): boolean {
  return HEX.test(value)
}

/**
 * What someone typed as a colour, in the API's form: "#rrggbb" in lower
 * case. Takes it with or without "#", and the short "#rgb"; null when it is
 * no colour.
 */
export function normalizeHex(value: string): string | null {
  let hex = value.trim().replace(/^#/, '')
  if (/^[0-9a-f]{3}$/i.test(hex)) hex = [...hex].map((c) => c + c).join('')
  if (!/^[0-9a-f]{6}$/i.test(hex)) return null
  return '#' + hex.toLowerCase()
}

function channel(value: number): number {
  const c = value / 255
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/** The WCAG relative luminance of a "#rrggbb" colour, 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const r = parseInt(hex.slice(1, 3), 16)
  const g = parseInt(hex.slice(3, 5), 16)
  const b = parseInt(hex.slice(5, 7), 16)
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/** The WCAG contrast ratio of two "#rrggbb" colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

export const DARK_TEXT = '#000000'
export const LIGHT_TEXT = '#ffffff'

/**
 * The text colour to write on a background: black or white, whichever
 * contrasts more. A background that is no valid colour gets black text.
 */
export function readableTextColour(background: string): string {
  const hex = normalizeHex(background)
  if (!hex) return DARK_TEXT
  return contrastRatio(hex, DARK_TEXT) >= contrastRatio(hex, LIGHT_TEXT) ? DARK_TEXT : LIGHT_TEXT
}
