// A tiny element builder: the widget draws its few screens with plain DOM.
// Text always goes in as textContent, never as HTML.

type Child = Node | string | null | undefined | false
type Props = Record<string, unknown>

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value as EventListener)
    } else if (name === 'class') {
      el.className = String(value)
    } else if (name === 'value' || name === 'disabled' || name === 'hidden') {
      ;(el as unknown as Record<string, unknown>)[name] = value
    } else {
      el.setAttribute(name, value === true ? '' : String(value))
    }
  }
  append(el, children)
  return el
}

export function append(el: Element, children: readonly Child[]): void {
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child)
}

// Icons: fixed SVG markup of our own (no user text in it).
const PATHS = {
  chat: '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z"/>',
  down: '<path d="M6 9l6 6 6-6"/>',
  send: '<path d="M4 12l16-8-6 16-2.5-6.5z"/><path d="M11.5 13.5L20 4"/>',
  clip: '<path d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9"/>',
  smile: '<circle cx="12" cy="12" r="9"/><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0"/><path d="M9 9.5h.01M15 9.5h.01"/>',
  check: '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
  clock: '<circle cx="12" cy="12" r="8"/><path d="M12 8v4l2.5 2"/>',
  file: '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5"/>',
}

export type IconName = keyof typeof PATHS

export function icon(name: IconName, className = 'sb-icon'): HTMLSpanElement {
  const span = h('span', { class: className, 'aria-hidden': 'true' })
  span.innerHTML = `<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${PATHS[name]}</svg>`
  return span
}

/** A text cut into plain parts and web addresses (http and https only; the closing punctuation stays out). */
export function splitLinks(text: string): { text: string; link: boolean }[] {
  return text
    .split(/(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'])/g)
    .map((part, i) => ({ text: part, link: i % 2 === 1 }))
    .filter((part) => part.text !== '')
}

/** A message's text with its web addresses as links. */
export function linkified(text: string): (Node | string)[] {
  return splitLinks(text).map((part) => (part.link ? h('a', { href: part.text, target: '_blank', rel: 'noopener noreferrer' }, part.text) : part.text))
}
