import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';
import { type RunningServer, startServer } from '../../server/src/server.ts';
import { freshDatabase, type TestDatabase } from '../../server/test/db.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Like the server's PostgreSQL/Redis suites: run where Chromium is installed (CI always has it). */
export const hasChromium = existsSync(CHROMIUM);

export interface Harness {
  url: string;
  browser: Browser;
  server: RunningServer;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Builds the client, starts the real server on a fresh database and launches Chromium. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  execFileSync('pnpm', ['exec', 'vite', 'build', '--logLevel', 'error'], {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: 'inherit',
  });
  const db: TestDatabase = await freshDatabase();
  // The port must be known up front: PUBLIC_ORIGIN (CSRF, websockets, links in mail) names it;
  // the address the browser uses comes first, so mailed links open on it.
  const port = await freePort();
  const server = await startServer(
    loadConfig({
      PORT: String(port),
      LOG_LEVEL: 'silent',
      PUBLIC_ORIGIN: `http://127.0.0.1:${port},http://localhost:${port}`,
      ...env,
    }),
    createLogger('silent'),
    { database: db },
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    url: `http://127.0.0.1:${port}`,
    browser,
    server,
    async close() {
      await browser.close();
      await server.close();
      await db.close();
    },
  };
}

let n = 0;
export function uniqueEmail(tag: string) {
  return `${tag}-${Date.now()}-${n++}@example.test`;
}

export async function newPage(h: Harness): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({ baseURL: h.url, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

export async function signUp(page: Page, who: { org: string; name: string; email: string; password: string }) {
  await page.goto('/signup');
  await page.getByLabel('Agency name').fill(who.org);
  await page.getByLabel('Your name').fill(who.name);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: /Good to see you/ }).waitFor();
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /Good to see you/ }).waitFor();
}

/** Calls the API from inside the page, so the session cookie and Origin are the browser's. */
export async function apiIn<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ([m, p, b]) => {
      const res = await fetch(`/api/v1${p}`, {
        method: m as string,
        headers: b ? { 'content-type': 'application/json' } : {},
        body: b ? JSON.stringify(b) : undefined,
        credentials: 'include',
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    [method, path, body] as const,
  ) as Promise<T>;
}
