// How a new offer gets the agent's attention: a short two-tone beep made
// with the Web Audio API (no sound file), and a browser notification when
// the agent allowed them (asked from a button, never on load).

type AudioContextClass = typeof AudioContext

let context: AudioContext | null = null

function audioContext(): AudioContext | null {
  if (context) return context
  const w = globalThis as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass }
  const Ctor = w.AudioContext ?? w.webkitAudioContext
  if (!Ctor) return null
  try {
    context = new Ctor()
  } catch {
    return null
  }
  return context
}

/**
 * Prepares the sound on a user gesture (a click): browsers keep audio
 * suspended until the page has been interacted with.
 */
export function unlockSound(): void {
  const ctx = audioContext()
  if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => {})
}

/** Two short tones; silent when the browser has no audio or still blocks it. */
export function beep(): void {
  const ctx = audioContext()
  if (!ctx) return
  if (ctx.state === 'suspended') void ctx.resume().catch(() => {})
  const tones: [number, number][] = [
    [880, 0],
    [1175, 0.18],
  ]
  for (const [frequency, offset] of tones) {
    const start = ctx.currentTime + offset
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.type = 'sine'
    osc.frequency.value = frequency
    gain.gain.setValueAtTime(0.0001, start)
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.16)
    osc.connect(gain).connect(ctx.destination)
    osc.start(start)
    osc.stop(start + 0.17)
  }
}

export type NotifyPermission = 'unsupported' | NotificationPermission

export function notificationPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

export async function requestNotifications(): Promise<NotifyPermission> {
  if (typeof Notification === 'undefined') return 'unsupported'
  try {
    return await Notification.requestPermission()
  } catch {
    return Notification.permission
  }
}

/** A browser notification, when allowed; clicking it brings the desktop forward. */
export function notify(title: string, body: string, tag: string): void {
  if (notificationPermission() !== 'granted') return
  try {
    const n = new Notification(title, { body, tag })
    n.onclick = () => {
      window.focus()
      n.close()
    }
  } catch {
    // Some browsers only allow notifications from a service worker.
  }
}
