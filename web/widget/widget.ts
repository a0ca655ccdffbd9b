// The widget's controller: loads the website's configuration, shows the
// right screen, starts the chat, keeps the socket and the conversation state
// (chat.ts) in step and tells the view (view.ts) what to draw.

import { attachmentUrl, formErrors, socketUrl, widgetApi, WidgetError, type WidgetApi } from './api'
import * as chat from './chat'
import { checkFile, checkForm, formatBytes, formValues, typeNames, type FieldProblem } from './form'
import { translator, widgetLocale, type MessageKey, type Translate } from './i18n'
import { MAX_MESSAGE_CHARS, type ServerFrame, type WidgetConfig, type WidgetFrame } from './protocol'
import { forgetChat, loadChat, saveChat, type KeyValueStore } from './session'
import { createChatSocket, type ChatSocket, type SocketStatus } from './socket'
import { WidgetView } from './view'

export interface WidgetEnv {
  /** The server's base URL (from the script's src). */
  base: string
  key: string
  mount: HTMLElement
  storage: KeyValueStore | null
  languages: readonly string[]
  api?: WidgetApi
}

const PROBLEM_TEXT: Record<FieldProblem, MessageKey> = {
  required: 'requiredField',
  email: 'invalidEmail',
  phone: 'invalidPhone',
  tooLong: 'tooLong',
}

/** Failed socket attempts, never opened since the page loaded, after which the saved chat is questioned. */
const STALE_AFTER_FAILURES = 4

/** Loads the configuration and puts the launcher on the page; nothing shows when the website refuses us. */
export async function startWidget(env: WidgetEnv): Promise<ChatWidget | null> {
  let locale = widgetLocale(env.languages)
  const api = env.api ?? widgetApi(env.base, env.key, () => locale)
  let config: WidgetConfig
  try {
    config = await api.config()
  } catch (e) {
    // A refused origin, an unknown key or a disabled website: stay invisible.
    console.warn('Switchboard chat: the widget is not available here', e instanceof WidgetError ? `${e.status} ${e.code}` : e)
    return null
  }
  locale = widgetLocale(env.languages, config.locale)
  return new ChatWidget(env, api, config, locale)
}

export class ChatWidget {
  private readonly t: Translate
  private readonly view: WidgetView
  private open = false
  private screen: 'form' | 'chat' | 'sent' = 'form'
  private offline = false
  private busy = false
  private token = ''
  private chatId = 0
  private state = chat.newChat()
  private socket: ChatSocket | null = null
  private socketStatus: SocketStatus = 'idle'
  private confirmingEnd = false
  private problem: string | null = null
  private resumed = false

  constructor(
    private readonly env: WidgetEnv,
    private readonly api: WidgetApi,
    private config: WidgetConfig,
    private readonly locale: string,
  ) {
    this.t = translator(locale === 'it' ? 'it' : 'en')
    this.view = new WidgetView(env.mount, {
      title: config.title,
      colour: config.colour,
      locale,
      t: this.t,
      actions: {
        toggle: () => this.setOpen(!this.open, true),
        minimise: () => this.setOpen(false, true),
        submitForm: (raw) => void this.submitForm(raw),
        send: (text) => this.send(text),
        pickFile: (file) => void this.upload(file),
        askEnd: () => this.update(() => (this.confirmingEnd = true)),
        confirmEnd: () => this.endChat(),
        cancelEnd: () => {
          this.update(() => (this.confirmingEnd = false))
          this.view.focusEndButton()
        },
        newChat: () => void this.newChat(),
        retry: (clientId) => this.retry(clientId),
        fileUrl: (url) => attachmentUrl(env.base, env.key, this.token, url),
      },
    })
    const saved = loadChat(env.storage, env.key)
    if (saved) {
      this.token = saved.token
      this.chatId = saved.chatId
      this.resumed = true
      this.enterChat(saved.outbox)
      this.setOpen(saved.open, false)
    } else {
      this.showForm()
    }
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return
      this.socket?.reconnectNow()
      this.render()
    })
    window.addEventListener('online', () => this.socket?.reconnectNow())
  }

  // --- panel and screens ----------------------------------------------------------

  private setOpen(open: boolean, moveFocus: boolean): void {
    if (open && !this.open && this.screen === 'form' && !this.busy) void this.refreshForm()
    this.open = open
    this.view.setOpen(open, moveFocus)
    this.persist()
    this.render()
  }

  private showForm(): void {
    this.screen = 'form'
    this.offline = !this.config.online
    const fields = this.offline ? this.config.offline_form : this.config.online_form
    this.view.showForm(fields, this.offline, this.offline ? this.config.offline_message : this.t('onlineIntro'))
  }

  /** Whether agents are there may have changed since the page loaded. */
  private async refreshForm(): Promise<void> {
    try {
      const config = await this.api.config()
      const changed = config.online !== this.config.online
      this.config = config
      if (changed && this.screen === 'form' && !this.busy) this.showForm()
    } catch {
      // Keep the form we have; starting will say what is wrong.
    }
  }

  private async submitForm(raw: Record<string, string>): Promise<void> {
    if (this.busy) return
    const fields = this.offline ? this.config.offline_form : this.config.online_form
    const problems = checkForm(fields, raw)
    if (Object.keys(problems).length) {
      const errors: Record<string, string> = {}
      for (const [name, problem] of Object.entries(problems)) errors[name] = this.t(PROBLEM_TEXT[problem])
      this.view.setFormState(false, errors)
      return
    }
    this.busy = true
    this.view.setFormState(true)
    try {
      const started = await this.api.start(formValues(fields, raw), this.offline)
      this.busy = false
      if (started.offline || !started.token) {
        this.screen = 'sent'
        this.view.showSent()
        return
      }
      this.token = started.token
      this.chatId = started.chat_id
      this.resumed = false
      this.enterChat([])
    } catch (e) {
      this.busy = false
      const error = e instanceof WidgetError ? e : new WidgetError(0, 'internal', '')
      const errors = formErrors(error.fields, fields.map((f) => f.name))
      const general = Object.keys(errors).length ? '' : this.errorText(error)
      this.view.setFormState(false, errors, general)
    }
  }

  private errorText(error: WidgetError): string {
    if (error.status === 0) return this.t('unreachable')
    return error.message || this.t('somethingWrong')
  }

  // --- the chat -------------------------------------------------------------------

  private enterChat(outbox: chat.OutboxEntry[]): void {
    this.screen = 'chat'
    this.state = chat.newChat(outbox)
    this.confirmingEnd = false
    this.problem = null
    const rules = this.config.attachments
    this.view.showChat(rules.enabled, rules.types.join(','))
    this.persist()
    this.connect()
    this.render()
  }

  private connect(): void {
    this.socket?.stop()
    const socket = createChatSocket({
      url: (after) => socketUrl(this.env.base, this.env.key, this.token, after),
      after: () => this.state.lastId,
      onFrame: (frame) => this.onFrame(frame),
      onStatus: (status) => {
        this.socketStatus = status
        if (status !== 'open') this.state = chat.disconnected(this.state)
        this.render()
      },
      onNeverOpened: (failures) => {
        if (this.resumed && failures === STALE_AFTER_FAILURES) void this.checkSavedChat()
      },
      shouldReconnect: () => this.state.status !== 'closed',
    })
    this.socket = socket
    socket.start()
  }

  /**
   * The saved chat's socket keeps failing although the server answers: its
   * token is no good any more (the chat was removed), so start afresh.
   */
  private async checkSavedChat(): Promise<void> {
    try {
      this.config = await this.api.config()
    } catch {
      return // the server itself is away: keep trying
    }
    if (this.state.status !== 'connecting') return
    this.forget()
    this.showForm()
    this.render()
  }

  private onFrame(frame: ServerFrame): void {
    this.state = chat.receive(this.state, frame)
    if (frame.type === 'hello') this.sendAll(chat.framesOnHello(this.state))
    if (frame.type === 'closed') {
      this.confirmingEnd = false
      this.socket?.stop()
    }
    this.persist()
    this.render()
  }

  private sendAll(frames: WidgetFrame[]): void {
    for (const frame of frames) this.socket?.send(frame)
  }

  private send(text: string): boolean {
    if (this.state.status === 'closed') return false
    if ([...text].length > MAX_MESSAGE_CHARS) {
      this.update(() => (this.problem = this.t('tooLongMessage', { max: MAX_MESSAGE_CHARS })))
      return false
    }
    const clientId = chat.newClientId()
    this.problem = null
    this.state = chat.queueMessage(this.state, clientId, text, new Date().toISOString())
    if (this.state.online) this.socket?.send({ type: 'message', client_id: clientId, body: text })
    this.persist()
    this.render()
    return true
  }

  private retry(clientId: string): void {
    const before = this.state
    this.state = chat.retry(this.state, clientId)
    if (this.state === before) return
    const entry = this.state.outbox.find((e) => e.clientId === clientId)
    if (entry && this.state.online) this.socket?.send({ type: 'message', client_id: clientId, body: entry.body })
    this.persist()
    this.render()
  }

  private async upload(file: File): Promise<void> {
    const rules = this.config.attachments
    const problem = checkFile(file, rules)
    if (problem) {
      const text =
        problem === 'off'
          ? this.t('fileOff')
          : problem === 'size'
            ? this.t('fileTooLarge', { name: file.name, size: formatBytes(rules.max_bytes, this.locale) })
            : this.t('fileType', { name: file.name, types: typeNames(rules.types) })
      this.update(() => (this.problem = text))
      return
    }
    const clientId = chat.newClientId()
    this.update(() => {
      this.problem = null
      this.state = chat.queueUpload(this.state, clientId, file.name, new Date().toISOString())
    })
    try {
      const message = await this.api.upload(this.token, file, file.name, clientId)
      this.update(() => (this.state = chat.receive(this.state, message)))
    } catch (e) {
      const error = e instanceof WidgetError ? e : new WidgetError(0, 'internal', '')
      this.update(() => {
        this.state = chat.dropPending(this.state, clientId)
        this.problem = this.errorText(error)
      })
    }
  }

  private endChat(): void {
    this.confirmingEnd = false
    this.state = chat.requestClose(this.state)
    if (this.state.online) this.socket?.send({ type: 'close' })
    this.render()
  }

  private async newChat(): Promise<void> {
    this.forget()
    this.state = chat.newChat()
    try {
      this.config = await this.api.config()
    } catch {
      // The form of the configuration we have; starting will say what is wrong.
    }
    this.showForm()
    this.view.setOpen(this.open, true)
    this.render()
  }

  private forget(): void {
    this.socket?.stop()
    this.socket = null
    this.token = ''
    this.chatId = 0
    this.resumed = false
    forgetChat(this.env.storage, this.env.key)
  }

  // --- drawing and reporting ------------------------------------------------------

  private update(change: () => void): void {
    change()
    this.render()
  }

  private persist(): void {
    if (!this.token) return
    saveChat(this.env.storage, this.env.key, { token: this.token, chatId: this.chatId, outbox: this.state.outbox, open: this.open })
  }

  private render(): void {
    if (this.screen === 'chat') {
      this.view.renderChat({ chat: this.state, socket: this.socketStatus, confirmingEnd: this.confirmingEnd, problem: this.problem })
      this.report()
    }
    this.view.setUnseen(this.screen === 'chat' && !this.open ? chat.unseenCount(this.state) : 0)
  }

  /** Delivered for what is shown, read for what the customer can see. */
  private report(): void {
    if (this.open && document.visibilityState === 'visible') this.state = chat.markSeen(this.state)
    if (this.socket?.status !== 'open') return
    const { frames, state } = chat.reportsDue(this.state)
    this.state = state
    this.sendAll(frames)
  }
}
