// The widget's own texts in English and Italian (the desktop's vue-i18n is
// not loaded on a customer's page). A text's {name} is replaced by a value.

import { isLocale, type Locale } from '../src/i18n/locale'

const en = {
  openChat: 'Open the chat',
  minimise: 'Minimise the chat',
  required: 'required',
  requiredField: 'Please fill in this field.',
  invalidEmail: 'Please enter a valid email address.',
  invalidPhone: 'Please enter a valid phone number.',
  tooLong: 'This is too long.',
  chooseOption: 'Choose…',
  onlineIntro: 'Tell us who you are and an agent will be with you shortly.',
  weAreOnline: 'We are online',
  weAreOffline: 'We are offline',
  startChat: 'Start the chat',
  sendOfflineMessage: 'Send',
  sending: 'Sending…',
  offlineSentTitle: 'Message received',
  offlineSentText: 'Thank you. We will answer you as soon as we can.',
  close: 'Close',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  waiting: 'Waiting for an agent…',
  chattingWith: 'You are chatting with {name}',
  connected: 'Connected',
  chatEnded: 'Chat ended',
  agentJoined: '{name} joined the chat',
  endedByAgent: 'The chat has ended.',
  endedByCustomer: 'You ended the chat.',
  newChat: 'Start a new chat',
  endChat: 'End chat',
  endConfirm: 'End this chat?',
  endYes: 'End the chat',
  cancel: 'Cancel',
  ending: 'Ending the chat…',
  messages: 'Conversation',
  messageLabel: 'Your message',
  messagePlaceholder: 'Write a message…',
  send: 'Send',
  emoji: 'Insert an emoji',
  attach: 'Send a file',
  you: 'You',
  agent: 'Agent',
  pending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
  retry: 'Try again',
  uploading: 'Sending {name}…',
  fileOff: 'Files cannot be sent in this chat.',
  fileTooLarge: '{name} is too large: files up to {size} can be sent.',
  fileType: '{name} cannot be sent: allowed are {types}.',
  unseen: 'new messages: {count}',
  unreachable: 'The chat service cannot be reached. Please try again in a moment.',
  somethingWrong: 'Something went wrong. Please try again.',
  tooLongMessage: 'Messages can be up to {max} characters long.',
}

export type MessageKey = keyof typeof en
export type Messages = Record<MessageKey, string>

const it: Messages = {
  openChat: 'Apri la chat',
  minimise: 'Riduci la chat',
  required: 'obbligatorio',
  requiredField: 'Compila questo campo.',
  invalidEmail: 'Inserisci un indirizzo email valido.',
  invalidPhone: 'Inserisci un numero di telefono valido.',
  tooLong: 'Il testo è troppo lungo.',
  chooseOption: 'Scegli…',
  onlineIntro: 'Dicci chi sei e un operatore sarà subito da te.',
  weAreOnline: 'Siamo online',
  weAreOffline: 'Siamo offline',
  startChat: 'Inizia la chat',
  sendOfflineMessage: 'Invia',
  sending: 'Invio in corso…',
  offlineSentTitle: 'Messaggio ricevuto',
  offlineSentText: 'Grazie. Ti risponderemo appena possibile.',
  close: 'Chiudi',
  connecting: 'Connessione in corso…',
  reconnecting: 'Connessione persa. Nuovo tentativo in corso…',
  waiting: 'In attesa di un operatore…',
  chattingWith: 'Stai parlando con {name}',
  connected: 'Connesso',
  chatEnded: 'Chat terminata',
  agentJoined: '{name} è entrato nella chat',
  endedByAgent: 'La chat è terminata.',
  endedByCustomer: 'Hai terminato la chat.',
  newChat: 'Inizia una nuova chat',
  endChat: 'Termina',
  endConfirm: 'Vuoi terminare la chat?',
  endYes: 'Termina la chat',
  cancel: 'Annulla',
  ending: 'Chiusura della chat…',
  messages: 'Conversazione',
  messageLabel: 'Il tuo messaggio',
  messagePlaceholder: 'Scrivi un messaggio…',
  send: 'Invia',
  emoji: 'Inserisci un’emoji',
  attach: 'Invia un file',
  you: 'Tu',
  agent: 'Operatore',
  pending: 'Invio in corso',
  sent: 'Inviato',
  delivered: 'Consegnato',
  read: 'Letto',
  failed: 'Non inviato',
  retry: 'Riprova',
  uploading: 'Invio di {name}…',
  fileOff: 'In questa chat non si possono inviare file.',
  fileTooLarge: '{name} è troppo grande: si possono inviare file fino a {size}.',
  fileType: '{name} non si può inviare: sono ammessi {types}.',
  unseen: 'nuovi messaggi: {count}',
  unreachable: 'Il servizio di chat non è raggiungibile. Riprova tra poco.',
  somethingWrong: 'Qualcosa è andato storto. Riprova.',
  tooLongMessage: 'I messaggi possono essere lunghi al massimo {max} caratteri.',
}

export const dictionaries: Record<Locale, Messages> = { en, it }

/**
 * The customer's language: the first of the browser's languages that the
 * widget speaks, else the website's own locale, else English.
 */
export function widgetLocale(browserLanguages: readonly string[], siteLocale?: string | null): Locale {
  for (const language of browserLanguages) {
    const base = language.toLowerCase().split('-')[0]
    if (isLocale(base)) return base
  }
  const site = (siteLocale ?? '').toLowerCase().split('-')[0]
  return isLocale(site) ? site : 'en'
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

export function translator(locale: Locale): Translate {
  const messages = dictionaries[locale]
  return (key, values) => messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => (values && name in values ? String(values[name]) : whole))
}
