// The chat stories' cast: a website owner's page on its own origin with the
// widget snippet (CustomerSite), the customer in front of it (Customer), and
// the agent at the Omni Desktop (AgentDesk). Set-up goes through the API;
// everything a story proves goes through the real UI.
import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { deflateSync } from 'node:zlib';
import { Api, advanceClock, unique } from './api';

// ---- the website owner's page --------------------------------------------------------

/**
 * A second origin (a tiny HTTP server on a free port of 127.0.0.1) serving
 * shop pages that embed a website's snippet, as a company's site would.
 */
export class CustomerSite {
  private pages = new Map<string, string>();
  private constructor(private server: Server, readonly origin: string) {}

  static async start(): Promise<CustomerSite> {
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    const site = new CustomerSite(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      const html = site.pages.get(req.url ?? '');
      res.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html ?? 'not found');
    });
    return site;
  }

  /** Publishes a shop page with the snippet; returns its URL. */
  publish(snippet: string, shopName: string): string {
    const path = `/shop/${this.pages.size + 1}`;
    this.pages.set(path, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${shopName}</title>
<style>body{font:16px system-ui;margin:0}header{background:#1f2937;color:#fff;padding:1rem 2rem}main{padding:2rem}</style>
</head><body><header><h1>${shopName}</h1></header>
<main><p>Handmade ceramics, shipped in two days.</p></main>
${snippet}
</body></html>`);
    return this.origin + path;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}

export interface ChatSite {
  queue: { id: number; name: string };
  website: { id: number; name: string };
  /** The agents working the website's queue, all with password PASSWORD. */
  agents: { id: number; username: string; full_name: string }[];
  /** The shop page on the customer site. */
  url: string;
}

export const PASSWORD = 'Ready-Pass1';
const NAMES = ['Mario Rossi', 'Giulia Bianchi', 'Luca Verdi'];

/**
 * A ring-all chat queue with its agents and a website on it whose widget
 * is allowed on the customer site's origin; the shop page embeds the
 * snippet the server gives for it.
 */
export async function chatSite(
  api: Api,
  customerSite: CustomerSite,
  opts: { agents?: number; website?: Record<string, unknown> } = {},
): Promise<ChatSite> {
  const queue = await api.call('POST', '/queues', { name: unique('Chat q'), channel: 'chat', strategy: 'ring_all' });
  const agents = [];
  for (let i = 0; i < (opts.agents ?? 1); i++) {
    const agent = await api.readyAgent(unique(`chat${i + 1}`), PASSWORD, [queue.id]);
    // A person's name: the customer sees its first word.
    agents.push(await api.call('PATCH', `/agents/${agent.id}`, { full_name: NAMES[i % NAMES.length] }));
  }
  const website = await api.call('POST', '/websites', {
    name: unique('Shop'),
    queue_id: queue.id,
    allowed_origins: [customerSite.origin],
    ...opts.website,
  });
  const { html } = await api.call('GET', `/websites/${website.id}/snippet`);
  // Every test's customer comes from 127.0.0.1, and the widget allows an
  // address 5 new chats in 10 minutes (one more every 2 minutes): the
  // server's clock moves 2 minutes on, before anyone is on screen, so this
  // test's chat has its allowance whatever ran before.
  await advanceClock(120);
  return { queue, website, agents, url: customerSite.publish(html, website.name) };
}

/** A small, valid PNG (a coloured square), as a file to attach. */
export function png(name: string, rgb: [number, number, number] = [37, 99, 235], size = 48) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  const buffer = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { name, mimeType: 'image/png', buffer };
}

// ---- the customer -----------------------------------------------------------------------

/** The customer on the shop page, talking through the widget. */
export class Customer {
  readonly widget: Locator;
  readonly status: Locator;
  readonly messages: Locator;

  private constructor(readonly page: Page) {
    this.widget = page.getByTestId('sb-widget');
    this.status = this.widget.getByTestId('sb-status');
    this.messages = this.widget.getByTestId('sb-messages');
  }

  static async visit(browser: Browser, url: string): Promise<Customer> {
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(url);
    const customer = new Customer(page);
    await expect(customer.widget.getByTestId('sb-launcher')).toBeVisible();
    return customer;
  }

  /** Opens the chat panel from the floating button. */
  async open() {
    await this.widget.getByTestId('sb-launcher').click();
    await expect(this.widget.getByTestId('sb-panel')).toBeVisible();
  }

  /** The form the panel shows (online or offline), once loaded. */
  form(kind: 'online' | 'offline') {
    return this.widget.locator(`[data-testid="sb-form"][data-kind="${kind}"]`);
  }

  /** Fills the form's fields by their labels and submits it. */
  async submitForm(kind: 'online' | 'offline', fields: Record<string, string>) {
    const form = this.form(kind);
    await expect(form).toBeVisible();
    for (const [label, value] of Object.entries(fields)) await form.getByLabel(label).fill(value);
    await form.getByTestId('sb-start').click();
  }

  /** Starts a chat with the online form; the chat then waits for an agent. */
  async startChat(name: string, email: string) {
    await this.submitForm('online', { Name: name, Email: email });
    await expect(this.status).toHaveAttribute('data-state', 'waiting');
  }

  /** Writes a message and waits until the server has stored it. */
  async say(text: string) {
    await this.widget.getByTestId('sb-message-input').fill(text);
    await this.widget.getByTestId('sb-message-input').press('Enter');
    await expect(this.mine(text)).toHaveAttribute('data-id', /\d+/);
  }

  /** Sends a file from the paperclip and waits until it is stored. */
  async sendFile(file: { name: string; mimeType: string; buffer: Buffer }) {
    const before = await this.widget.locator('[data-testid="sb-message"][data-direction="in"] [data-testid="sb-attachment"]').count();
    await this.widget.getByTestId('sb-file-input').setInputFiles(file);
    const sent = this.widget.locator('[data-testid="sb-message"][data-direction="in"]').filter({ has: this.page.getByTestId('sb-attachment') });
    await expect(sent).toHaveCount(before + 1);
    await expect(sent.last()).toHaveAttribute('data-id', /\d+/);
    await expect(sent.last().getByRole('img', { name: file.name })).toBeVisible();
  }

  /** The customer's own message with this text. */
  mine(text: string) {
    return this.widget.locator('[data-testid="sb-message"][data-direction="in"]').filter({ hasText: text });
  }

  /** The agent's message with this text. */
  fromAgent(text: string) {
    return this.widget.locator('[data-testid="sb-message"][data-direction="out"]').filter({ hasText: text });
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `test-results/screens/${name}.png` });
  }

  async close() {
    await this.page.context().close();
  }
}

// ---- the agent -------------------------------------------------------------------------------

/** Signs a staff member in; agents land on the desktop, users on the console. */
export async function signIn(browser: Browser, username: string, password = PASSWORD): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/** An agent at the Omni Desktop, logged in to his queues. */
export class AgentDesk {
  readonly conversation: Locator;
  readonly composer: Locator;

  private constructor(readonly page: Page, readonly username: string) {
    this.conversation = page.getByTestId('conversation');
    this.composer = page.getByTestId('composer-input');
  }

  /** Signs in and logs in to the queues with the profile (Personal: his own queues). */
  static async open(browser: Browser, username: string, profile = 'Personal'): Promise<AgentDesk> {
    const page = await signIn(browser, username);
    await expect(page).toHaveURL(/\/desktop/);
    await page.getByLabel('Profile', { exact: true }).click();
    await page.getByRole('option', { name: profile }).click();
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByTestId('presence-state')).toHaveAttribute('data-state', 'ready');
    return new AgentDesk(page, username);
  }

  /** The offer of an interaction (any, when no id is given). */
  offer(id?: number) {
    return id === undefined
      ? this.page.getByTestId('offer-card')
      : this.page.locator(`[data-testid="offer-card"][data-interaction-id="${id}"]`);
  }

  /** Waits for the one offer on his desk and returns its interaction's id. */
  async awaitOffer(): Promise<number> {
    await expect(this.offer()).toHaveCount(1);
    return Number(await this.offer().getAttribute('data-interaction-id'));
  }

  /** Accepts the offer: the interaction's tab opens on its conversation. */
  async accept(id: number) {
    await this.offer(id).getByRole('button', { name: 'Accept' }).click();
    await expect(this.page).toHaveURL(new RegExp(`/desktop/interactions/${id}$`));
    await expect(this.page.getByTestId(`desk-tab-${id}`)).toBeVisible();
    await expect(this.conversation).toHaveAttribute('data-interaction-id', String(id));
  }

  tab(id: number) {
    return this.page.getByTestId(`desk-tab-${id}`);
  }

  /** A message of the conversation on screen, in (from the customer) or out. */
  message(direction: 'in' | 'out', text: string) {
    return this.conversation.locator(`[data-testid="conversation-message"][data-direction="${direction}"]`).filter({ hasText: text });
  }

  note(text: string) {
    return this.conversation.getByTestId('note-item').filter({ hasText: text });
  }

  status() {
    return this.conversation.getByTestId('conversation-status');
  }

  /** Replies to the customer (Enter sends) and waits for the message to be stored. */
  async reply(text: string) {
    await this.composer.fill(text);
    await this.composer.press('Enter');
    await expect(this.message('out', text).getByTestId('message-delivery')).toHaveAttribute('data-state', /sent|delivered|read/);
  }

  /** Sends a file (with an optional caption) from the paperclip. */
  async sendFile(file: { name: string; mimeType: string; buffer: Buffer }, caption = '') {
    await this.page.getByTestId('composer-file-input').setInputFiles(file);
    await expect(this.page.getByTestId('composer-file')).toContainText(file.name);
    if (caption) await this.composer.fill(caption);
    await this.page.getByTestId('composer-send').click();
    await expect(this.page.getByTestId('composer-file')).toHaveCount(0);
    const sent = this.conversation.locator('[data-testid="conversation-message"][data-direction="out"]').filter({
      has: this.page.getByTestId('message-attachment').getByAltText(file.name),
    });
    await expect(sent.getByTestId('message-delivery')).toHaveAttribute('data-state', /sent|delivered|read/);
  }

  /** Writes an internal note (the toggle goes back to replies afterwards). */
  async addNote(text: string) {
    await this.page.getByTestId('composer-note-toggle').click();
    await this.composer.fill(text);
    await this.page.getByTestId('composer-send').click();
    await expect(this.note(text)).toBeVisible();
    await this.page.getByTestId('composer-note-toggle').click();
  }

  /** Ticks a tag in the tags popover. */
  async tag(name: string) {
    await this.page.getByTestId('tag-button').click();
    const picker = this.page.getByTestId('tag-picker');
    await picker.getByRole('option', { name }).click();
    await expect(picker.getByRole('option', { name })).toHaveAttribute('aria-selected', 'true');
    await this.page.keyboard.press('Escape');
    await expect(picker).toBeHidden();
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `test-results/screens/${name}.png` });
  }

  async close() {
    await this.page.context().close();
  }
}

/** An admin-created user (supervisor) with a profile over the queues, first password change done. */
export async function readySupervisor(api: Api, username: string, fullName: string, rights: Record<string, string[]>, queueIds: number[]) {
  const profile = await api.call('POST', '/user-profiles', { name: unique('Supervisors'), rights, queue_ids: queueIds });
  const user = await api.call('POST', '/users', {
    kind: 'user', username, full_name: fullName, email: '', password: 'Temp-Pass1', user_profile_id: profile.id,
  });
  const own = new Api();
  await own.login(username, 'Temp-Pass1');
  await own.call('POST', '/auth/password', { current_password: 'Temp-Pass1', new_password: PASSWORD });
  return user;
}
