import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, unique } from './api';
import { signInAsAdmin } from './admin-helpers';

// The Contact Manager's lists and CSV import in the admin console.

test.use({ baseURL: process.env.E2E_BASE_URL });

/** Picks an option of a PrimeVue Select named by its label or aria-label. */
async function choose(page: Page, control: import('@playwright/test').Locator, option: string) {
  await control.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('an admin creates a list with a required choice field and a date field, and lets an agent read it', async ({ page }) => {
  const api = await Api.admin();
  const agent = await api.createAgent(unique('list.agent'));
  const name = unique('Customers');
  await signInAsAdmin(page);

  await page.goto('/admin/lists');
  await page.getByRole('button', { name: 'New list' }).click();
  const create = page.getByRole('dialog', { name: 'New list' });
  await create.getByRole('button', { name: 'Create list' }).click();
  await expect(create.getByText('Enter a name.')).toBeVisible();
  await create.getByLabel('Name').fill(name);
  await create.getByRole('button', { name: 'Create list' }).click();
  await expect(page).toHaveURL(/\/admin\/lists\/\d+$/);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const listId = Number(page.url().match(/lists\/(\d+)/)![1]);

  // A required choice field: the key follows the label.
  await page.getByTestId('add-list-field').click();
  let dialog = page.getByRole('dialog', { name: 'Add field' });
  await dialog.getByLabel('Label').fill('Customer tier');
  await expect(dialog.getByLabel('Key')).toHaveValue('customer_tier');
  await choose(page, dialog.getByTestId('list-field-type'), 'Choice from a list');
  await dialog.getByTestId('save-list-field').click();
  await expect(dialog.getByText('Enter at least one option.')).toBeVisible();
  await dialog.getByLabel('Options').fill('Gold\nSilver\nBronze');
  await dialog.getByLabel('Required').check();
  await dialog.getByTestId('save-list-field').click();
  await expect(page.getByText('Field Customer tier added')).toBeVisible();

  // A date field, then moved above the first.
  await page.getByTestId('add-list-field').click();
  dialog = page.getByRole('dialog', { name: 'Add field' });
  await dialog.getByLabel('Label').fill('Date of birth');
  await choose(page, dialog.getByTestId('list-field-type'), 'Date');
  await dialog.getByTestId('save-list-field').click();
  await expect(page.getByText('Field Date of birth added')).toBeVisible();
  const fieldRows = page.getByTestId('list-fields').locator('tbody tr');
  await expect(fieldRows).toHaveCount(2);
  await page.getByRole('button', { name: 'Move Date of birth up' }).click();
  await expect(fieldRows.first()).toContainText('Date of birth');

  // The agent may read the list.
  await page.getByRole('button', { name: 'Add agent' }).click();
  const picker = page.getByRole('dialog', { name: `Agents of ${name}` });
  await expect(picker.getByRole('group', { name: 'Access' }).getByRole('button', { name: 'Read' })).toHaveAttribute('aria-pressed', 'true');
  await picker.getByRole('searchbox').fill(agent.username);
  await picker.getByRole('button', { name: new RegExp(agent.username) }).click();
  await expect(page.getByText(`${agent.username} may use the list`)).toBeVisible();
  await picker.getByRole('button', { name: 'Done' }).click();
  const agentRow = page.getByTestId('list-agents').getByRole('row', { name: new RegExp(agent.username) });
  await expect(agentRow.getByRole('button', { name: 'Read' })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: 'test-results/screens/contact-list.png', fullPage: true });

  // What the server keeps.
  const fields = (await api.call('GET', `/lists/${listId}/fields`)).items;
  expect(fields.map((f: any) => [f.key, f.type, f.required])).toEqual([
    ['date_of_birth', 'date', false],
    ['customer_tier', 'select', true],
  ]);
  expect(fields[1].options).toEqual(['Gold', 'Silver', 'Bronze']);
  const agents = (await api.call('GET', `/lists/${listId}/agents`)).items;
  expect(agents).toEqual([expect.objectContaining({ id: agent.id, access: 'read' })]);

  // The list is among the lists.
  await page.getByRole('link', { name: 'Back to lists' }).click();
  await page.getByRole('searchbox').fill(name);
  await expect(page.getByTestId('contact-lists-table').getByRole('link', { name })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/contact-lists.png', fullPage: true });
});

test('an admin imports a CSV: a progress bar, then the counts and the rejected rows with their reasons', async ({ page }) => {
  test.setTimeout(180_000); // 20,000 rows on a busy machine
  const api = await Api.admin();
  const list = await api.call('POST', '/lists', { name: unique('Imported') });
  await api.call('POST', `/lists/${list.id}/fields`, { key: 'tier', label: 'Tier', type: 'select', options: ['Gold', 'Silver'], required: true });
  await api.call('POST', `/lists/${list.id}/fields`, { key: 'birthday', label: 'Birthday', type: 'date' });

  // 20,000 good rows (enough for the import to take a while, so the bar
  // moves: it hears of every stored batch, a twentieth of the file); line 3
  // lacks the required tier, line 1500 has a bad date, and the last row
  // repeats the phone of the first (an update).
  const GOOD = 20000;
  const lines = ['Nome;Cognome;Telefono;E-mail;Tier;Birthday;Notes'];
  const phone = (n: number) => `+39 333 ${String(1000000 + n)}`;
  for (let n = 0; n < GOOD; n++) {
    lines.push(`Person${n};"Surname; ${n}";${phone(n)};p${n}@example.com;${n % 2 ? 'Gold' : 'silver'};1990-01-${String((n % 28) + 1).padStart(2, '0')};x`);
    if (lines.length === 2) lines.push('NoTier;Row;+39 333 9999991;;;1990-01-01;x'); // line 3
    if (lines.length === 1499) lines.push('BadDate;Row;+39 333 9999992;;Gold;31/12/1990;x'); // line 1500
  }
  lines.push(`Again;Person0;${phone(0)};;Gold;;x`);
  const dir = mkdtempSync(join(tmpdir(), 'sb-import-'));
  const csv = join(dir, 'customers.csv');
  writeFileSync(csv, '\ufeff' + lines.join('\r\n') + '\r\n');

  await signInAsAdmin(page);
  await page.goto('/admin/contacts/import');
  await choose(page, page.getByTestId('import-list'), list.name);
  await page.getByTestId('import-file').setInputFiles(csv);
  await expect(page.getByTestId('import-file-name')).toHaveText('customers.csv');

  // The guess from the header (Italian names, a custom label), and a column left out.
  await expect(page.getByTestId('map-0')).toContainText('First name');
  await expect(page.getByTestId('map-1')).toContainText('Last name');
  await expect(page.getByTestId('map-2')).toContainText('Phone');
  await expect(page.getByTestId('map-3')).toContainText('Email');
  await expect(page.getByTestId('map-4')).toContainText('Tier (custom field)');
  await expect(page.getByTestId('map-5')).toContainText('Birthday (custom field)');
  await expect(page.getByTestId('map-6')).toContainText('Ignore');
  // The quoted value with the separator inside reads as one value.
  await expect(page.locator('tr[data-column="Cognome"]')).toContainText('Surname; 0');
  await expect(page.getByTestId('import-dedup')).toContainText('phone, mobile or email');
  await page.screenshot({ path: 'test-results/screens/contact-import-mapping.png', fullPage: true });

  // Every state the progress bar shows, from the moment the import starts.
  await page.evaluate(() => {
    const seen: { status: string; processed: string; total: string; value: string }[] = [];
    (window as any).__importStates = seen;
    const record = () => {
      const job = document.querySelector('[data-testid="import-job"]');
      const bar = document.querySelector('[data-testid="import-progress"]');
      if (!job || !bar) return;
      const state = {
        status: job.getAttribute('data-status') ?? '',
        processed: bar.getAttribute('data-processed') ?? '',
        total: bar.getAttribute('data-total') ?? '',
        value: bar.getAttribute('aria-valuenow') ?? '',
      };
      const last = seen[seen.length - 1];
      if (!last || JSON.stringify(last) !== JSON.stringify(state)) seen.push(state);
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.getByTestId('start-import').click();
  await expect(page).toHaveURL(/\/admin\/contact-imports\/\d+$/);
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await expect(page.getByTestId('import-job')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const states: { status: string; processed: string; total: string; value: string }[] = await page.evaluate(() => (window as any).__importStates);
  expect(states[0]!.status).toBe('running'); // the bar was there before the end
  expect(Number(states[0]!.value)).toBeLessThan(100);
  // The bar moved while the import ran: it showed a share strictly between 0 and 100.
  const midway = states.filter((s) => s.status === 'running' && Number(s.value) > 0 && Number(s.value) < 100);
  expect(midway.length, JSON.stringify(states)).toBeGreaterThan(0);
  expect(states.at(-1)).toEqual({ status: 'done', processed: String(GOOD + 3), total: String(GOOD + 3), value: '100' });

  await expect(page.getByTestId('import-processed')).toHaveText('20,003 of 20,003 rows');
  await expect(page.getByTestId('import-created')).toHaveText('20,000');
  await expect(page.getByTestId('import-updated')).toHaveText('1');
  await expect(page.getByTestId('import-rejected')).toHaveText('2');
  await expect(page.getByTestId('import-report')).toHaveText('20,000 contacts created, 1 updated, 2 rows rejected.');
  await page.screenshot({ path: 'test-results/screens/contact-import-done.png', fullPage: true });

  // The rejected rows, by line, with the reasons.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('download-rejected').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^import-\d+-rejected\.csv$/);
  const report = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  expect(report).toEqual(['line,reason', '3,Tier: is required', '1500,Birthday: must be a date (YYYY-MM-DD)']);

  // Leaving and coming back shows the import as it ended.
  const importUrl = page.url();
  await page.goto('/admin/lists');
  await page.goto(importUrl);
  await expect(page.getByTestId('import-job')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('import-created')).toHaveText('20,000');

  // The duplicate updated the first contact instead of adding one.
  const found = await api.call('GET', `/contacts?list_id=${list.id}&q=${encodeURIComponent('+393331000000')}`);
  expect(found.items).toHaveLength(1);
  expect(found.items[0].first_name).toBe('Again');
});

test('deleting a list says how many contacts go with it, and the default list of a website is refused', async ({ page }) => {
  const api = await Api.admin();
  const full = await api.call('POST', '/lists', { name: unique('Prospects') });
  const contactIds: number[] = [];
  for (const first_name of ['Anna', 'Bruno', 'Carla']) {
    contactIds.push((await api.call('POST', '/contacts', { list_id: full.id, first_name })).id);
  }
  const visitors = await api.call('POST', '/lists', { name: unique('Visitors') });
  const queue = await api.call('POST', '/queues', { name: unique('Chat'), channel: 'chat' });
  const website = await api.call('POST', '/websites', { name: unique('Shop'), queue_id: queue.id, default_list_id: visitors.id });
  const empty = await api.call('POST', '/lists', { name: unique('Empty') });
  await signInAsAdmin(page);

  // From the lists: the question names the three contacts; declining keeps everything.
  await page.goto('/admin/lists');
  await page.getByRole('searchbox').fill(full.name);
  await page.getByRole('button', { name: `Delete ${full.name}` }).click();
  let ask = page.getByRole('alertdialog');
  await expect(ask).toContainText(`The list ${full.name} holds 3 contacts. Deleting the list deletes them too`);
  await expect(ask.getByRole('button', { name: 'Delete the list and 3 contacts' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/contact-list-delete-confirm.png', fullPage: true });
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  expect((await api.call('GET', `/lists/${full.id}`)).contact_count).toBe(3);

  // From its page: accepted, the list and its contacts are gone.
  await page.goto(`/admin/lists/${full.id}`);
  await page.getByTestId('delete-list').click();
  ask = page.getByRole('alertdialog');
  await ask.getByRole('button', { name: 'Delete the list and 3 contacts' }).click();
  await expect(page.getByText(`List ${full.name} deleted`)).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/lists$/);
  await expect(api.call('GET', `/lists/${full.id}`)).rejects.toThrow(/404/);
  for (const id of contactIds) await expect(api.call('GET', `/contacts/${id}`)).rejects.toThrow(/404/);

  // The website's default list stays, whatever the admin accepts, and the page says why.
  await page.getByRole('searchbox').fill(visitors.name);
  await page.getByRole('button', { name: `Delete ${visitors.name}` }).click();
  ask = page.getByRole('alertdialog');
  await expect(ask).toContainText('It holds no contacts');
  await ask.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(`This list is the default contact list of ${website.name}`)).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/contact-list-delete-refused.png', fullPage: true });
  await expect(page.getByTestId('contact-lists-table').getByRole('link', { name: visitors.name })).toBeVisible();
  expect((await api.call('GET', `/lists/${visitors.id}`)).name).toBe(visitors.name);

  // An empty list: the plain question, and it goes.
  await page.getByRole('searchbox').fill(empty.name);
  await page.getByRole('button', { name: `Delete ${empty.name}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(`List ${empty.name} deleted`)).toBeVisible();
  await expect(page.getByTestId('contact-lists-table').getByRole('link', { name: empty.name })).toBeHidden();
});

test('a user with the contact lists right but no staff rights gives a list to an agent of his queues', async ({ page }) => {
  const api = await Api.admin();
  const queue = await api.call('POST', '/queues', { name: unique('Care'), channel: 'chat' });
  const agent = await api.readyAgent(unique('picked'), 'Ready-Pass1', [queue.id]);
  const list = await api.call('POST', '/lists', { name: unique('Partners') });
  const profile = await api.call('POST', '/user-profiles', {
    name: unique('List keepers'),
    rights: { contacts: ['view', 'read', 'edit'] },
    list_ids: [list.id],
    queue_ids: [queue.id],
  });
  const username = unique('keeper');
  await api.call('POST', '/users', { kind: 'user', username, full_name: 'Lia Keeper', email: '', password: 'Temp-Pass1', user_profile_id: profile.id });
  const own = new Api();
  await own.login(username, 'Temp-Pass1');
  await own.call('POST', '/auth/password', { current_password: 'Temp-Pass1', new_password: 'Ready-Pass1' });
  await expect(own.call('GET', '/agents')).rejects.toThrow(/403/); // no staff view

  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill('Ready-Pass1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\//);
  await page.goto(`/admin/lists/${list.id}`);
  await page.getByRole('button', { name: 'Add agent' }).click();
  const picker = page.getByRole('dialog', { name: `Agents of ${list.name}` });
  await picker.getByRole('searchbox').fill(agent.username);
  await expect(picker.getByRole('alert')).toHaveCount(0); // no "forbidden"
  await picker.getByRole('button', { name: new RegExp(agent.username) }).click();
  await expect(page.getByText(`${agent.username} may use the list`)).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/contact-list-agent-choices.png', fullPage: true });
  await picker.getByRole('button', { name: 'Done' }).click();
  expect((await api.call('GET', `/lists/${list.id}/agents`)).items).toEqual([expect.objectContaining({ id: agent.id, access: 'read' })]);
});
