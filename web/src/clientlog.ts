// The desktop's client log. An administrator can switch it on per agent
// (client_log.enabled and a minimum level); the desktop then sends its own
// log lines at or above that level to POST /me/client-logs, in batches, at
// most one request every few seconds. While it is off, nothing is kept.

import { LOG_LEVELS, type ClientLogLine, type ClientLogSettings, type LogLevel } from './api/types'

/** Rank of a level: ERROR 0 (most severe) … DEBUG 3. */
export function levelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level)
}

/** Whether a line of this level is kept when the minimum level is min (ERROR passes everything). */
export function passesLevel(level: LogLevel, min: LogLevel): boolean {
  return levelRank(level) <= levelRank(min)
}

/** The levels a minimum level includes, e.g. WARNING → ERROR, WARNING. */
export function includedLevels(min: LogLevel): LogLevel[] {
  return LOG_LEVELS.filter((level) => passesLevel(level, min))
}

export interface ClientLoggerOptions {
  /** Delivers a batch; a failed batch is dropped (never retried in a loop). */
  send(lines: ClientLogLine[]): Promise<unknown>
  /** Least time between two batches. */
  intervalMs?: number
  /** Most lines kept waiting; the oldest go first. */
  maxBuffer?: number
  /** Longest message kept; longer ones are cut. */
  maxMessage?: number
  now?: () => Date
}

export interface ClientLogger {
  /** Applies the agent's settings; turning it off sends what is waiting. */
  configure(settings: ClientLogSettings): void
  readonly settings: Readonly<ClientLogSettings>
  log(level: LogLevel, message: string): void
  error(message: string): void
  warn(message: string): void
  info(message: string): void
  debug(message: string): void
  /** Sends what is waiting now (e.g. when the page goes away). */
  flush(): Promise<void>
  /** Lines waiting to be sent (for tests and diagnostics). */
  pending(): number
}

export function createClientLogger(options: ClientLoggerOptions): ClientLogger {
  const intervalMs = options.intervalMs ?? 5000
  const maxBuffer = options.maxBuffer ?? 500
  const maxMessage = options.maxMessage ?? 2000
  const now = options.now ?? (() => new Date())

  let settings: ClientLogSettings = { enabled: false, level: 'ERROR' }
  let buffer: ClientLogLine[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let sending = false

  function schedule() {
    if (timer !== undefined || sending || buffer.length === 0) return
    // The first waiting line starts the clock; lines logged meanwhile join its batch.
    timer = setTimeout(() => {
      timer = undefined
      void flush()
    }, intervalMs)
  }

  async function flush(): Promise<void> {
    if (timer !== undefined) {
      clearTimeout(timer)
      timer = undefined
    }
    if (sending || buffer.length === 0) return
    const batch = buffer
    buffer = []
    sending = true
    try {
      await options.send(batch)
    } catch {
      // Dropped: a log that cannot be delivered must not make more traffic.
    } finally {
      sending = false
      schedule()
    }
  }

  function log(level: LogLevel, message: string) {
    if (!settings.enabled || !passesLevel(level, settings.level)) return
    const text = message.length > maxMessage ? message.slice(0, maxMessage) + '…' : message
    buffer.push({ at: now().toISOString(), level, message: text })
    if (buffer.length > maxBuffer) buffer.splice(0, buffer.length - maxBuffer)
    schedule()
  }

  function configure(next: ClientLogSettings) {
    const wasEnabled = settings.enabled
    settings = { enabled: next.enabled, level: (LOG_LEVELS as readonly string[]).includes(next.level) ? next.level : 'ERROR' }
    if (wasEnabled && !settings.enabled) void flush()
    // Lines below a raised level are no longer wanted.
    buffer = buffer.filter((line) => passesLevel(line.level, settings.level))
  }

  return {
    configure,
    get settings() {
      return settings
    },
    log,
    error: (m) => log('ERROR', m),
    warn: (m) => log('WARNING', m),
    info: (m) => log('INFO', m),
    debug: (m) => log('DEBUG', m),
    flush,
    pending: () => buffer.length,
  }
}

/**
 * Whether the desktop should tell the agent that logging is on: when it is
 * switched on (at load, or later) — once, not on every check.
 */
export function shouldAnnounce(previous: ClientLogSettings | null, next: ClientLogSettings): boolean {
  return next.enabled && !previous?.enabled
}

/** The path the logger posts to; its own failures are not logged again. */
export const CLIENT_LOG_PATH = '/me/client-logs'

let sink: ((lines: ClientLogLine[]) => Promise<unknown>) | null = null

/** The app's logger; its lines go wherever setClientLogSink points (the desktop sets it). */
export const clientLog = createClientLogger({
  send: (lines) => (sink ? sink(lines) : Promise.resolve()),
})

export function setClientLogSink(send: ((lines: ClientLogLine[]) => Promise<unknown>) | null): void {
  sink = send
}

/** A short text for anything thrown. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`
  try {
    return String(err)
  } catch {
    return 'unknown error'
  }
}
