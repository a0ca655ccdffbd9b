// The widget's DOM, all inside an open shadow root: the launcher, the panel
// and its screens (form, conversation, message received). It draws what the
// controller (widget.ts) tells it and reports what the customer does; it
// holds no rules of its own.

import { readableTextColour } from '../src/colour'
import type { ChatState, MessageItem, TimelineItem } from './chat'
import { h, icon, linkified } from './dom'
import { EMOJI, insertAt } from './emoji'
import { formatBytes } from './form'
import type { Translate } from './i18n'
import type { FormField } from './protocol'
import type { SocketStatus } from './socket'
import css from './widget.css?inline'

export interface ViewActions {
  toggle(): void
  minimise(): void
  submitForm(raw: Record<string, string>): void
  send(text: string): boolean
  pickFile(file: File): void
  askEnd(): void
  confirmEnd(): void
  cancelEnd(): void
  newChat(): void
  retry(clientId: string): void
  fileUrl(url: string): string
}

export interface ChatScreen {
  chat: ChatState
  socket: SocketStatus
  confirmingEnd: boolean
  /** A file refused before or by the upload, or a text too long. */
  problem: string | null
}

export interface ViewOptions {
  title: string
  colour: string
  locale: string
  t: Translate
  actions: ViewActions
}

type Screen = 'loading' | 'form' | 'chat' | 'sent'

export class WidgetView {
  readonly host: HTMLElement
  private readonly t: Translate
  private readonly actions: ViewActions
  private readonly title: string
  private readonly time: Intl.DateTimeFormat
  private readonly date: Intl.DateTimeFormat
  private readonly locale: string
  private readonly launcher: HTMLButtonElement
  private readonly launcherText: HTMLSpanElement
  private readonly badge: HTMLSpanElement
  private readonly panel: HTMLElement
  private readonly status: HTMLParagraphElement
  private readonly endButton: HTMLButtonElement
  private readonly banner: HTMLParagraphElement
  private readonly body: HTMLDivElement
  private screen: Screen = 'loading'
  private isOpen = false
  private form: { el: HTMLFormElement; submit: HTMLButtonElement; general: HTMLParagraphElement; fields: FormField[] } | null = null
  private conversation: Conversation | null = null

  constructor(mount: HTMLElement, options: ViewOptions) {
    this.t = options.t
    this.actions = options.actions
    this.title = options.title
    this.locale = options.locale
    this.time = new Intl.DateTimeFormat(options.locale, { hour: '2-digit', minute: '2-digit' })
    this.date = new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeStyle: 'short' })
    const t = this.t

    this.host = document.createElement('switchboard-chat')
    // The host page's rules cannot hide or restyle us: inherited properties
    // start from scratch, and the box sits above the page.
    this.host.style.cssText =
      'all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;width:0!important;height:0!important;right:0!important;bottom:0!important'
    this.host.setAttribute('data-testid', 'sb-widget')
    const shadow = this.host.attachShadow({ mode: 'open' })
    const root = h('div', { class: 'sb', lang: options.locale })
    root.style.setProperty('--sb-accent', options.colour)
    root.style.setProperty('--sb-on-accent', readableTextColour(options.colour))

    this.status = h('p', { class: 'sb-status', id: 'sb-status', 'data-testid': 'sb-status' })
    this.endButton = h('button', { type: 'button', class: 'sb-hbtn sb-end', 'data-testid': 'sb-end', hidden: true, onclick: () => this.actions.askEnd() }, t('endChat'))
    this.banner = h('p', { class: 'sb-banner', role: 'status', 'data-testid': 'sb-connection', hidden: true }, t('reconnecting'))
    this.body = h('div', { class: 'sb-body' })
    this.panel = h(
      'section',
      { class: 'sb-panel', id: 'sb-panel', role: 'dialog', 'aria-labelledby': 'sb-title', 'aria-describedby': 'sb-status', 'data-testid': 'sb-panel', hidden: true },
      h(
        'header',
        { class: 'sb-header' },
        h('div', { class: 'sb-heading' }, h('h2', { class: 'sb-title', id: 'sb-title' }, options.title), this.status),
        this.endButton,
        h(
          'button',
          { type: 'button', class: 'sb-hbtn sb-icon-btn', 'aria-label': t('minimise'), title: t('minimise'), 'data-testid': 'sb-minimise', onclick: () => this.actions.minimise() },
          icon('down'),
        ),
      ),
      this.banner,
      this.body,
    )
    this.launcherText = h('span', { class: 'sb-launcher-text' }, options.title)
    this.badge = h('span', { class: 'sb-badge', 'aria-hidden': 'true', 'data-testid': 'sb-unseen', hidden: true })
    this.launcher = h(
      'button',
      { type: 'button', class: 'sb-launcher', id: 'sb-launcher', 'data-testid': 'sb-launcher', 'aria-controls': 'sb-panel', 'aria-expanded': 'false', onclick: () => this.actions.toggle() },
      icon('chat'),
      this.launcherText,
      this.badge,
    )
    root.append(this.panel, this.launcher)
    root.addEventListener('keydown', (e) => this.onKey(e))
    shadow.append(h('style', null, css), root)
    mount.append(this.host)
    this.setLauncher()
  }

  // --- the panel ------------------------------------------------------------------

  setOpen(open: boolean, moveFocus: boolean): void {
    this.isOpen = open
    this.panel.hidden = !open
    this.setLauncher()
    if (!moveFocus) return
    if (open) this.focusScreen()
    else this.launcher.focus()
  }

  setUnseen(count: number): void {
    this.badge.hidden = count === 0 || this.isOpen
    this.badge.textContent = count > 9 ? '9+' : String(count)
    this.setLauncher(count)
  }

  private setLauncher(unseen = 0): void {
    if (this.launcher.getAttribute('aria-expanded') !== String(this.isOpen)) {
      this.launcher.setAttribute('aria-expanded', String(this.isOpen))
      this.launcherText.hidden = this.isOpen
      this.launcher.firstElementChild!.replaceWith(icon(this.isOpen ? 'down' : 'chat'))
    }
    const label = this.isOpen ? this.t('minimise') : unseen ? `${this.title} (${this.t('unseen', { count: unseen })})` : this.title
    this.launcher.setAttribute('aria-label', label)
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || !this.isOpen) return
    // The innermost thing open closes first: palette, confirmation, panel.
    if (this.conversation?.closePalette()) {
      e.stopPropagation()
      return
    }
    if (this.conversation && !this.conversation.confirmBar.hidden) {
      this.actions.cancelEnd()
      e.stopPropagation()
      return
    }
    e.stopPropagation()
    this.actions.minimise()
  }

  private focusScreen(): void {
    const target =
      this.screen === 'form'
        ? this.form?.el.querySelector<HTMLElement>('input, select, textarea, button')
        : this.screen === 'chat'
          ? this.conversation?.focusTarget()
          : this.body.querySelector<HTMLElement>('button')
    target?.focus()
  }

  private setScreen(screen: Screen, content: Node, status: string): void {
    this.screen = screen
    this.panel.dataset.screen = screen
    this.form = null
    this.conversation = null
    this.body.replaceChildren(content)
    this.status.textContent = status
    delete this.status.dataset.state
    this.endButton.hidden = true
    this.banner.hidden = true
    if (this.isOpen) this.focusScreen()
  }

  // --- screens --------------------------------------------------------------------

  showLoading(): void {
    this.setScreen('loading', h('div', { class: 'sb-center', 'data-testid': 'sb-loading' }, this.t('connecting')), '')
  }

  /** The online or offline form, under a few words (the website's offline message for the offline one). */
  showForm(fields: FormField[], offline: boolean, intro: string): void {
    const t = this.t
    const general = h('p', { class: 'sb-error', role: 'alert', 'data-testid': 'sb-form-error', hidden: true })
    const submit = h('button', { type: 'submit', class: 'sb-primary', 'data-testid': 'sb-start' }, offline ? t('sendOfflineMessage') : t('startChat'))
    const el = h(
      'form',
      {
        class: 'sb-form',
        novalidate: true,
        'data-testid': 'sb-form',
        'data-kind': offline ? 'offline' : 'online',
        onsubmit: (e: Event) => {
          e.preventDefault()
          const raw: Record<string, string> = {}
          for (const f of fields) raw[f.name] = (el.elements.namedItem(f.name) as HTMLInputElement | null)?.value ?? ''
          this.actions.submitForm(raw)
        },
      },
      intro ? h('p', { class: offline ? 'sb-intro sb-intro-offline' : 'sb-intro', 'data-testid': offline ? 'sb-offline-message' : 'sb-intro' }, intro) : null,
      ...fields.map((f) => this.field(f)),
      general,
      submit,
    )
    this.setScreen('form', el, offline ? t('weAreOffline') : t('weAreOnline'))
    this.status.dataset.state = offline ? 'offline' : 'online'
    this.form = { el, submit, general, fields }
  }

  private field(field: FormField): HTMLElement {
    const id = `sb-field-${field.name}`
    const common = {
      id,
      name: field.name,
      class: 'sb-input',
      required: field.required,
      'aria-describedby': `${id}-error`,
      'data-testid': id,
    }
    let control: HTMLElement
    if (field.type === 'textarea') control = h('textarea', { ...common, rows: 4, maxlength: 1000 })
    else if (field.type === 'select')
      control = h('select', common, h('option', { value: '' }, this.t('chooseOption')), ...field.options.map((o) => h('option', { value: o }, o)))
    else {
      const type = field.type === 'email' ? 'email' : field.type === 'phone' ? 'tel' : 'text'
      const autocomplete = field.type === 'email' ? 'email' : field.type === 'phone' ? 'tel' : field.name === 'name' ? 'name' : undefined
      control = h('input', { ...common, type, autocomplete, maxlength: 1000 })
    }
    return h(
      'div',
      { class: 'sb-field' },
      h('label', { class: 'sb-label', for: id }, field.label, field.required ? h('span', { class: 'sb-req', 'aria-hidden': 'true', title: this.t('required') }, '*') : null),
      control,
      h('p', { class: 'sb-error', id: `${id}-error`, 'data-testid': `${id}-error`, hidden: true }),
    )
  }

  /** The form while it goes, and the problems found (by field name) or the server's general error. */
  setFormState(busy: boolean, errors: Record<string, string> = {}, general = ''): void {
    const form = this.form
    if (!form) return
    form.submit.disabled = busy
    if (busy) form.submit.textContent = this.t('sending')
    else form.submit.textContent = form.el.dataset.kind === 'offline' ? this.t('sendOfflineMessage') : this.t('startChat')
    let first: HTMLElement | null = null
    for (const f of form.fields) {
      const control = form.el.querySelector<HTMLElement>(`#sb-field-${f.name}`)
      const error = form.el.querySelector<HTMLElement>(`#sb-field-${f.name}-error`)
      const message = errors[f.name] ?? ''
      error!.textContent = message
      error!.hidden = !message
      control?.setAttribute('aria-invalid', String(!!message))
      if (message && !first) first = control
    }
    form.general.textContent = general
    form.general.hidden = !general
    if (!busy) first?.focus()
  }

  showSent(): void {
    const t = this.t
    this.setScreen(
      'sent',
      h(
        'div',
        { class: 'sb-center', 'data-testid': 'sb-offline-sent' },
        h('span', { class: 'sb-done' }, icon('check')),
        h('p', { class: 'sb-done-title' }, t('offlineSentTitle')),
        h('p', { class: 'sb-done-text' }, t('offlineSentText')),
        h('button', { type: 'button', class: 'sb-secondary', onclick: () => this.actions.minimise() }, t('close')),
      ),
      '',
    )
  }

  /** The conversation; accept lists the file types the file button offers. */
  showChat(attachments: boolean, accept: string): void {
    const conversation = new Conversation(this.t, this.actions, this.time, this.date, this.locale)
    conversation.setAttachments(attachments, accept)
    this.setScreen('chat', conversation.el, this.t('connecting'))
    this.conversation = conversation
  }

  renderChat(view: ChatScreen): void {
    const conversation = this.conversation
    if (!conversation) return
    const { chat } = view
    const t = this.t
    this.status.textContent =
      chat.closeRequested
        ? t('ending')
        : chat.status === 'closed'
          ? t('chatEnded')
          : chat.status === 'connecting'
            ? t('connecting')
            : chat.status === 'waiting'
              ? t('waiting')
              : chat.agent
                ? t('chattingWith', { name: chat.agent })
                : t('connected')
    // No green "online" dot while the connection is down.
    this.status.dataset.state = view.socket === 'reconnecting' ? 'reconnecting' : chat.status
    this.endButton.hidden = chat.status === 'closed' || chat.closeRequested || view.confirmingEnd
    this.banner.hidden = chat.status === 'closed' || view.socket !== 'reconnecting'
    conversation.render(view)
  }

  focusEndButton(): void {
    this.endButton.focus()
  }
}

/** The conversation screen: the messages, the bars under them and the composer. */
class Conversation {
  readonly el: HTMLDivElement
  readonly confirmBar: HTMLDivElement
  private readonly log: HTMLDivElement
  private readonly problem: HTMLParagraphElement
  private readonly endedBar: HTMLDivElement
  private readonly endedText: HTMLParagraphElement
  private readonly composer: HTMLFormElement
  private readonly input: HTMLTextAreaElement
  private readonly emojiButton: HTMLButtonElement
  private readonly attachButton: HTMLButtonElement
  private readonly fileInput: HTMLInputElement
  private readonly palette: HTMLDivElement
  private readonly confirmButton: HTMLButtonElement
  private readonly rendered = new Map<string, { el: HTMLElement; sig: string }>()
  private wasClosed = false
  private wasConfirming = false

  constructor(
    private readonly t: Translate,
    private readonly actions: ViewActions,
    private readonly time: Intl.DateTimeFormat,
    private readonly date: Intl.DateTimeFormat,
    private readonly locale: string,
  ) {
    this.log = h('div', { class: 'sb-log', role: 'log', 'aria-live': 'polite', 'aria-label': t('messages'), tabindex: 0, 'data-testid': 'sb-messages' })
    this.problem = h('p', { class: 'sb-note', role: 'alert', 'data-testid': 'sb-chat-error', hidden: true })
    this.confirmButton = h('button', { type: 'button', class: 'sb-primary sb-danger', 'data-testid': 'sb-end-yes', onclick: () => actions.confirmEnd() }, t('endYes'))
    this.confirmBar = h(
      'div',
      { class: 'sb-bar sb-confirm', role: 'group', 'aria-labelledby': 'sb-end-question', 'data-testid': 'sb-end-confirm', hidden: true },
      h('p', { class: 'sb-bar-text', id: 'sb-end-question' }, t('endConfirm')),
      h('button', { type: 'button', class: 'sb-secondary', 'data-testid': 'sb-end-cancel', onclick: () => actions.cancelEnd() }, t('cancel')),
      this.confirmButton,
    )
    this.endedText = h('p', { class: 'sb-bar-text' })
    this.endedBar = h(
      'div',
      { class: 'sb-bar sb-ended', 'data-testid': 'sb-ended', hidden: true },
      this.endedText,
      h('button', { type: 'button', class: 'sb-primary', 'data-testid': 'sb-new-chat', onclick: () => actions.newChat() }, t('newChat')),
    )
    this.input = h('textarea', {
      id: 'sb-message',
      rows: 1,
      'aria-label': t('messageLabel'),
      placeholder: t('messagePlaceholder'),
      'data-testid': 'sb-message-input',
      oninput: () => this.grow(),
      onkeydown: (e: KeyboardEvent) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
          e.preventDefault()
          this.submit()
        }
      },
    })
    this.palette = h(
      'div',
      { class: 'sb-palette', id: 'sb-palette', role: 'group', 'aria-label': t('emoji'), 'data-testid': 'sb-emoji-palette', hidden: true },
      ...EMOJI.map((emoji) => h('button', { type: 'button', 'aria-label': emoji, onclick: () => this.insertEmoji(emoji) }, emoji)),
    )
    this.emojiButton = h(
      'button',
      {
        type: 'button',
        class: 'sb-tool',
        'aria-label': t('emoji'),
        title: t('emoji'),
        'aria-controls': 'sb-palette',
        'aria-expanded': 'false',
        'data-testid': 'sb-emoji',
        onclick: () => this.togglePalette(),
      },
      icon('smile'),
    )
    this.fileInput = h('input', {
      type: 'file',
      hidden: true,
      tabindex: -1,
      'data-testid': 'sb-file-input',
      onchange: () => {
        const file = this.fileInput.files?.[0]
        this.fileInput.value = ''
        if (file) actions.pickFile(file)
      },
    })
    this.attachButton = h(
      'button',
      { type: 'button', class: 'sb-tool', 'aria-label': t('attach'), title: t('attach'), 'data-testid': 'sb-attach', onclick: () => this.fileInput.click() },
      icon('clip'),
    )
    this.composer = h(
      'form',
      {
        class: 'sb-composer',
        'data-testid': 'sb-composer',
        onsubmit: (e: Event) => {
          e.preventDefault()
          this.submit()
        },
      },
      this.palette,
      this.emojiButton,
      this.attachButton,
      this.fileInput,
      this.input,
      h('button', { type: 'submit', class: 'sb-tool sb-sendbtn', 'aria-label': t('send'), title: t('send'), 'data-testid': 'sb-send' }, icon('send')),
    )
    this.el = h('div', { class: 'sb-body' }, this.log, this.problem, this.confirmBar, this.endedBar, this.composer)
  }

  /** Where the focus goes when the panel opens on the conversation. */
  focusTarget(): HTMLElement {
    if (!this.confirmBar.hidden) return this.confirmButton
    if (!this.endedBar.hidden) return this.endedBar.querySelector('button')!
    return this.input
  }

  /** Closes the emoji palette; false when it was not open. */
  closePalette(): boolean {
    if (this.palette.hidden) return false
    this.palette.hidden = true
    this.emojiButton.setAttribute('aria-expanded', 'false')
    this.emojiButton.focus()
    return true
  }

  private togglePalette(): void {
    if (this.closePalette()) return
    this.palette.hidden = false
    this.emojiButton.setAttribute('aria-expanded', 'true')
    this.palette.querySelector('button')?.focus()
  }

  private insertEmoji(emoji: string): void {
    const input = this.input
    const { text, caret } = insertAt(input.value, input.selectionStart ?? input.value.length, input.selectionEnd ?? input.value.length, emoji)
    input.value = text
    this.closePalette()
    input.focus()
    input.setSelectionRange(caret, caret)
    this.grow()
  }

  private submit(): void {
    const text = this.input.value
    if (!text.trim()) return
    if (this.actions.send(text)) {
      this.input.value = ''
      this.grow()
    }
    this.input.focus()
  }

  private grow(): void {
    this.input.style.height = 'auto'
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`
  }

  render({ chat, confirmingEnd, problem }: ChatScreen): void {
    const closed = chat.status === 'closed'
    // Whatever changes below (new messages, a bar or a note taking room),
    // a customer reading the latest messages keeps them in view.
    const log = this.log
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 80
    const mineAdded = this.renderItems(chat.items)
    this.problem.textContent = problem ?? chat.notice ?? ''
    this.problem.hidden = !this.problem.textContent
    const confirming = confirmingEnd && !closed
    this.confirmBar.hidden = !confirming
    if (confirming && !this.wasConfirming) this.confirmButton.focus()
    this.wasConfirming = confirming
    this.endedBar.hidden = !closed
    this.endedText.textContent = chat.closedBy === 'customer' ? this.t('endedByCustomer') : this.t('endedByAgent')
    this.composer.hidden = closed
    this.input.disabled = chat.closeRequested
    if (closed && !this.wasClosed && this.el.isConnected && this.el.getRootNode() instanceof ShadowRoot) {
      // The composer the focus may have been in is gone: offer the new chat.
      const active = (this.el.getRootNode() as ShadowRoot).activeElement
      if (!active || this.composer.contains(active)) this.endedBar.querySelector('button')?.focus()
    }
    this.wasClosed = closed
    if (atEnd || mineAdded) this.scrollToEnd()
  }

  setAttachments(enabled: boolean, accept: string): void {
    this.attachButton.hidden = !enabled
    this.fileInput.accept = accept
  }

  /** Draws the items that changed; true when one of the customer's own is new. */
  private renderItems(items: readonly TimelineItem[]): boolean {
    const log = this.log
    const keep = new Set<string>()
    let mineAdded = false
    let previous: TimelineItem | null = null
    let cursor: ChildNode | null = log.firstChild
    for (const item of items) {
      const showWho = item.kind === 'message' && item.direction === 'out' && !(previous?.kind === 'message' && previous.direction === 'out' && previous.agentName === item.agentName)
      const sig = JSON.stringify([item, showWho])
      let entry = this.rendered.get(item.key)
      if (!entry || entry.sig !== sig) {
        const el = item.kind === 'joined' ? this.joined(item.agentName) : this.message(item, showWho)
        if (entry) {
          if (cursor === entry.el) cursor = el
          entry.el.replaceWith(el)
        } else {
          mineAdded ||= item.kind === 'message' && item.direction === 'in'
        }
        entry = { el, sig }
        this.rendered.set(item.key, entry)
      }
      if (entry.el === cursor) cursor = cursor.nextSibling
      else log.insertBefore(entry.el, cursor)
      keep.add(item.key)
      previous = item
    }
    for (const [key, entry] of this.rendered) {
      if (keep.has(key)) continue
      entry.el.remove()
      this.rendered.delete(key)
    }
    return mineAdded
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight
  }

  private joined(name: string): HTMLElement {
    return h('p', { class: 'sb-event', 'data-testid': 'sb-agent-joined' }, this.t('agentJoined', { name }))
  }

  private message(item: MessageItem, showWho: boolean): HTMLElement {
    const t = this.t
    const mine = item.direction === 'in'
    const parts: (Node | string)[] = []
    if (item.uploading !== null) {
      parts.push(h('span', { class: 'sb-file' }, icon('file'), t('uploading', { name: item.uploading })))
    } else if (item.attachment) {
      parts.push(this.attachment(item.attachment))
    }
    if (item.body) parts.push(h('span', { class: 'sb-text' }, ...linkified(item.body)))
    const when = new Date(item.createdAt)
    const valid = !Number.isNaN(when.getTime())
    const meta = h(
      'div',
      { class: 'sb-meta' },
      valid ? h('time', { datetime: item.createdAt, title: this.date.format(when) }, this.time.format(when)) : null,
      mine ? this.ticks(item) : null,
    )
    const failure =
      item.delivery === 'failed'
        ? h(
            'p',
            { class: 'sb-meta sb-fail', 'data-testid': 'sb-message-error' },
            item.error ? `${t('failed')}: ${item.error}` : t('failed'),
            item.id === null && item.uploading === null && item.error
              ? h('button', { type: 'button', class: 'sb-link', 'data-testid': 'sb-retry', onclick: () => this.actions.retry(item.clientId!) }, t('retry'))
              : null,
          )
        : null
    const media = !item.body && item.attachment !== null && /^image\//i.test(item.attachment.content_type)
    return h(
      'div',
      {
        class: `sb-msg ${mine ? 'sb-in' : 'sb-out'}${item.delivery === 'failed' ? ' sb-failed' : item.delivery === 'pending' ? ' sb-pending' : ''}`,
        'data-testid': 'sb-message',
        'data-direction': item.direction,
        'data-id': item.id ?? undefined,
        'data-delivery': mine ? item.delivery : undefined,
      },
      showWho ? h('span', { class: 'sb-who' }, item.agentName ?? t('agent')) : null,
      h('span', { class: 'sb-sr' }, mine ? `${t('you')}: ` : ''),
      h('div', { class: media ? 'sb-bubble sb-media' : 'sb-bubble' }, ...parts),
      meta,
      failure,
    )
  }

  private ticks(item: MessageItem): HTMLElement | null {
    if (item.delivery === 'failed') return null
    const t = this.t
    const label = t(item.delivery)
    const el = h('span', { class: 'sb-ticks', role: 'img', 'aria-label': label, title: label, 'data-delivery': item.delivery })
    el.append(icon(item.delivery === 'pending' ? 'clock' : 'check'))
    if (item.delivery === 'delivered' || item.delivery === 'read') el.append(icon('check'))
    return el
  }

  private attachment(a: NonNullable<MessageItem['attachment']>): HTMLElement {
    const href = this.actions.fileUrl(a.url)
    if (/^image\/(png|jpe?g|gif|webp)$/i.test(a.content_type)) {
      const img = h('img', { class: 'sb-img', src: href, alt: a.name, loading: 'lazy' })
      img.addEventListener('load', () => {
        const log = this.log
        if (log.scrollHeight - log.scrollTop - log.clientHeight < img.height + 80) this.scrollToEnd()
      })
      return h('a', { class: 'sb-attachment', href, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'sb-attachment' }, img)
    }
    return h(
      'a',
      { class: 'sb-attachment sb-file', href, target: '_blank', rel: 'noopener noreferrer', download: a.name, 'data-testid': 'sb-attachment' },
      icon('file'),
      h('span', { class: 'sb-file-name' }, a.name),
      h('span', { class: 'sb-file-size' }, formatBytes(a.size, this.locale)),
    )
  }
}
