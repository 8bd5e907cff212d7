import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, hasChromium, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

// The server sends a strict Content-Security-Policy with the app's HTML (scripts from this
// origin and the bootstrap script by hash, no framing). The built app must run under it.

let h: Harness;
beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe.runIf(hasChromium)('the app under its Content-Security-Policy', () => {
  it('loads, signs up and navigates with no CSP violation or console error', async () => {
    const { page } = await newPage(h);
    const problems: string[] = [];
    page.on('console', (m) => {
      // A 401 while signed out is the app asking who is there, not a fault of the page.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    const res = await page.goto('/signup');
    const csp = res!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(/script-src ([^;]*)/.exec(csp)![1]).not.toContain('unsafe-inline');
    expect(res!.headers()['x-content-type-options']).toBe('nosniff');

    await signUp(page, {
      org: 'Csp Agency',
      name: 'Cleo',
      email: uniqueEmail('csp'),
      password: 'violet kettle meadow',
    });
    await page.getByRole('button', { name: 'New client' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Strict Co');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('heading', { name: 'Strict Co' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Strict Co' }).waitFor();
    expect(problems).toEqual([]);
  }, 120_000);

  it('cannot be framed by another page', async () => {
    const { page } = await newPage(h);
    await page.route('https://framer.test/', (route) =>
      route.fulfill({ contentType: 'text/html', body: `<iframe src="${h.url}/login"></iframe>` }),
    );
    await page.goto('https://framer.test/');
    // Chromium replaces a frame refused by frame-ancestors with its error page.
    await expect
      .poll(
        () =>
          page
            .frames()
            .find((f) => f !== page.mainFrame())
            ?.url(),
        { timeout: 10_000 },
      )
      .toMatch(/^chrome-error:/);
  });
});
