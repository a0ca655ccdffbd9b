import { expect, test } from '@playwright/test';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, unique } from './api';
import { signInAsAdmin } from './admin-helpers';

test.use({ baseURL: process.env.E2E_BASE_URL });

/** A business number no other test's account has (they must be unique). */
function businessNumber() {
  return '+39333' + String(Math.floor(1e6 + Math.random() * 9e6));
}

async function whatsappQueue(api: Api) {
  return api.call('POST', '/queues', { name: unique('WhatsApp q'), channel: 'whatsapp', strategy: 'ring_all' });
}

test('an admin creates a Meta WhatsApp account, sees its webhook URL, and adds a template with two parameters for agents', async ({ page }) => {
  const api = await Api.admin();
  const queue = await whatsappQueue(api);
  const name = unique('Sales WA');
  await signInAsAdmin(page);

  await page.getByRole('link', { name: 'WhatsApp accounts' }).click();
  await expect(page).toHaveURL(/\/admin\/whatsapp$/);
  await page.getByRole('button', { name: 'New WhatsApp account' }).click();
  await expect(page).toHaveURL(/\/admin\/whatsapp\/new$/);
  // No webhook URL before the account exists.
  await expect(page.getByTestId('whatsapp-webhook')).toContainText('once the account is created');

  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Business number').fill(businessNumber());
  await page.getByTestId('wa-queue').click();
  await page.getByRole('option', { name: queue.name }).click();
  // Meta is the default provider; Twilio's fields are not shown.
  await expect(page.getByLabel('Account SID')).toHaveCount(0);
  await page.getByLabel('WhatsApp Business Account ID').fill('102290129340398');
  await page.getByLabel('Access token').fill('EAAG-test-token');
  await page.getByLabel('App secret').fill('app-secret-1');
  await page.getByLabel('Verify token').fill('verify-me-please');

  // Bad input first: the missing phone number ID is named on its field.
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('#wa-phone-number-id-error')).toHaveText('is required');
  await expect(page.getByLabel('Phone number ID')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/admin\/whatsapp\/new$/);

  await page.getByLabel('Phone number ID').fill('106540352242922');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/admin\/whatsapp\/\d+$/);
  await expect(page.getByText(`WhatsApp account ${name} created.`)).toBeVisible();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  // The webhook URL to paste into Meta, with where to paste it and the verify token.
  await expect(page.getByTestId('wa-webhook-url')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/webhooks\/whatsapp\/[\w-]{32}$/);
  await expect(page.getByTestId('wa-webhook-help')).toContainText('Callback URL');
  await expect(page.getByTestId('wa-webhook-help')).toContainText('Verify token');
  // Secrets are never shown back: only that they are set.
  for (const secret of ['access_token', 'app_secret', 'verify_token']) {
    await expect(page.getByTestId(`wa-${secret}-set`)).toHaveText('Set');
  }
  await expect(page.getByTestId('whatsapp-provider').locator('input[type="password"]')).toHaveCount(0);
  const id = Number(page.url().split('/').pop());
  const saved = await api.call('GET', `/whatsapp-accounts/${id}`);
  expect(saved).toMatchObject({ provider: 'meta', phone_number_id: '106540352242922', queue_id: queue.id, access_token_set: true });

  // A template with two parameters, its preview filled with samples.
  await page.getByRole('tab', { name: 'Templates' }).click();
  await expect(page).toHaveURL(/tab=templates/);
  await page.getByRole('button', { name: 'New template' }).click();
  const dialog = page.getByRole('dialog', { name: 'New template' });
  await dialog.getByLabel('Name').fill('order_shipped');
  await dialog.getByLabel('Language').fill('en_US');
  await dialog.getByLabel('Body').fill('Hello {{1}}, your order {{3}} has shipped.');
  await expect(dialog.getByTestId('template-parameter-count')).toHaveText('Parameter {{2}} is missing: number them from 1 without a gap.');
  await dialog.getByLabel('Body').fill('Hello {{1}}, your order {{2}} has shipped.');
  await expect(dialog.getByTestId('template-parameter-count')).toHaveText('2 parameters');
  await expect(dialog.getByTestId('template-preview')).toHaveText('Hello {{1}}, your order {{2}} has shipped.');
  await dialog.getByLabel('Sample value of parameter 1').fill('Anna');
  await dialog.getByLabel('Sample value of parameter 2').fill('A-1027');
  await expect(dialog.getByTestId('template-preview')).toHaveText('Hello Anna, your order A-1027 has shipped.');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Template order_shipped created.')).toBeVisible();

  const row = page.getByTestId('templates-table').getByRole('row').filter({ hasText: 'order_shipped' });
  await expect(row.getByTestId('template-parameters')).toHaveText('2');
  await expect(row.getByTestId('template-status')).toHaveText('Approved');
  // Available for agents: saved at the flip.
  await row.getByRole('switch', { name: 'order_shipped (en_US) available for agents' }).click();
  await expect(page.getByText('order_shipped is available for agents.')).toBeVisible();
  await expect
    .poll(async () => (await api.call('GET', `/whatsapp-accounts/${id}/templates`)).items[0])
    .toMatchObject({ name: 'order_shipped', parameter_count: 2, available_for_agents: true });

  // The list shows the account.
  await page.getByRole('link', { name: 'All WhatsApp accounts' }).click();
  const listed = page.getByTestId('whatsapp-accounts-table').getByRole('row').filter({ hasText: name });
  await expect(listed).toContainText('Meta Cloud API');
  await expect(listed).toContainText(queue.name);
  await expect(listed.getByTestId('whatsapp-account-enabled')).toHaveText('On');
});

/** A fake of the Graph API's message_templates, in Meta's shape, on two pages; only "good-token" is accepted. */
function fakeGraph(waba: string) {
  const seen: { path: string; auth: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    seen.push({ path: url.pathname, auth: req.headers.authorization ?? '' });
    res.setHeader('Content-Type', 'application/json');
    if (req.method !== 'GET' || url.pathname !== `/v21.0/${waba}/message_templates`) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } }));
      return;
    }
    if (req.headers.authorization !== 'Bearer good-token') {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 } }));
      return;
    }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${url.pathname}`;
    if (url.searchParams.get('after') !== 'page2') {
      res.end(JSON.stringify({
        data: [{
          id: '1001', name: 'appointment_reminder', language: 'it', category: 'UTILITY', status: 'APPROVED',
          components: [{ type: 'HEADER', text: 'Promemoria' }, { type: 'BODY', text: 'Ciao {{1}}, ti aspettiamo il {{2}} alle {{3}}.' }],
        }],
        paging: { cursors: { after: 'page2' }, next: `${base}?after=page2` },
      }));
      return;
    }
    res.end(JSON.stringify({
      data: [{
        id: '1002', name: 'welcome_back', language: 'en_US', category: 'MARKETING', status: 'PENDING',
        components: [{ type: 'BODY', text: 'Welcome back! Reply to this message to talk to us.' }],
      }],
      paging: { cursors: { before: 'page2' } },
    }));
  });
  return { server, seen };
}

test('syncing templates from Meta shows its refusal, then lists what it has', async ({ page }) => {
  const waba = String(Math.floor(1e14 + Math.random() * 9e14));
  const graph = fakeGraph(waba);
  await new Promise<void>((resolve) => graph.server.listen(0, '127.0.0.1', resolve));
  try {
    const api = await Api.admin();
    const queue = await whatsappQueue(api);
    const account = await api.call('POST', '/whatsapp-accounts', {
      name: unique('Sync WA'), provider: 'meta', phone_number: businessNumber(), queue_id: queue.id,
      phone_number_id: '106540352242923', business_account_id: waba,
      access_token: 'expired-token', app_secret: 'app-secret-2', verify_token: 'verify-2',
      api_base_url: `http://127.0.0.1:${(graph.server.address() as AddressInfo).port}`,
    });
    await signInAsAdmin(page);
    await page.goto(`/admin/whatsapp/${account.id}?tab=templates`);
    await expect(page.getByTestId('templates-table')).toContainText('No templates yet.');

    // A bad token: Meta's own reason is shown.
    await page.getByRole('button', { name: 'Sync from Meta' }).click();
    await expect(page.getByTestId('sync-result')).toContainText('Meta refused to list the templates: Invalid OAuth access token');

    // The admin replaces the token (it is never shown, only replaced) and syncs again.
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Replace Access token' }).click();
    await page.getByLabel('Access token').fill('good-token');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(`WhatsApp account ${account.name} saved.`)).toBeVisible();
    await expect(page.getByTestId('wa-access_token-set')).toBeVisible();

    await page.getByRole('tab', { name: 'Templates' }).click();
    await page.getByRole('button', { name: 'Sync from Meta' }).click();
    await expect(page.getByTestId('sync-result')).toHaveText('Synced from Meta: 2 added, none updated.');
    const table = page.getByTestId('templates-table');
    const reminder = table.getByRole('row').filter({ hasText: 'appointment_reminder' });
    await expect(reminder).toContainText('it');
    await expect(reminder.getByTestId('template-parameters')).toHaveText('3');
    await expect(reminder.getByTestId('template-status')).toHaveText('Approved');
    const welcome = table.getByRole('row').filter({ hasText: 'welcome_back' });
    await expect(welcome.getByTestId('template-status')).toHaveText('Pending');
    // New ones wait for an admin before agents see them.
    await expect(reminder.getByRole('switch')).not.toBeChecked();

    // A second sync refreshes them.
    await page.getByRole('button', { name: 'Sync from Meta' }).click();
    await expect(page.getByTestId('sync-result')).toHaveText('Synced from Meta: none added, 2 updated.');
    expect(graph.seen.filter((s) => s.auth === 'Bearer good-token').map((s) => s.path)).toEqual(
      Array(4).fill(`/v21.0/${waba}/message_templates`),
    );
  } finally {
    graph.server.close();
  }
});
