import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD } from '../global-setup';
import { advanceClock, Api, unique } from './api';

// The supervisor's realtime console.

test.use({ baseURL: process.env.E2E_BASE_URL });

test("the realtime console counts an agent's session, his pause and a queue's longest wait on the server's clock, not the browser's", async ({ page }) => {
  const api = await Api.admin();
  const queue = await api.call('POST', '/queues', { name: unique('Live chat'), channel: 'chat' });
  const idle = await api.call('POST', '/queues', { name: unique('Idle chat'), channel: 'chat' });
  const agent = await api.readyAgent(unique('live'), 'Ready-Pass1', [queue.id]);
  const own = await Api.as(agent.username);
  await own.call('POST', '/me/login', { profile_id: null });
  await own.call('POST', '/me/pause', { reason_id: null });
  // A customer waits in the queue (its only agent is paused) for 2 minutes.
  await api.call('POST', '/interactions', { queue_id: queue.id, subject: 'Still waiting' });
  await advanceClock(120);

  // The supervisor's computer clock runs 5 minutes slow: uncorrected, every
  // timer would count from below zero (the server's clock is the real one
  // plus whatever the tests moved it forward).
  await page.clock.install({ time: Date.now() - 5 * 60_000 });
  await page.goto('/login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\//);
  await page.goto('/admin/realtime');

  await expect(page.getByTestId(`live-state-${agent.username}`)).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId(`live-session-${agent.username}`)).toHaveText(/^00:0[23]:\d\d$/);
  await expect(page.getByTestId(`live-paused-for-${agent.username}`)).toHaveText(/^00:0[23]:\d\d$/);
  await expect(page.getByTestId(`live-waiting-${queue.id}`)).toHaveText('1');
  await expect(page.getByTestId(`live-longest-${queue.id}`)).toHaveText(/^00:0[23]:\d\d$/);
  await expect(page.getByTestId(`live-longest-${idle.id}`)).toHaveText('—');
  await expect(page.locator('.p-datatable-mask')).toHaveCount(0); // loaded: no table still shows its spinner
  await page.screenshot({ path: 'test-results/screens/realtime-skewed-clock.png', fullPage: true });
});
