import { expect, test } from '@playwright/test';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import { Api, unique } from './api';

test.use({ baseURL: process.env.E2E_BASE_URL });

// A real SMTP server in the test process receives what Switchboard sends.
function startMailbox() {
  const waiting: ((raw: string) => void)[] = [];
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const next = waiting.shift();
        if (next) next(raw);
        else received.push(raw);
        done();
      });
    },
  });
  return {
    listen: () => new Promise<void>((res) => server.listen(Number(process.env.E2E_SMTP_PORT), '127.0.0.1', res)),
    close: () => new Promise<void>((res) => server.close(() => res())),
    next: () => new Promise<string>((res) => (received.length ? res(received.shift()!) : waiting.push(res))),
  };
}

test('a forgotten password is reset through the emailed link', async ({ page }) => {
  const mailbox = startMailbox();
  await mailbox.listen();
  try {
    const admin = await Api.admin();
    const username = unique('forgetful');
    const email = `${username}@example.com`;
    await admin.createAgent(username, email);

    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await expect(page).toHaveURL(/\/forgot-password/);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByText('If an account with that address exists')).toBeVisible();

    const mail = await PostalMime.parse(await mailbox.next());
    expect(mail.to?.[0]?.address).toBe(email);
    const link = mail.text?.match(/https?:\/\/\S+\/reset-password\?token=[\w-]+/)?.[0];
    expect(link, 'the mail carries a reset link').toBeTruthy();

    await page.goto(link!);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await expect(page.getByTestId('rule-min_length')).toHaveAttribute('data-ok', 'false');
    await page.getByLabel('New password', { exact: true }).fill('Reset-Pass77');
    await page.getByLabel('Confirm new password').fill('Reset-Pass77');
    await page.getByRole('button', { name: 'Set new password' }).click();
    // Wait for the server's answer: the page shows "Back to sign in" from the start.
    await expect(page.getByTestId('password-reset-done')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/reset-done.png' });

    // The link works once.
    await page.goto(link!);
    await page.getByLabel('New password', { exact: true }).fill('Again-Pass77');
    await page.getByLabel('Confirm new password').fill('Again-Pass77');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page.getByText(/This reset link is not valid/)).toBeVisible();

    await page.goto('/login');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill('Reset-Pass77');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/desktop/);
  } finally {
    await mailbox.close();
  }
});
