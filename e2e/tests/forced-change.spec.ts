import { expect, test } from '@playwright/test';
import { Api, unique } from './api';

test.use({ baseURL: process.env.E2E_BASE_URL });

test('the first sign-in forces a password change that follows the policy', async ({ page }) => {
  const admin = await Api.admin();
  const username = unique('first');
  await admin.createAgent(username);

  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill('Temp-Pass1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/change-password\?forced=1/);

  // The live rule list shows which rules a weak password breaks.
  await page.getByLabel('Current password').fill('Temp-Pass1');
  await page.getByLabel('New password', { exact: true }).fill('weakpass');
  await expect(page.getByTestId('rule-uppercase')).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('rule-lowercase')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('rule-min_length')).toHaveAttribute('data-ok', 'true');
  await page.screenshot({ path: 'test-results/screens/forced-change-weak.png', fullPage: true });

  // The server enforces the policy too: the same password as before is refused
  // with the rule named next to the field.
  await page.getByLabel('New password', { exact: true }).fill('Temp-Pass1');
  await page.getByLabel('Confirm new password').fill('Temp-Pass1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('must be different from the current password')).toBeVisible();

  // Other pages stay closed until the password is changed.
  await page.goto('/desktop');
  await expect(page).toHaveURL(/\/change-password/);

  await page.getByLabel('Current password').fill('Temp-Pass1');
  await page.getByLabel('New password', { exact: true }).fill('Fresh-Pass22');
  await page.getByLabel('Confirm new password').fill('Fresh-Pass22');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/desktop/);
  await expect(page.getByText(`Agent ${username}`).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/desktop.png', fullPage: true });
});
