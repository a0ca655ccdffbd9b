// A small API client for test set-up: the browser tests act through the UI,
// and use this only to arrange the state a story starts from.
import { ADMIN_PASSWORD } from '../global-setup';

export class Api {
  private cookie = '';
  private csrf = '';
  constructor(private base = process.env.E2E_BASE_URL!) {}

  static async admin(): Promise<Api> {
    const api = new Api();
    await api.login('admin', ADMIN_PASSWORD);
    return api;
  }

  async login(username: string, password: string) {
    const r = await fetch(this.base + '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
    this.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
    this.csrf = (await r.json()).csrf_token;
  }

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(this.base + '/api/v1' + path, {
      method,
      headers: { 'Content-Type': 'application/json', Cookie: this.cookie, 'X-CSRF-Token': this.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Creates an agent whose first sign-in forces a password change. */
  async createAgent(username: string, email = '', password = 'Temp-Pass1') {
    return this.call('POST', '/agents', { username, full_name: `Agent ${username}`, email, password });
  }

  /** Creates an agent ready to sign in with `password` (first change done). */
  async readyAgent(username: string, password = 'Ready-Pass1', queueIds: number[] = []) {
    const agent = await this.createAgent(username);
    const own = new Api();
    await own.login(username, 'Temp-Pass1');
    await own.call('POST', '/auth/password', { current_password: 'Temp-Pass1', new_password: password });
    if (queueIds.length) await this.call('PUT', `/agents/${agent.id}/queues`, { queue_ids: queueIds });
    return agent;
  }

  /** Signs in as another principal (an agent, say), for what he does through the API. */
  static async as(username: string, password = 'Ready-Pass1'): Promise<Api> {
    const api = new Api();
    await api.login(username, password);
    return api;
  }

  /** A contact list with custom fields ({key, label, type, options?, required?}). */
  async contactList(name: string, fields: Record<string, unknown>[] = []) {
    const list = await this.call('POST', '/lists', { name });
    for (const [position, field] of fields.entries()) {
      await this.call('POST', `/lists/${list.id}/fields`, { position, ...field });
    }
    return list;
  }

  async security(patch: Record<string, unknown>) {
    const cur = await this.call('GET', '/settings/security');
    return this.call('PUT', '/settings/security', { ...cur, ...patch });
  }
}

/** A unique suffix so each test's accounts are its own. */
export function unique(prefix: string) {
  return `${prefix}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/**
 * Moves the server's clock forward (the e2e build only), firing the timers
 * that come due: offer and transfer timeouts, say, without waiting for them.
 */
export async function advanceClock(seconds: number) {
  const r = await fetch(process.env.E2E_BASE_URL + '/test/clock/advance', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  if (r.status !== 204) throw new Error(`advance clock: ${r.status} ${await r.text()}`);
}
