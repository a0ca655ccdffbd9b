import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD } from '../global-setup';

test.use({ baseURL: process.env.E2E_BASE_URL });

test('an admin signs in, reaches the console, and signs out', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('login-error')).toContainText('Wrong username or password');

  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/agents/);
  await expect(page.getByRole('button', { name: 'New agent' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/admin-agents.png', fullPage: true });

  // A reload keeps the session (the app asks the server who is signed in).
  await page.reload();
  await expect(page).toHaveURL(/\/admin\/agents/);

  await page.getByRole('button', { name: /admin|Administrator/ }).first().click();
  await page.getByRole('menuitem', { name: 'Log out', exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/admin/agents');
  await expect(page).toHaveURL(/\/login/);
});

test('the sign-in page speaks Italian', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('combobox').or(page.getByLabel(/Language|Lingua/)).first().click();
  await page.getByRole('option', { name: 'Italiano' }).click();
  await expect(page.getByRole('button', { name: 'Accedi' })).toBeVisible();
  await page.getByLabel('Nome utente').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('sbagliata');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByTestId('login-error')).toContainText('Nome utente o password errati');
  await page.screenshot({ path: 'test-results/screens/login-it.png' });
});
