import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../server/src/db/tenant.ts';
import { recordChanges } from '../../server/src/realtime/changes.ts';
import { apiIn, type Harness, hasChromium, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

// Cost that follows the view, not the history: a fresh tab loads what it shows over REST and
// joins the change feed at the head that state was read at (no replay of the organisation's
// history), and the calendar asks only for the range it shows.

let h: Harness;
let owner: Page;
let me: { user: { id: string }; organisation: { id: string } };
let campaignId = '';
const HISTORY = 3000;
const now = new Date();
/** A busy day in the month the calendar opens on, and one three months earlier. */
const busyDay = new Date(now.getFullYear(), now.getMonth(), 15, 9, 0);
const earlier = new Date(now.getFullYear(), now.getMonth() - 3, 10, 9, 0);
const nextYear = new Date(now.getFullYear() + 1, now.getMonth(), 10, 9, 0);
const ids = { busy: [] as string[], earlier: '', nextYear: '' };

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  owner = (await newPage(h)).page;
  await signUp(owner, {
    org: 'Busy Agency',
    name: 'Bea Busy',
    email: uniqueEmail('busy'),
    password: 'correct horse battery',
  });
  me = await apiIn(owner, 'GET', '/me');
  const client = await apiIn<{ id: string }>(owner, 'POST', '/clients', { name: 'Many Posts Ltd' });
  const campaign = await apiIn<{ id: string }>(owner, 'POST', '/campaigns', {
    clientId: client.id,
    name: 'Always on',
    platform: 'mastodon',
    startDate: `${now.getFullYear() - 1}-01-01`,
    endDate: `${now.getFullYear() + 1}-12-31`,
  });
  campaignId = campaign.id;
  const post = (content: string, at: Date) =>
    apiIn<{ id: string }>(owner, 'POST', '/posts', { campaignId, content, scheduledAt: at.toISOString() });
  for (let i = 0; i < 8; i++) ids.busy.push((await post(`Busy ${i}`, new Date(busyDay.getTime() + i * 60_000))).id);
  ids.earlier = (await post('Three months ago', earlier)).id;
  ids.nextYear = (await post('Next year', nextYear)).id;
  // Thousands of changes of history, straight through the data layer.
  const db = h.server.database.db;
  for (let done = 0; done < HISTORY; done += 1000) {
    await withTenant(db, me.organisation.id, (tx) =>
      recordChanges(
        tx,
        Array.from({ length: 1000 }, (_, i) => ({
          organisationId: me.organisation.id,
          entity: 'note' as const,
          op: 'update' as const,
          id: me.user.id,
          data: { i: done + i },
          actorId: null,
        })),
      ),
    );
  }
  // Numbered just after commit: wait until the feed's head has them all.
  const head = () => owner.evaluate(async () => Number((await fetch('/api/v1/me')).headers.get('x-chorus-seq')));
  for (let i = 0; i < 200 && (await head()) < HISTORY + 12; i++) await new Promise((r) => setTimeout(r, 100));
}, 120_000);
afterAll(async () => {
  await h?.close();
});

/** Socket.IO `change` events a page receives, from its websocket frames. */
function changeFrames(page: Page) {
  const seqs: number[] = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      const text = typeof f.payload === 'string' ? f.payload : f.payload.toString();
      if (text.startsWith('42["change"')) seqs.push((JSON.parse(text.slice(2)) as [string, { seq: number }])[1].seq);
    }),
  );
  return seqs;
}

/** The calendar's GET /posts answers: the range each asked for and the posts each returned. */
function postRequests(page: Page) {
  const seen: Array<{ from: string | null; to: string | null; items: Array<{ id: string; scheduledAt: string }> }> = [];
  page.on('response', async (r: Response) => {
    const u = new URL(r.url());
    if (u.pathname !== '/api/v1/posts' || r.request().method() !== 'GET') return;
    const body = (await r.json()) as { items: Array<{ id: string; scheduledAt: string }> };
    seen.push({ from: u.searchParams.get('from'), to: u.searchParams.get('to'), items: body.items });
  });
  return seen;
}

describe.runIf(hasChromium)('a fresh tab at scale', () => {
  it('with thousands of changes behind it receives no replay, and still gets new changes live', async () => {
    const { context, page } = await newPage(h);
    await context.addCookies(await owner.context().cookies());
    const seqs = changeFrames(page);
    let head = -1;
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/me') head = Number(r.headers()['x-chorus-seq']);
    });
    await page.goto('/calendar');
    await page.locator(`[data-testid=calendar] [data-post="${ids.busy[0]}"]`).waitFor();
    expect(head).toBeGreaterThan(HISTORY);

    // A change made now reaches the tab live…
    const made = await apiIn<{ id: string }>(owner, 'POST', '/posts', {
      campaignId,
      content: 'Made after the tab opened',
      scheduledAt: new Date(now.getFullYear(), now.getMonth(), 20, 12, 0).toISOString(),
    });
    await page.locator(`[data-testid=calendar] [data-post="${made.id}"]`).waitFor();
    // …and it is the only change the tab was sent: nothing from the history before its head.
    expect(seqs.length).toBeGreaterThanOrEqual(1);
    expect(seqs.every((s) => s > head)).toBe(true);
    expect(seqs.length).toBeLessThan(5);
    // The tab keeps its position, so a reload resumes from here rather than from scratch.
    const saved = await page.evaluate(() =>
      Object.entries(sessionStorage).find(([k]) => k.startsWith('chorus:lastSeq:')),
    );
    expect(Number(saved?.[1])).toBe(Math.max(...seqs));
    await context.close();
  });
});

describe.runIf(hasChromium)('the calendar fetches what it shows', () => {
  it('asks only for its visible range, refetches on navigation, and summarises a busy day', async () => {
    const { context, page } = await newPage(h);
    await context.addCookies(await owner.context().cookies());
    const requests = postRequests(page);
    await page.goto('/calendar');
    const cal = page.locator('[data-testid=calendar]');
    await cal.locator(`[data-post="${ids.busy[0]}"]`).waitFor();
    await expect.poll(() => requests.length).toBeGreaterThan(0);

    // Every answer holds only posts inside the range it asked for; the far ones are not loaded.
    const check = () => {
      for (const r of requests) {
        expect(r.from && r.to).toBeTruthy();
        for (const p of r.items) {
          expect(Date.parse(p.scheduledAt)).toBeGreaterThanOrEqual(Date.parse(r.from!));
          expect(Date.parse(p.scheduledAt)).toBeLessThan(Date.parse(r.to!));
        }
      }
    };
    check();
    const loaded = () => new Set(requests.flatMap((r) => r.items.map((p) => p.id)));
    expect(loaded().has(ids.earlier)).toBe(false);
    expect(loaded().has(ids.nextYear)).toBe(false);
    // A range is a month view: six weeks at most.
    const first = requests[0]!;
    expect(Date.parse(first.to!) - Date.parse(first.from!)).toBeLessThanOrEqual(43 * 864e5);

    // Eight posts on one day: two chips and "+6 more", which opens the whole day.
    const day = cal.locator(
      `[data-day="${busyDay.getFullYear()}-${String(busyDay.getMonth() + 1).padStart(2, '0')}-15"]`,
    );
    await expect.poll(() => day.locator('[data-post]').count()).toBe(2);
    await day.getByRole('button', { name: /6 more posts/ }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.locator('[data-post]').count()).toBe(8);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Three months back: a new request for that range brings the earlier post.
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Previous month' }).click();
    await cal.locator(`[data-post="${ids.earlier}"]`).waitFor();
    check();
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(loaded().has(ids.nextYear)).toBe(false);
    await context.close();
  });

  it('keeps its range live: a post moved in appears, one moved out leaves', async () => {
    const { context, page } = await newPage(h);
    await context.addCookies(await owner.context().cookies());
    await page.goto('/calendar');
    const cal = page.locator('[data-testid=calendar]');
    await cal.locator(`[data-post="${ids.busy[0]}"]`).waitFor();
    // Next year's post moves into this month; one of the busy day's moves out to next year.
    await apiIn(owner, 'PATCH', `/posts/${ids.nextYear}`, {
      scheduledAt: new Date(now.getFullYear(), now.getMonth(), 3, 9, 0).toISOString(),
    });
    await cal.locator(`[data-post="${ids.nextYear}"]`).waitFor();
    await apiIn(owner, 'PATCH', `/posts/${ids.busy[0]}`, { scheduledAt: nextYear.toISOString() });
    await cal.locator(`[data-post="${ids.busy[0]}"]`).waitFor({ state: 'detached' });
    await context.close();
  });
});
