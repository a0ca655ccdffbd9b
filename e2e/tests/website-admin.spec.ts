import { expect, test } from '@playwright/test';
import { Api, unique } from './api';
import { chatSite, Customer, CustomerSite } from './chat-helpers';
import { signInAsAdmin } from './admin-helpers';

test.use({ baseURL: process.env.E2E_BASE_URL });

test("an admin turns on a website's contact-manager trigger, and a message from an unknown visitor creates a contact in its list", async ({ page, browser }) => {
  const api = await Api.admin();
  const shop = await CustomerSite.start();
  try {
    const list = await api.call('POST', '/lists', { name: unique('Web visitors') });
    const site = await chatSite(api, shop);
    await signInAsAdmin(page);
    await page.goto(`/admin/websites/${site.website.id}`);
    await expect(page.getByRole('heading', { name: site.website.name })).toBeVisible();

    // The trigger needs a default list: the server names the field.
    const trigger = page.getByRole('switch', { name: 'Create contacts for unknown visitors' });
    await expect(trigger).not.toBeChecked();
    await trigger.click();
    await page.getByTestId('save-website').click();
    await expect(page.locator('#website-default-list-error')).toBeVisible();

    await page.getByTestId('website-default-list').click();
    await page.getByRole('option', { name: list.name }).click();
    await page.getByTestId('save-website').click();
    await expect(page.locator('#website-default-list-error')).toHaveCount(0);
    await expect(page.getByTestId('save-website')).toBeDisabled();
    await page.screenshot({ path: 'test-results/screens/website-contact-trigger.png', fullPage: true });

    // Stored: the page shows it after a reload, and the API agrees.
    await page.reload();
    await expect(page.getByRole('switch', { name: 'Create contacts for unknown visitors' })).toBeChecked();
    const stored = await api.call('GET', `/websites/${site.website.id}`);
    expect(stored.create_contacts).toBe(true);
    expect(stored.default_list_id).toBe(list.id);

    // A visitor nobody knows writes (nobody is online: the offline form
    // makes the interaction): the contact is in the list.
    const email = `${unique('visitor')}@example.com`.toLowerCase();
    const customer = await Customer.visit(browser, site.url);
    await customer.open();
    await customer.submitForm('offline', { Name: 'Anna Neri', Email: email, Message: 'Do you ship to Turin?' });
    await expect(customer.widget.getByTestId('sb-offline-sent')).toBeVisible();
    const found = await api.call('GET', `/contacts?list_id=${list.id}&q=${encodeURIComponent(email)}`);
    expect(found.items).toHaveLength(1);
    expect(found.items[0].email).toBe(email);
    await customer.close();
  } finally {
    await shop.stop();
  }
});
