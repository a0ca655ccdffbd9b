import { expect, type Page } from '@playwright/test';
import { ADMIN_PASSWORD } from '../global-setup';

/** Signs the bootstrap admin in through the login page; he lands in the console (landing: where exactly). */
export async function signInAsAdmin(page: Page, landing: RegExp = /\/admin\//) {
  await page.goto('/login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(landing);
}
