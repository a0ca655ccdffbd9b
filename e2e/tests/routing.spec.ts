import { expect, test, type Browser, type Page } from '@playwright/test';
import { Api, unique } from './api';

test.use({ baseURL: process.env.E2E_BASE_URL });

async function agentDesk(browser: Browser, username: string, password = 'Ready-Pass1'): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/desktop/);
  return page;
}

async function logIn(page: Page, profile = 'Personal') {
  await page.getByLabel('Profile', { exact: true }).click();
  await page.getByRole('option', { name: profile }).click();
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('presence-state')).toBeVisible();
}

test('two agents in a ring-all queue: one accepts, the other sees it taken', async ({ browser }) => {
  const api = await Api.admin();
  const queue = await api.call('POST', '/queues', { name: unique('Ring all'), channel: 'chat', strategy: 'ring_all' });
  const a = unique('ring.a');
  const b = unique('ring.b');
  await api.readyAgent(a, undefined, [queue.id]);
  await api.readyAgent(b, undefined, [queue.id]);
  const pageA = await agentDesk(browser, a);
  const pageB = await agentDesk(browser, b);
  await logIn(pageA);
  await logIn(pageB);

  const it = await api.call('POST', '/interactions', { queue_id: queue.id, subject: 'Where is my order?' });
  const cardA = pageA.locator(`[data-testid="offer-card"][data-interaction-id="${it.id}"]`);
  const cardB = pageB.locator(`[data-testid="offer-card"][data-interaction-id="${it.id}"]`);
  await expect(cardA).toBeVisible();
  await expect(cardB).toBeVisible();
  await expect(cardA).toContainText('Where is my order?');
  await pageB.screenshot({ path: 'test-results/screens/offer.png', fullPage: true });

  await cardA.getByRole('button', { name: 'Accept' }).click();
  await expect(pageB.getByTestId('offer-taken')).toBeVisible();
  await expect(cardB).toHaveCount(0);
  await expect(cardA).toHaveCount(0);
  // Accepting opens the interaction's tab; the Dashboard lists it too.
  await expect(pageA).toHaveURL(new RegExp(`/desktop/interactions/${it.id}$`));
  await expect(pageA.getByTestId(`desk-tab-${it.id}`)).toBeVisible();
  await pageA.getByTestId('desk-tab-dashboard').click();
  await expect(pageA.getByTestId('my-interactions')).toContainText('Where is my order?');
  await pageA.screenshot({ path: 'test-results/screens/accepted.png', fullPage: true });
  const stored = await api.call('GET', `/interactions/${it.id}`);
  expect(stored.status).toBe('open');
  await pageA.context().close();
  await pageB.context().close();
});

test('the profile chosen at login decides which queues an agent is offered from; a disabled profile cannot be chosen', async ({ browser }) => {
  const api = await Api.admin();
  const personalQueue = await api.call('POST', '/queues', { name: unique('Personal q'), channel: 'chat' });
  const profileQueue = await api.call('POST', '/queues', { name: unique('Profile q'), channel: 'chat' });
  const name = unique('profiled');
  const agent = await api.readyAgent(name, undefined, [personalQueue.id]);
  const profile = await api.call('POST', '/agent-profiles', { name: unique('Afternoon'), enabled: true,
    agent_ids: [agent.id], queues: [{ queue_id: profileQueue.id, penalty: 0 }] });
  const other = await api.call('POST', '/agent-profiles', { name: unique('Night'), enabled: true, agent_ids: [agent.id] });
  await api.call('PATCH', `/agent-profiles/${other.id}`, { enabled: false });

  const page = await agentDesk(browser, name);
  // The disabled profile is not in the dropdown; Personal and the enabled one are.
  await page.getByLabel('Profile', { exact: true }).click();
  await expect(page.getByRole('option', { name: 'Personal' })).toBeVisible();
  await expect(page.getByRole('option', { name: profile.name })).toBeVisible();
  await expect(page.getByRole('option', { name: other.name })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await logIn(page, 'Personal');
  await expect(page.getByTestId('current-profile')).toContainText('Personal');

  const it = await api.call('POST', '/interactions', { queue_id: profileQueue.id, subject: 'Profile only' });
  const desk = await (async () => {
    const own = new Api();
    await own.login(name, 'Ready-Pass1');
    return own.call('GET', '/me/desk');
  })();
  expect(desk.routing.offers).toHaveLength(0); // not his queue with the Personal profile
  await expect(page.locator(`[data-testid="offer-card"][data-interaction-id="${it.id}"]`)).toHaveCount(0);

  // He switches to the profile: the waiting interaction is offered at once.
  await page.getByRole('button', { name: 'Change profile' }).click();
  await page.getByRole('menuitem', { name: profile.name }).click();
  await expect(page.getByTestId('current-profile')).toContainText(profile.name);
  await expect(page.locator(`[data-testid="offer-card"][data-interaction-id="${it.id}"]`)).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/profile-offer.png', fullPage: true });
  await page.context().close();
});
