import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, unique } from './api';
import { signInAsAdmin } from './admin-helpers';

test.use({ baseURL: process.env.E2E_BASE_URL });

// A 1x1 red PNG, written to a file for the upload control.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

test('an admin creates an agent, edits him, uploads his avatar, adds him to a team, deletes and restores him, and exports CSV', async ({ page }) => {
  const api = await Api.admin();
  const team = await api.call('POST', '/teams', { name: unique('Team') });
  const username = unique('new.agent');
  await signInAsAdmin(page, /\/admin\/agents/);

  // Create.
  await page.getByRole('button', { name: 'New agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await dialog.getByLabel('Full name').fill('Niccolò Rossi');
  await dialog.getByLabel('Username').fill('bad name!');
  await dialog.getByLabel('Password', { exact: true }).fill('Temp-Pass1');
  await dialog.getByRole('button', { name: 'Add agent' }).click();
  await expect(dialog.getByText("may contain only letters, digits, '.' and '_'")).toBeVisible();
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByRole('button', { name: 'Add agent' }).click();
  await expect(page.getByText(new RegExp(`Agent ${username} created, extension \\d+`))).toBeVisible();

  // Edit: the change is saved at once.
  await page.getByRole('searchbox').fill(username);
  await page.getByRole('button', { name: `Edit ${username}` }).click();
  await expect(page).toHaveURL(/\/admin\/agents\/\d+/);
  await page.getByLabel('Alias').fill('Nico');
  await page.getByLabel('Alias').press('Enter');
  await expect(page.getByText('Saved').first()).toBeVisible();

  // Avatar: a PNG is accepted and shown.
  const dir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  writeFileSync(join(dir, 'me.png'), PNG);
  writeFileSync(join(dir, 'fake.png'), 'not an image at all');
  await page.getByLabel('Upload picture').setInputFiles(join(dir, 'fake.png'));
  await expect(page.getByTestId('avatar-error')).toBeVisible();
  await page.getByLabel('Upload picture').setInputFiles(join(dir, 'me.png'));
  await expect(page.getByTestId('agent-avatar')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove picture' })).toBeVisible();

  // Team.
  await page.getByRole('button', { name: 'Add to team' }).click();
  const teams = page.getByRole('dialog', { name: /Teams of/ });
  await teams.getByRole('button', { name: team.name }).click();
  await expect(teams.getByRole('button', { name: team.name })).toHaveAttribute('aria-pressed', 'true');
  await teams.getByRole('button', { name: 'Done' }).click();
  const agentId = Number(page.url().match(/agents\/(\d+)/)![1]);
  const stored = await api.call('GET', `/agents/${agentId}`);
  expect(stored.alias).toBe('Nico');
  expect(stored.avatar_url).toBeTruthy();
  expect(stored.teams.map((t: any) => t.name)).toContain(team.name);
  await page.screenshot({ path: 'test-results/screens/agent-edit.png', fullPage: true });

  // Export the selected agent as CSV.
  await page.getByRole('link', { name: 'Agents', exact: true }).click();
  const searched = page.waitForResponse((r) => r.url().includes('/api/v1/agents?') && r.url().includes(`q=${username}`));
  await page.getByRole('searchbox').fill(username);
  await searched;
  await expect(page.getByRole('row')).toHaveCount(2); // the header and our agent
  await page.getByRole('checkbox', { name: `Select ${username}` }).click();
  await expect(page.getByTestId('export-selected')).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-selected').click()]);
  expect(download.suggestedFilename()).toBe('agents.csv');
  const csv = readFileSync(await download.path()).toString('utf8');
  expect(csv).toContain(username);
  expect(csv).toContain('Niccolò Rossi');
  expect(csv.split('\n')[0]).toContain('username');

  // Delete (soft) and restore.
  await page.getByRole('button', { name: `Delete ${username}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(`Agent ${username} moved to Deleted members.`)).toBeVisible();
  await page.getByRole('link', { name: 'Deleted members', exact: true }).click();
  await page.getByRole('button', { name: `Restore ${username}` }).click();
  await expect(page.getByText(`${username} restored.`)).toBeVisible();
  const back = await api.call('GET', `/agents/${agentId}`);
  expect(back.username).toBe(username); // a deleted agent answers 404
  await page.screenshot({ path: 'test-results/screens/deleted-members.png', fullPage: true });
});
