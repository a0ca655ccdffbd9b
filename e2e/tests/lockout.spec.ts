import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD } from '../global-setup';
import { Api, unique } from './api';

test.use({ baseURL: process.env.E2E_BASE_URL });

test('an account locks after N wrong passwords and an admin unlocks it', async ({ page, browser }) => {
  const admin = await Api.admin();
  await admin.security({ enabled: true, max_failed_logins: 3 });
  const username = unique('locky');
  await admin.createAgent(username);

  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  for (let i = 0; i < 2; i++) {
    await page.getByLabel('Password', { exact: true }).fill(`Wrong-Pass${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toContainText('Wrong username or password');
  }
  await page.getByLabel('Password', { exact: true }).fill('Wrong-Pass9');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('login-error')).toContainText('locked');
  // The right password does not get in while locked.
  await page.getByLabel('Password', { exact: true }).fill('Temp-Pass1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('login-error')).toContainText('locked');
  await page.screenshot({ path: 'test-results/screens/locked.png' });

  // The admin finds the agent, sees why he is locked, and unlocks him.
  const adminCtx = await browser.newContext();
  const adminPage = await adminCtx.newPage();
  await adminPage.goto('/login');
  await adminPage.getByLabel('Username').fill('admin');
  await adminPage.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await adminPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(adminPage).toHaveURL(/\/admin\/agents/);
  await adminPage.getByRole('searchbox').or(adminPage.getByPlaceholder(/Search/)).first().fill(username);
  const row = adminPage.getByRole('row', { name: new RegExp(username.replace('.', '\\.')) });
  await expect(row).toContainText('Locked');
  await adminPage.screenshot({ path: 'test-results/screens/admin-locked-agent.png', fullPage: true });
  await row.getByRole('button', { name: 'Unlock' }).click();
  await expect(row).not.toContainText('Locked');
  await adminCtx.close();

  await page.getByLabel('Password', { exact: true }).fill('Temp-Pass1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/change-password/);
});
