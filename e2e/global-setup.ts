import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ADMIN_PASSWORD = 'Admin-Pass1';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

async function waitReady(url: string, proc: { exitCode: number | null }, logFile: string) {
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`switchboard exited with ${proc.exitCode}; see ${logFile}`);
    try {
      const r = await fetch(url + '/readyz');
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`switchboard did not become ready; see ${logFile}`);
}

// Starts bin/switchboard on a free port with a fresh database. The SMTP port
// is reserved here and served by the mail test's own in-process SMTP server.
export default async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  const port = await freePort();
  const smtpPort = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const logFile = join(dir, 'server.log');
  const out = openSync(logFile, 'a');
  // The e2e build: the real server on a clock tests can move (see advanceClock).
  // E2E_BIN and E2E_WEB_DIR let a developer try his own build (a binary
  // built with -tags e2e, a `vite build` output) without touching bin/.
  const bin = process.env.E2E_BIN ?? resolve(process.cwd(), '..', 'bin', 'switchboard-e2e');
  const webDir = process.env.E2E_WEB_DIR ? { SWITCHBOARD_WEB_DIR: process.env.E2E_WEB_DIR } : {};
  const proc = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      SWITCHBOARD_LISTEN: `127.0.0.1:${port}`,
      SWITCHBOARD_DB: `sqlite:${join(dir, 'switchboard.db')}`,
      SWITCHBOARD_BASE_URL: baseURL,
      SWITCHBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SWITCHBOARD_SMTP_HOST: '127.0.0.1',
      SWITCHBOARD_SMTP_PORT: String(smtpPort),
      SWITCHBOARD_SMTP_TLS: 'none',
      SWITCHBOARD_LOGIN_RATE: '1000',
      ...webDir,
    },
    stdio: ['ignore', out, out],
  });
  await waitReady(baseURL, proc, logFile);
  process.env.E2E_BASE_URL = baseURL;
  process.env.E2E_SMTP_PORT = String(smtpPort);
  process.env.E2E_SERVER_LOG = logFile;
  writeFileSync(join(dir, 'pid'), String(proc.pid));
  process.env.E2E_SERVER_PID = String(proc.pid);
}
