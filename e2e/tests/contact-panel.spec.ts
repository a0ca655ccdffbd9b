// The desktop's right panel fed by the Contact Manager (issue 6, points 6
// and 9): a known customer's chat shows his contact card and his customer
// journey, from which the agent opens an earlier interaction; an unknown
// customer becomes a contact from the panel itself.
import { expect, test } from '@playwright/test';
import { Api, unique } from './api';
import { AgentDesk, chatSite, Customer, CustomerSite, PASSWORD } from './chat-helpers';

test.use({ baseURL: process.env.E2E_BASE_URL });

let site: CustomerSite;
test.beforeAll(async () => {
  site = await CustomerSite.start();
});
test.afterAll(async () => {
  await site?.stop();
});

/** A contact list the agent may edit, with a custom field. */
async function agentList(api: Api, agentId: number) {
  const list = await api.call('POST', '/lists', { name: unique('Customers') });
  await api.call('POST', `/lists/${list.id}/fields`, { key: 'tier', label: 'Tier', type: 'select', options: ['Gold', 'Silver'], position: 1 });
  await api.call('PUT', `/lists/${list.id}/agents/${agentId}`, { access: 'edit' });
  return list;
}

/** An interaction of the customer the agent already served and closed (through the API, before the story). */
async function earlierInteraction(api: Api, queueId: number, username: string, email: string): Promise<number> {
  const it = await api.call('POST', '/interactions', { queue_id: queueId, contact_key: email, contact_name: 'Anna Bianchi', subject: 'Cracked vase' });
  const agent = new Api();
  await agent.login(username, PASSWORD);
  await agent.call('POST', '/me/login', {});
  // The router offers it on its own goroutine: accept once the offer is there.
  await expect
    .poll(async () => {
      try {
        await agent.call('POST', `/interactions/${it.id}/accept`);
        return true;
      } catch {
        return false;
      }
    })
    .toBe(true);
  await agent.call('POST', `/interactions/${it.id}/close`, {});
  await agent.call('POST', '/me/logout', {});
  return it.id;
}

test('a known customer: the panel shows his contact and his journey, and opens his earlier chat', async ({ browser }) => {
  const api = await Api.admin();
  const s = await chatSite(api, site);
  const agentId = s.agents[0].id;
  const list = await agentList(api, agentId);
  const email = `${unique('anna').replace('.', '')}@example.com`;
  const anna = await api.call('POST', '/contacts', {
    list_id: list.id, first_name: 'Anna', last_name: 'Bianchi', company: 'Ceramiche Bianchi', email, fields: { tier: 'Gold' },
  });
  const earlier = await earlierInteraction(api, s.queue.id, s.agents[0].username, email);

  const agent = await AgentDesk.open(browser, s.agents[0].username);
  const customer = await Customer.visit(browser, s.url);
  await customer.open();
  await customer.startChat('Anna Bianchi', email);
  const id = await agent.awaitOffer();
  await agent.accept(id);

  // The Contact tab: his card from the Contact Manager, with the list's custom field; the form stays.
  const panel = agent.page.getByTestId('right-panel-contact');
  const card = panel.getByTestId('contact-card');
  await expect(card.getByTestId('contact-company')).toHaveText('Ceramiche Bianchi');
  await expect(card.getByTestId('contact-email')).toHaveText(email);
  await expect(card.getByTestId('contact-field-tier')).toHaveText('Gold');
  await expect(panel.getByTestId('contact-name')).toHaveText('Anna Bianchi');
  await expect(panel.getByTestId('contact-form')).toContainText(email);
  await agent.screenshot('contact-panel-card');

  // Edited in place: the change is the contact's.
  await card.getByTestId('contact-edit').click();
  const form = panel.getByTestId('contact-edit-form');
  await form.getByLabel('Company').fill('Ceramiche Bianchi & Figli');
  await form.getByTestId('contact-save').click();
  await expect(card.getByTestId('contact-company')).toHaveText('Ceramiche Bianchi & Figli');
  expect((await api.call('GET', `/contacts/${anna.id}`)).company).toBe('Ceramiche Bianchi & Figli');

  // The Journey tab: the earlier chat, then this one, marked.
  await agent.page.getByTestId('right-panel-tab-journey').click();
  const journey = agent.page.getByTestId('journey');
  const items = journey.locator('li');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toHaveAttribute('data-testid', `journey-${earlier}`);
  await expect(items.nth(0)).toContainText('Closed');
  await expect(items.nth(1)).toHaveAttribute('data-testid', `journey-${id}`);
  await expect(items.nth(1)).toContainText('This interaction');
  await agent.screenshot('contact-panel-journey');

  // He opens the earlier one: its tab shows it, closed.
  await journey.getByTestId(`journey-open-${earlier}`).click();
  await expect(agent.page).toHaveURL(new RegExp(`/desktop/interactions/${earlier}$`));
  await expect(agent.conversation).toHaveAttribute('data-interaction-id', String(earlier));
  await expect(agent.status()).toHaveAttribute('data-status', 'closed');
  await expect(agent.tab(earlier)).toBeVisible();

  await customer.close();
  await agent.close();
});

test('an unknown customer becomes a contact from the panel', async ({ browser }) => {
  const api = await Api.admin();
  const s = await chatSite(api, site);
  const list = await agentList(api, s.agents[0].id);
  const email = `${unique('bruno').replace('.', '')}@example.com`;

  const agent = await AgentDesk.open(browser, s.agents[0].username);
  const customer = await Customer.visit(browser, s.url);
  await customer.open();
  await customer.startChat('Bruno Neri', email);
  const id = await agent.awaitOffer();
  await agent.accept(id);

  const panel = agent.page.getByTestId('right-panel-contact');
  await expect(panel.getByTestId('contact-none')).toBeVisible();
  await agent.page.getByTestId('right-panel-tab-journey').click();
  await expect(agent.page.getByTestId('journey-no-contact')).toBeVisible();
  await agent.page.getByTestId('right-panel-tab-contact').click();

  // Create contact: prefilled from the chat form, in the list he may edit.
  await panel.getByTestId('contact-create').click();
  const dialog = agent.page.getByTestId('contact-create-form');
  await expect(dialog.getByLabel('First name')).toHaveValue('Bruno');
  await expect(dialog.getByLabel('Last name')).toHaveValue('Neri');
  await expect(dialog.getByLabel('Email')).toHaveValue(email);
  await expect(dialog).toContainText(list.name);
  await dialog.getByLabel('Company').fill('Neri Arredamenti');
  await agent.screenshot('contact-panel-create');
  await dialog.getByTestId('contact-create-save').click();
  await expect(dialog).toBeHidden();

  // The Contact tab now shows him, and the interaction is his.
  const card = panel.getByTestId('contact-card');
  await expect(card.getByTestId('contact-company')).toHaveText('Neri Arredamenti');
  await expect(card.getByTestId('contact-email')).toHaveText(email);
  const it = await api.call('GET', `/interactions/${id}`);
  expect(it.contact?.name).toBe('Bruno Neri');
  await agent.page.getByTestId('right-panel-tab-journey').click();
  await expect(agent.page.getByTestId(`journey-${id}`)).toContainText('This interaction');
  await agent.screenshot('contact-panel-created');

  await customer.close();
  await agent.close();
});
