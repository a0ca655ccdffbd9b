import { expect, test, type Browser, type Page } from '@playwright/test';
import { ADMIN_PASSWORD } from '../global-setup';
import { Api, unique } from './api';

// The Contact Manager's pages: search, edit, merge and copy in the admin
// console, and an agent's read-only contacts and My Contacts on the desktop.

test.use({ baseURL: process.env.E2E_BASE_URL });

/** Seven random digits: each story's phone numbers are its own. */
const digits = () => String(Math.floor(1_000_000 + Math.random() * 8_999_999));

async function signIn(browser: Browser, username: string, password: string, home: RegExp): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(home);
  return page;
}

const rows = (page: Page) => page.getByTestId('contacts-table').locator('tbody tr');

async function search(page: Page, text: string) {
  await page.getByTestId('contacts-search').fill(text);
  // The search follows the URL once typing stops.
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(text).replace(/%20/g, '(\\+|%20)')}`));
}

test('an admin finds a contact by a phone number typed another way and by name, edits it and sees the change after reload', async ({ browser }) => {
  const api = await Api.admin();
  const list = await api.contactList(unique('Customers'), [
    { key: 'note', label: 'Note', type: 'text' },
    { key: 'tier', label: 'Tier', type: 'select', options: ['Gold', 'Silver'] },
  ]);
  const last = unique('Ferri').replace('.', '');
  const number = digits();
  const contact = await api.call('POST', '/contacts', { list_id: list.id, first_name: 'Ottavia', last_name: last, phone: `+39 345 ${number}` });

  const page = await signIn(browser, 'admin', ADMIN_PASSWORD, /\/admin/);
  await page.goto('/admin/contacts');
  // Stored as +39345…: found from the national number written with a dash.
  await search(page, `345-${number}`);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`Ottavia ${last}`);
  await expect(rows(page)).toContainText(`+39345${number}`);

  await search(page, last);
  await expect(rows(page)).toHaveCount(1);
  await rows(page).getByTestId('contact-link').click();
  await expect(page).toHaveURL(new RegExp(`/admin/contacts/${contact.id}$`));
  await expect(page.getByTestId('contact-title')).toHaveText(`Ottavia ${last}`);

  await page.getByTestId('contact-company').fill('Ferri Costruzioni');
  await page.locator('#contact-field-note').fill('Calls after 5 pm');
  await page.getByTestId('contact-field-tier').locator('.p-select').click();
  await page.getByRole('option', { name: 'Gold' }).click();
  await page.getByTestId('contact-save').click();
  await expect(page.getByTestId('contact-save')).toBeDisabled(); // nothing left to save

  await page.reload();
  await expect(page.getByTestId('contact-company')).toHaveValue('Ferri Costruzioni');
  await expect(page.locator('#contact-field-note')).toHaveValue('Calls after 5 pm');
  await expect(page.getByTestId('contact-field-tier')).toContainText('Gold');
  await page.screenshot({ path: 'test-results/screens/contact-edited.png', fullPage: true });
  const stored = await api.call('GET', `/contacts/${contact.id}`);
  expect(stored).toMatchObject({ company: 'Ferri Costruzioni', fields: { note: 'Calls after 5 pm', tier: 'Gold' } });
  await page.context().close();
});

test('merging two contacts of the same person: the survivor has both phones and identities, the other is gone', async ({ browser }) => {
  const api = await Api.admin();
  const list = await api.contactList(unique('Merge list'));
  const last = unique('Neri').replace('.', '');
  const email = `${last.toLowerCase()}@example.com`;
  const phone = `+39 347 ${digits()}`;
  const mobile = `+39 348 ${digits()}`;
  const keeper = await api.call('POST', '/contacts', {
    list_id: list.id, first_name: 'Bruno', last_name: last, phone, identities: [{ kind: 'whatsapp', value: phone }],
  });
  const other = await api.call('POST', '/contacts', {
    list_id: list.id, first_name: 'Bruno', last_name: last, mobile, email, identities: [{ kind: 'email', value: email }],
  });

  const page = await signIn(browser, 'admin', ADMIN_PASSWORD, /\/admin/);
  await page.goto(`/admin/contacts/${keeper.id}`);
  await page.getByTestId('contact-merge').click();
  await page.getByTestId('merge-search').fill(email);
  await page.getByTestId(`merge-candidate-${other.id}`).click();
  await expect(page.getByTestId('merge-compare')).toContainText(email);
  await page.getByTestId('merge-confirm').click();
  await expect(page.getByTestId('merge-dialog')).toBeHidden();

  await expect(page.getByTestId('contact-email')).toHaveValue(email);
  await expect(page.getByTestId('contact-phone')).toHaveValue(phone.replace(/ /g, ''));
  await expect(page.getByTestId('contact-mobile')).toHaveValue(mobile.replace(/ /g, ''));
  const identities = page.getByTestId('contact-identities');
  await expect(identities).toContainText(email);
  await expect(identities).toContainText(phone.replace(/ /g, ''));
  await page.screenshot({ path: 'test-results/screens/contact-merged.png', fullPage: true });

  await page.goto('/admin/contacts');
  await search(page, last);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).getByTestId('contact-link')).toHaveAttribute('href', `/admin/contacts/${keeper.id}`);
  await page.goto(`/admin/contacts/${other.id}`);
  await expect(page.getByTestId('contact-error')).toBeVisible();
  await page.context().close();
});

test('a contact copied into another list is found there', async ({ browser }) => {
  const api = await Api.admin();
  const from = await api.contactList(unique('Leads'));
  const to = await api.contactList(unique('Clients'));
  const last = unique('Galli').replace('.', '');
  const contact = await api.call('POST', '/contacts', { list_id: from.id, first_name: 'Irene', last_name: last, email: `${last}@example.com` });

  const page = await signIn(browser, 'admin', ADMIN_PASSWORD, /\/admin/);
  await page.goto(`/admin/contacts/${contact.id}`);
  await page.getByTestId('contact-copy').click();
  await page.getByTestId('copy-list').click();
  await page.getByRole('option', { name: to.name }).click();
  await page.getByTestId('copy-confirm').click();
  // The copy opens: the same person in the other list.
  await expect(page).not.toHaveURL(new RegExp(`/admin/contacts/${contact.id}$`));
  await expect(page.getByTestId('contact-title')).toHaveText(`Irene ${last}`);
  await expect(page.getByText(`In ${to.name}`)).toBeVisible();

  await page.goto('/admin/contacts');
  await page.getByTestId('contacts-filter-list').click();
  await page.getByRole('option', { name: to.name }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]list=${to.id}`));
  await search(page, last);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(to.name);
  // The original stays where it was.
  await page.getByTestId('contacts-filter-list').click();
  await page.getByRole('option', { name: from.name }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).getByTestId('contact-link')).toHaveAttribute('href', `/admin/contacts/${contact.id}`);
  await page.context().close();
});

test('an agent with read access sees the list\'s contacts read-only and finds a contact he served in My Contacts', async ({ browser }) => {
  const api = await Api.admin();
  const queue = await api.call('POST', '/queues', { name: unique('Contacts q'), channel: 'chat' });
  const username = unique('reader');
  const agent = await api.readyAgent(username, undefined, [queue.id]);
  const list = await api.contactList(unique('Read only'), [{ key: 'code', label: 'Code', type: 'text' }]);
  await api.call('PUT', `/lists/${list.id}/agents/${agent.id}`, { access: 'read' });
  const last = unique('Sala').replace('.', '');
  const served = await api.call('POST', '/contacts', { list_id: list.id, first_name: 'Dario', last_name: last, fields: { code: 'X-1' } });
  const notServed = await api.call('POST', '/contacts', { list_id: list.id, first_name: 'Enzo', last_name: last });

  // He serves one of Dario's interactions: it waits in his queue with its contact, he logs in and takes it.
  const it = await api.call('POST', '/interactions', { queue_id: queue.id, subject: 'About my order' });
  await api.call('PUT', `/interactions/${it.id}/contact`, { contact_id: served.id });
  const own = await Api.as(username);
  await own.call('POST', '/me/login', {});
  await expect
    .poll(async () => own.call('POST', `/interactions/${it.id}/accept`).then(() => 'accepted', (e: Error) => e.message))
    .toBe('accepted');

  const page = await signIn(browser, username, 'Ready-Pass1', /\/desktop/);
  await page.goto('/desktop/contacts');
  await search(page, last);
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByTestId('contacts-new')).toHaveCount(0); // nowhere to create
  await rows(page).filter({ hasText: 'Enzo' }).getByTestId('contact-link').click();
  await expect(page).toHaveURL(new RegExp(`/desktop/contacts/${notServed.id}$`));
  await expect(page.getByTestId('contact-readonly')).toBeVisible();
  await expect(page.getByTestId('contact-first_name')).toHaveAttribute('readonly', '');
  await expect(page.getByTestId('contact-save')).toHaveCount(0);
  await expect(page.getByTestId('contact-merge')).toHaveCount(0);
  await expect(page.getByTestId('contact-delete')).toHaveCount(0);

  await page.getByRole('link', { name: 'My Contacts' }).click();
  await expect(page).toHaveURL(/\/desktop\/my-contacts/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`Dario ${last}`);
  await rows(page).getByTestId('contact-link').click();
  await expect(page).toHaveURL(new RegExp(`/desktop/contacts/${served.id}$`));
  // His interaction is in the journey, and opens in a desk tab.
  await page.getByTestId(`journey-open-${it.id}`).click();
  await expect(page).toHaveURL(new RegExp(`/desktop/interactions/${it.id}$`));
  await expect(page.getByTestId(`desk-tab-${it.id}`)).toBeVisible();
  await page.context().close();
});
