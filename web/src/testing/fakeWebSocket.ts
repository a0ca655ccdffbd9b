// The browser's WebSocket for store tests: each one made is kept, and the
// test makes it say things (store tests stub the global WebSocket with it).

export class FakeWebSocket {
  static all: FakeWebSocket[] = []
  onopen: ((e: unknown) => void) | null = null
  onmessage: ((e: { data: unknown }) => void) | null = null
  onclose: ((e: unknown) => void) | null = null
  onerror: ((e: unknown) => void) | null = null
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this)
  }
  close() {}
  say(m: unknown) {
    this.onmessage?.({ data: JSON.stringify(m) })
  }
  /** The socket opened last. */
  static last(): FakeWebSocket {
    return FakeWebSocket.all[FakeWebSocket.all.length - 1]!
  }
}
