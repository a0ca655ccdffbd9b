// widget.js: the chat a website embeds with
//   <script src="https://switchboard.example.com/widget.js" data-switchboard-key="KEY" async></script>
// It finds its own script element, reads the key, and talks to the server
// the script came from (docs/widget-protocol.md).

import { serverBase } from './api'
import { startWidget } from './widget'

declare global {
  interface Window {
    __switchboardChat?: boolean
  }
}

function ownScript(): HTMLScriptElement | null {
  // currentScript is set while a classic script (async included) first runs.
  const current = document.currentScript
  if (current instanceof HTMLScriptElement && current.dataset.switchboardKey) return current
  return document.querySelector<HTMLScriptElement>('script[data-switchboard-key]')
}

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage
  } catch {
    return null // refused (sandboxed frame, privacy settings): chats just do not survive a reload
  }
}

function boot(script: HTMLScriptElement): void {
  const key = script.dataset.switchboardKey ?? ''
  if (!key || !script.src) {
    console.warn('Switchboard chat: the script tag needs src and data-switchboard-key')
    return
  }
  void startWidget({
    base: serverBase(script.src),
    key,
    mount: document.body,
    storage: sessionStore(),
    languages: navigator.languages?.length ? navigator.languages : [navigator.language],
  })
}

// One widget per page, even if the snippet was pasted twice.
if (!window.__switchboardChat) {
  window.__switchboardChat = true
  const script = ownScript()
  if (script) {
    if (document.body) boot(script)
    else document.addEventListener('DOMContentLoaded', () => boot(script), { once: true })
  }
}
