import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Cookie, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiIn, type Harness, hasChromium, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

// Every page at phone and desktop width, light and dark: nothing wider than the screen, nothing
// in the console, no serious or critical axe violation.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let h: Harness;
let cookies: Cookie[] = [];
const ids = { client: '', campaign: '', post: '' };

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  const { page, context } = await newPage(h);
  await signUp(page, { org: 'Axe Agency', name: 'Ada Owner', email: uniqueEmail('axe'), password: 'axe-check-2026' });
  ids.client = (
    await apiIn<{ id: string }>(page, 'POST', '/clients', { name: 'Bakery Bros with a rather long name' })
  ).id;
  const today = new Date();
  const d = (n: number) => new Date(today.getTime() + n * 864e5).toISOString().slice(0, 10);
  ids.campaign = (
    await apiIn<{ id: string }>(page, 'POST', '/campaigns', {
      clientId: ids.client,
      name: 'Spring launch for the whole bakery chain',
      platform: 'mastodon',
      goal: 'Fill the new shop',
      startDate: d(-3),
      endDate: d(40),
    })
  ).id;
  for (const [i, content] of [
    'A very long first post that keeps going and going without a break to test truncation',
    'Second',
    'Third',
  ].entries()) {
    const at = new Date(today.getFullYear(), today.getMonth(), Math.min(27, today.getDate() + i), 9 + i);
    const p = await apiIn<{ id: string }>(page, 'POST', '/posts', {
      campaignId: ids.campaign,
      platform: i === 1 ? 'x' : 'mastodon',
      content,
      scheduledAt: at > today ? at.toISOString() : undefined,
    });
    if (i === 0) ids.post = p.id;
  }
  await apiIn(page, 'POST', `/posts/${ids.post}/status`, { status: 'in_review' });
  await apiIn(page, 'POST', '/notes', {
    campaignId: ids.campaign,
    body: 'Client wants more photos of the shop front.',
  });
  await page.evaluate(async (campaignId) => {
    const png = Uint8Array.from(
      atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
      (c) => c.charCodeAt(0),
    );
    const form = new FormData();
    form.set('campaignId', campaignId);
    form.set('file', new File([png], 'storefront.png', { type: 'image/png' }));
    const res = await fetch('/api/v1/assets', { method: 'POST', body: form, credentials: 'include' });
    if (!res.ok) throw new Error(`upload ${res.status}`);
  }, ids.campaign);
  const hour = (n: number) => new Date(Date.now() - n * 3600e3).toISOString();
  await apiIn(page, 'POST', '/metrics', {
    snapshots: [
      { postId: ids.post, capturedAt: hour(3), likes: 2, shares: 1, comments: 0, impressions: 100 },
      { postId: ids.post, capturedAt: hour(1), likes: 12, shares: 3, comments: 4, impressions: 900 },
    ],
  });
  cookies = await context.cookies();
  await context.close();
});
afterAll(async () => {
  await h?.close();
});

type Check = { path: string; signedIn: boolean; ready: string; expect404?: boolean };
const pages = (): Check[] => [
  { path: '/login', signedIn: false, ready: 'button:has-text("Log in")' },
  { path: '/signup', signedIn: false, ready: 'button:has-text("Sign up")' },
  { path: '/invite?token=x', signedIn: false, ready: 'button:has-text("Accept invitation")' },
  { path: '/reset-password', signedIn: false, ready: 'button:has-text("Send the link")' },
  { path: '/reset-password?token=x', signedIn: false, ready: 'button:has-text("Save the new password")' },
  { path: '/magic-link', signedIn: false, ready: 'button:has-text("Mail me a sign-in link")' },
  { path: '/magic-link?token=x', signedIn: false, ready: 'button:has-text("Sign in")' },
  { path: '/', signedIn: true, ready: '[data-testid=clients]' },
  { path: '/calendar', signedIn: true, ready: '[data-testid=calendar]' },
  { path: `/clients/${ids.client}`, signedIn: true, ready: 'h1' },
  { path: `/campaigns/${ids.campaign}`, signedIn: true, ready: '[data-testid=posts]' },
  { path: `/posts/${ids.post}`, signedIn: true, ready: '[data-testid=editor] .cm-content' },
  { path: '/team', signedIn: true, ready: 'table' },
  { path: '/media', signedIn: true, ready: '[data-testid=library]' },
  { path: '/reports', signedIn: true, ready: 'table' },
  { path: '/settings', signedIn: true, ready: '#h-url' },
  { path: '/account', signedIn: true, ready: '[data-testid=sessions]' },
  // Without a mail server (as here) owners read the mail Chorus would have sent.
  { path: '/outbox', signedIn: true, ready: '[data-testid=outbox], p:has-text("No mail yet")' },
  {
    path: '/posts/00000000-0000-4000-8000-000000000000',
    signedIn: true,
    ready: '[data-testid=not-found]',
    expect404: true,
  },
  { path: '/no/such/page', signedIn: true, ready: '[data-testid=not-found]' },
];

async function audit(page: Page, c: Check) {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.goto(c.path);
  await page.locator(c.ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  const width = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    inner: window.innerWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}.${(e.getAttribute('class') ?? '').split(' ').slice(0, 4).join('.')}`),
  }));
  const violations = await axeViolations(page);
  // The API's own 404 for an unknown post is the one expected network error.
  const unexpected = errors.filter((e) => !(c.expect404 && /404/.test(e)));
  return { overflow: width.scroll > width.inner ? width : null, errors: unexpected, violations };
}

/** Serious and critical axe-core violations on the page as it stands (an open dialog included). */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return (r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes
            .slice(0, 2)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
  });
}

describe.runIf(hasChromium)('every page, phone and desktop, light and dark', () => {
  for (const width of [375, 1280]) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`${width} px, ${scheme}`, async () => {
        const problems: Record<string, unknown> = {};
        for (const c of pages()) {
          const context: BrowserContext = await h.browser.newContext({
            baseURL: h.url,
            viewport: { width, height: 800 },
            colorScheme: scheme,
          });
          if (c.signedIn) await context.addCookies(cookies);
          const page = await context.newPage();
          const r = await audit(page, c);
          if (r.overflow || r.errors.length || r.violations.length) problems[c.path] = r;
          await context.close();
        }
        expect(problems).toEqual({});
        // A sweep of every page with axe on a shared 2-core machine: generous, it asserts no timing.
      }, 240_000);
    }
  }

  it('the theme toggle overrides the system and is remembered', async () => {
    const context = await h.browser.newContext({ baseURL: h.url, colorScheme: 'light' });
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto('/');
    const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const light = await bg();
    const toggle = page.getByTestId('theme-toggle');
    await toggle.click(); // system → light
    await toggle.click(); // light → dark
    await expect.poll(bg).not.toBe(light);
    const dark = await bg();
    await page.reload();
    await page.getByTestId('theme-toggle').waitFor();
    expect(await bg()).toBe(dark);
    expect(await page.evaluate(() => document.documentElement.className)).toContain('dark');
    await context.close();
  });

  it('keeps post list filters in the URL', async () => {
    const context = await h.browser.newContext({ baseURL: h.url, viewport: { width: 1280, height: 900 } });
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto(`/campaigns/${ids.campaign}`);
    const rows = page.locator('[data-testid=posts] li');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByLabel('Status').selectOption('in_review');
    await expect.poll(() => page.url()).toContain('status=in_review');
    await expect.poll(() => rows.count()).toBe(1);
    await page.reload();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByLabel('Status').inputValue()).toBe('in_review');
    await page.getByLabel('Platform').selectOption('x');
    await page.getByText('No posts match these filters.').waitFor();
    await context.close();
  });
});

describe.runIf(hasChromium)('media library', () => {
  it('lists the organisation’s files, searchable by name with the search in the URL', async () => {
    const context = await h.browser.newContext({ baseURL: h.url, viewport: { width: 1280, height: 900 } });
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto('/media');
    const items = page.locator('[data-testid=library] > li');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toContain('Spring launch for the whole bakery chain');
    await page.getByLabel('Search by name').fill('nothing-like-it');
    await page.getByText('No files match these filters.').waitFor();
    await expect.poll(() => page.url()).toContain('q=nothing-like-it');
    await page.goto('/media?type=image&q=store');
    await expect.poll(() => items.count()).toBe(1);
    await context.close();
  });
});

describe.runIf(hasChromium)('week view', () => {
  it('places posts in hour slots and drags one to another hour, keeping its minutes', async () => {
    const context = await h.browser.newContext({ baseURL: h.url, viewport: { width: 1280, height: 900 } });
    await context.addCookies(cookies);
    const page = await context.newPage();
    const when = new Date();
    when.setDate(when.getDate() + 1);
    when.setHours(10, 30, 0, 0);
    await page.goto('/calendar');
    const post = await apiIn<{ id: string }>(page, 'POST', '/posts', {
      campaignId: ids.campaign,
      platform: 'mastodon',
      content: 'Slot me',
      scheduledAt: when.toISOString(),
    });
    await page.getByRole('button', { name: 'Week' }).click();
    const key = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}`;
    if (!(await page.locator(`[data-slot="${key}@10"]`).count()))
      await page.getByRole('button', { name: 'Next week' }).click();
    const chip = page.locator(`[data-slot="${key}@10"] [data-post="${post.id}"]`);
    await chip.waitFor();
    await chip.dragTo(page.locator(`[data-slot="${key}@14"]`));
    await expect
      .poll(async () =>
        new Date((await apiIn<{ scheduledAt: string }>(page, 'GET', `/posts/${post.id}`)).scheduledAt).getHours(),
      )
      .toBe(14);
    const after = new Date((await apiIn<{ scheduledAt: string }>(page, 'GET', `/posts/${post.id}`)).scheduledAt);
    expect([after.getDate(), after.getMinutes()]).toEqual([when.getDate(), 30]);
    await page.locator(`[data-slot="${key}@14"] [data-post="${post.id}"]`).waitFor();
    await context.close();
  });
});

describe.runIf(hasChromium)('reports', () => {
  it('totals engagement gained across campaigns for a date range, kept in the URL', async () => {
    const context = await h.browser.newContext({ baseURL: h.url, viewport: { width: 1280, height: 900 } });
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto('/reports');
    await expect.poll(() => page.getByTestId('total-likes').textContent()).toBe('12');
    expect(await page.getByTestId('total-impressions').textContent()).toBe((900).toLocaleString('en-US'));
    await page.getByText('Spring launch for the whole bakery chain').waitFor();
    // A range that ends before anything was measured shows nothing gained.
    await page.goto('/reports?from=2020-01-01&to=2020-01-31');
    await expect.poll(() => page.getByTestId('total-likes').textContent()).toBe('0');
    await context.close();
  });
});

describe.runIf(hasChromium)('composer', () => {
  it('creates nothing until saved, opens on a clicked day and submits for review', async () => {
    const context = await h.browser.newContext({ baseURL: h.url, viewport: { width: 1280, height: 900 } });
    await context.addCookies(cookies);
    const page = await context.newPage();
    const count = async () =>
      (await apiIn<{ items: unknown[] }>(page, 'GET', `/posts?campaignId=${ids.campaign}&limit=200`)).items.length;
    await page.goto(`/campaigns/${ids.campaign}?view=calendar`);
    const before = await count();
    // Cancelling an opened composer leaves nothing behind.
    await page.getByRole('button', { name: 'New post', exact: true }).click();
    await page.getByLabel('Text').fill('Never saved');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await count()).toBe(before);

    // A day in the calendar opens it on that day, and the preview follows the text.
    const day = new Date();
    day.setDate(day.getDate() + 1);
    if (day.getMonth() !== new Date().getMonth()) await page.getByRole('button', { name: 'Next month' }).click();
    const label = day.toLocaleDateString('en-US', { weekday: 'long', day: 'numeric', month: 'long' });
    await page.getByRole('button', { name: `New post on ${label}`, exact: true }).click();
    const key = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    expect(await page.getByLabel('Date').inputValue()).toBe(key);
    await page.getByLabel('Text').fill('Croissants at dawn');
    await expect.poll(() => page.getByTestId('post-preview').last().textContent()).toContain('Croissants at dawn');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.waitForURL(/\/posts\//);
    const id = page.url().split('/posts/')[1]!;
    const saved = await apiIn<{ status: string; content: string; scheduledAt: string }>(page, 'GET', `/posts/${id}`);
    expect(saved).toMatchObject({ status: 'in_review', content: 'Croissants at dawn' });
    expect(new Date(saved.scheduledAt).getDate()).toBe(day.getDate());
    expect(await count()).toBe(before + 1);
    await context.close();
  });
});

describe.runIf(hasChromium)('one file in many posts', () => {
  it('adds a library file to a post, picks it in the composer, uploads by drop, and counts the uses', async () => {
    const context = await h.browser.newContext({
      baseURL: h.url,
      viewport: { width: 1280, height: 900 },
      colorScheme: 'dark',
    });
    await context.addCookies(cookies);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`/posts/${ids.post}`);
    const library = await apiIn<{ items: { id: string; fileName: string }[] }>(
      page,
      'GET',
      `/assets?clientId=${ids.client}&q=storefront`,
    );
    const file = library.items[0]!;

    // From the post page's Media card, out of the client's library.
    await page.getByRole('button', { name: 'Add from library' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('storefront.png').check();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add file' }).click();
    await expect
      .poll(async () => (await apiIn<{ assetIds: string[] }>(page, 'GET', `/posts/${ids.post}`)).assetIds)
      .toEqual([file.id]);
    // The preview shows the image as the network would.
    await page.locator(`[data-testid=post-preview] img[src$="${file.id}/content"]`).first().waitFor();
    await page.getByTestId('media-card').getByRole('img', { name: 'storefront.png' }).waitFor();

    // The composer offers the same file for a new post of the same client.
    await page.goto(`/campaigns/${ids.campaign}`);
    await page.getByRole('button', { name: 'New post', exact: true }).click();
    const composer = page.getByTestId('composer');
    await composer.getByLabel('Text').fill('Same storefront, new words');
    await composer.getByLabel('storefront.png').check();
    // A file dropped on the composer is uploaded to the campaign and picked.
    const drop = await page.evaluateHandle(() => {
      const png = Uint8Array.from(
        atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
        (c) => c.charCodeAt(0),
      );
      const dt = new DataTransfer();
      dt.items.add(new File([png], 'dropped.png', { type: 'image/png' }));
      return dt;
    });
    const zone = composer.locator('fieldset').filter({ hasText: "client's library" });
    await zone.dispatchEvent('dragover', { dataTransfer: drop });
    await zone.dispatchEvent('drop', { dataTransfer: drop });
    await composer.getByLabel('dropped.png').waitFor();
    await expect.poll(() => composer.getByLabel('dropped.png').isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/posts\//);
    const id = page.url().split('/posts/')[1]!;
    const saved = await apiIn<{ assetIds: string[]; content: string }>(page, 'GET', `/posts/${id}`);
    expect(saved.content).toBe('Same storefront, new words');
    expect(saved.assetIds).toHaveLength(2);
    expect(saved.assetIds[0]).toBe(file.id);

    // The library counts the uses.
    await page.goto('/media?q=storefront');
    await expect
      .poll(() => page.locator(`[data-asset="${file.id}"] [data-testid=usage]`).textContent())
      .toBe('Used in 2 posts');
    await page.goto('/media?q=dropped');
    await expect
      .poll(() => page.locator('[data-testid=library] [data-testid=usage]').first().textContent())
      .toBe('Used in 1 post');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe.runIf(hasChromium)('API docs', () => {
  it('renders from this server alone, asking no other host for anything', async () => {
    const context = await h.browser.newContext({ baseURL: h.url });
    const page = await context.newPage();
    const elsewhere: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(h.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
        elsewhere.push(r.url());
    });
    // A script or style the page's Content-Security-Policy refused shows as a console error.
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    // Every request the page makes, until it ends: the page is settled when none is open.
    const open = new Set<unknown>();
    page.on('request', (r) => open.add(r));
    page.on('requestfinished', (r) => open.delete(r));
    page.on('requestfailed', (r) => open.delete(r));
    const answer = await page.goto('/api/docs');
    const csp = (await answer!.allHeaders())['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline');
    // Scalar's bundle is ~5 MB to parse; the server compresses it on first request.
    await page.getByText('Chorus API').first().waitFor({ timeout: 60_000 });
    await page.getByText('Integrations').first().waitFor({ timeout: 60_000 });
    // Settled: no request open for a whole second. (Not 'networkidle', which Chromium
    // sometimes never reports for this page although nothing is in flight.)
    let quietSince = Date.now();
    await expect
      .poll(
        () => {
          if (open.size) quietSince = Date.now();
          return Date.now() - quietSince >= 1000;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(true);
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 150_000);
});
