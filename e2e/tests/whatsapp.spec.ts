// WhatsApp at the Omni Desktop (issue 7): a customer's message arrives by
// Meta's webhook, the agent accepts it and replies, the reply leaves
// through the outbox to the Graph API (played here by a small node server)
// and the "delivered" status turns its checkmark double. Then the 24-hour
// window closes: the composer offers only templates, and the template goes
// out as a template message.
import { expect, test, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Api, advanceClock, unique } from './api';
import { AgentDesk, PASSWORD, signIn } from './chat-helpers';

const GRAPH_VERSION = 'v21.0';
const APP_SECRET = 'e2e-app-secret';

/** What the fake Graph API was asked to send: the path and the JSON body. */
interface GraphSend {
  path: string;
  body: any;
}

/**
 * Meta's WhatsApp Cloud API as far as sending goes: POST
 * /{version}/{phone-number-id}/messages answers Meta's shape with a new
 * wamid, and every request is kept for the test to read.
 */
class FakeGraph {
  readonly sends: GraphSend[] = [];
  private seq = 0;
  private constructor(private server: Server, readonly url: string) {}

  static async start(): Promise<FakeGraph> {
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const graph = new FakeGraph(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    server.on('request', (req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const m = /^\/(v[0-9.]+)\/([0-9]+)\/messages$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !m || req.headers.authorization !== 'Bearer e2e-token') {
          res.writeHead(404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'Unknown path', type: 'OAuthException', code: 803 } }));
          return;
        }
        const body = JSON.parse(raw);
        graph.sends.push({ path: req.url!, body });
        const id = `wamid.e2e${++graph.seq}`;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] }));
      });
    });
    return graph;
  }

  /** The wamid the fake gave the n-th send (1-based). */
  idOf(n: number) {
    return `wamid.e2e${n}`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}

/** A WhatsApp Business account on Meta, its queue and an agent with WhatsApp capacity in it. */
async function whatsappSite(api: Api, graph: FakeGraph) {
  const queue = await api.call('POST', '/queues', { name: unique('WhatsApp q'), channel: 'whatsapp', strategy: 'ring_all' });
  const username = unique('wa');
  const agent = await api.readyAgent(username, PASSWORD, [queue.id]);
  await api.call('PATCH', `/agents/${agent.id}`, { full_name: 'Giulia Bianchi', channels: { whatsapp: { capacity: 2 } } });
  const phoneNumberId = String(100000 + Math.floor(Math.random() * 900000));
  const account = await api.call('POST', '/whatsapp-accounts', {
    name: unique('WhatsApp IT'),
    queue_id: queue.id,
    provider: 'meta',
    phone_number: `+1555${Math.floor(1000000 + Math.random() * 8999999)}`,
    phone_number_id: phoneNumberId,
    business_account_id: '222333',
    access_token: 'e2e-token',
    app_secret: APP_SECRET,
    verify_token: 'e2e-verify',
    api_base_url: graph.url,
  });
  return { queue, username, account, phoneNumberId };
}

/** Posts a Meta notification to the account's webhook, signed as Meta signs it. */
async function webhook(url: string, phoneNumberId: string, value: Record<string, unknown>) {
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '222333', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId }, ...value } }] }],
  });
  const signature = 'sha256=' + createHmac('sha256', APP_SECRET).update(raw).digest('hex');
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature }, body: raw });
  expect(r.status, await r.text()).toBe(200);
}

const customerSays = (from: string, id: string, text: string) => ({
  contacts: [{ profile: { name: 'Anna Rossi' }, wa_id: from }],
  messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
});

const statusOf = (id: string, status: string, to: string) => ({
  statuses: [{ id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: to }],
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png` });
}

test.describe('WhatsApp at the desktop', () => {
  let graph: FakeGraph;
  test.beforeAll(async () => {
    graph = await FakeGraph.start();
  });
  test.afterAll(async () => {
    await graph.stop();
  });

  test('a message by webhook is accepted and answered; "delivered" makes the checkmark double; after 24 h only a template', async ({ browser }) => {
    const api = await Api.admin();
    const site = await whatsappSite(api, graph);
    const customer = `39333${Math.floor(1000000 + Math.random() * 8999999)}`;
    let desk = await AgentDesk.open(browser, site.username);

    // The customer writes: the agent is offered the conversation and takes it.
    await webhook(site.account.webhook_url, site.phoneNumberId, customerSays(customer, `wamid.in.${customer}`, 'Is my order on its way?'));
    const id = await desk.awaitOffer();
    await desk.accept(id);
    await expect(desk.message('in', 'Is my order on its way?')).toBeVisible();
    await expect(desk.conversation.getByTestId('whatsapp-window')).toHaveAttribute('data-state', 'open');
    await expect(desk.conversation.getByTestId('whatsapp-window')).toContainText(/23 h 5\d min|24 h 0 min/);

    // He replies: the Graph API receives a text message to the customer.
    const sendsBefore = graph.sends.length;
    await desk.composer.fill('Yes, it left this morning.');
    await desk.composer.press('Enter');
    const reply = desk.message('out', 'Yes, it left this morning.');
    await expect(reply.getByTestId('message-delivery')).toHaveAttribute('data-state', 'sent');
    expect(graph.sends.length).toBe(sendsBefore + 1);
    const sent = graph.sends[sendsBefore]!;
    expect(sent.path).toBe(`/${GRAPH_VERSION}/${site.phoneNumberId}/messages`);
    expect(sent.body).toMatchObject({ messaging_product: 'whatsapp', to: customer, type: 'text', text: { body: 'Yes, it left this morning.' } });
    // One check while only sent.
    await expect(reply.getByTestId('message-delivery').locator('path')).toHaveCount(1);

    // Meta reports it delivered: two checks.
    await webhook(site.account.webhook_url, site.phoneNumberId, statusOf(graph.idOf(sendsBefore + 1), 'delivered', customer));
    await expect(reply.getByTestId('message-delivery')).toHaveAttribute('data-state', 'delivered');
    await expect(reply.getByTestId('message-delivery').locator('path')).toHaveCount(2);
    await shot(desk.page, 'whatsapp-delivered');

    // 25 hours later the window has closed. The session may have ended: sign in again.
    const template = await api.call('POST', `/whatsapp-accounts/${site.account.id}/templates`, {
      name: 'order_update', language: 'en_US', category: 'UTILITY', status: 'approved', available_for_agents: true,
      body: 'Hello {{1}}, your order {{2}} is on its way.',
    });
    await advanceClock(25 * 3600);
    await desk.close();
    const page = await signIn(browser, site.username);
    await page.goto(`/desktop/interactions/${id}`);
    const conversation = page.getByTestId('conversation');
    await expect(conversation).toHaveAttribute('data-interaction-id', String(id));

    // He writes as before: WhatsApp's window has closed, the server refuses
    // free text (409), and the composer offers only templates.
    const composer = page.getByTestId('composer-input');
    await composer.fill('Are you still there?');
    await composer.press('Enter');
    const expired = page.getByTestId('window-expired-composer');
    await expect(expired).toBeVisible();
    await expect(page.getByTestId('composer-error')).toHaveCount(0);
    await expect(expired).toContainText('The 24-hour window has expired: send a template.');
    await expect(page.getByTestId('whatsapp-window')).toHaveAttribute('data-state', 'closed');
    await expect(page.getByTestId('recontact-button')).toBeVisible();
    // What is left of the reply box is for internal notes, with the text he had typed.
    await expect(page.getByTestId('composer-send')).toHaveText(/Add note/);
    await expect(composer).toHaveValue('Are you still there?');
    await composer.fill('');

    await page.getByTestId('template-select').click();
    await page.getByRole('option', { name: /order_update · en_US/ }).click();
    await page.getByTestId('template-param-1').fill('Anna');
    await expect(page.getByTestId('template-preview')).toContainText('Hello Anna, your order {{2}} is on its way.');
    await expect(page.getByTestId('template-send')).toBeDisabled();
    await page.getByTestId('template-param-2').fill('A-1729');
    await expect(page.getByTestId('template-preview')).toContainText('Hello Anna, your order A-1729 is on its way.');
    await shot(page, 'whatsapp-template');
    const before = graph.sends.length;
    await page.getByTestId('template-send').click();

    const templated = conversation.locator('[data-testid="conversation-message"][data-direction="out"]').filter({ hasText: 'Hello Anna, your order A-1729 is on its way.' });
    await expect(templated.getByTestId('message-delivery')).toHaveAttribute('data-state', 'sent');
    expect(graph.sends.length).toBe(before + 1);
    expect(graph.sends[before]!.body).toMatchObject({
      to: customer,
      type: 'template',
      template: { name: template.name, language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }, { type: 'text', text: 'A-1729' }] }] },
    });
    await shot(page, 'whatsapp-template-sent');
    await page.context().close();
  });

  test('the + of the WhatsApp list checks a number: an unknown one needs a template, his own conversation is opened', async ({ browser }) => {
    const api = await Api.admin();
    const site = await whatsappSite(api, graph);
    await api.call('POST', `/whatsapp-accounts/${site.account.id}/templates`, {
      name: 'welcome', language: 'it', category: 'MARKETING', status: 'approved', available_for_agents: true,
      body: 'Ciao {{1}}, come possiamo aiutarti?',
    });
    const desk = await AgentDesk.open(browser, site.username);
    await desk.page.goto('/desktop/whatsapp');
    await desk.page.getByTestId('new-whatsapp-button').click();
    const dialog = desk.page.getByTestId('new-whatsapp-dialog');
    await expect(dialog).toBeVisible();
    await desk.page.getByTestId('new-whatsapp-account').click();
    await desk.page.getByRole('option', { name: site.account.name }).click();

    // A bad number is named on its field.
    await desk.page.getByTestId('new-whatsapp-number').fill('12');
    await desk.page.getByTestId('new-whatsapp-check').click();
    await expect(dialog.locator('.field-error')).toContainText('international format');

    // A number that never wrote: not a contact, templates only, with the preview.
    await desk.page.getByTestId('new-whatsapp-number').fill('+39 347 555 0101');
    await desk.page.getByTestId('new-whatsapp-check').click();
    await expect(dialog.getByTestId('new-whatsapp-contact')).toHaveAttribute('data-known', 'no');
    await expect(dialog.getByTestId('new-whatsapp-template')).toBeVisible();
    await expect(dialog.getByTestId('new-whatsapp-text')).toHaveCount(0);
    await dialog.getByTestId('template-param-1').fill('Marco');
    await expect(dialog.getByTestId('template-preview')).toContainText('Ciao Marco, come possiamo aiutarti?');
    await shot(desk.page, 'whatsapp-new-outbound');
    await desk.page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // A customer he is already talking to: his own conversation is opened, not a second one.
    const customer = `39333${Math.floor(1000000 + Math.random() * 8999999)}`;
    await webhook(site.account.webhook_url, site.phoneNumberId, customerSays(customer, `wamid.in.${customer}`, 'Hello?'));
    const id = await desk.awaitOffer();
    await desk.accept(id);
    await desk.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'WhatsApp' }).click();
    // The account he wrote from is chosen again.
    await desk.page.getByTestId('new-whatsapp-button').click();
    await expect(desk.page.getByTestId('new-whatsapp-account')).toContainText(site.account.name);
    await desk.page.getByTestId('new-whatsapp-number').fill(`+${customer}`);
    await desk.page.getByTestId('new-whatsapp-check').click();
    await expect(dialog.getByTestId('new-whatsapp-own')).toContainText(`#${id}`);
    await dialog.getByTestId('new-whatsapp-open').click();
    await expect(desk.page).toHaveURL(new RegExp(`/desktop/interactions/${id}$`));
    await expect(desk.message('in', 'Hello?')).toBeVisible();

    // A number that never wrote: he starts the conversation with the template,
    // lands in it, and the template goes out to the number.
    await desk.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'WhatsApp' }).click();
    await desk.page.getByTestId('new-whatsapp-button').click();
    await expect(desk.page.getByTestId('new-whatsapp-account')).toContainText(site.account.name);
    await desk.page.getByTestId('new-whatsapp-number').fill('+39 347 555 0102');
    await desk.page.getByTestId('new-whatsapp-check').click();
    await dialog.getByTestId('template-param-1').fill('Giada');
    await dialog.getByTestId('template-send').click();
    await expect(desk.page).toHaveURL(/\/desktop\/interactions\/\d+$/);
    await expect(desk.message('out', 'Ciao Giada, come possiamo aiutarti?')).toBeVisible();
    await expect
      .poll(() => graph.sends.find((x) => String(x.body.to).replace('+', '') === '393475550102')?.body.type)
      .toBe('template');
    await desk.close();
  });
});
