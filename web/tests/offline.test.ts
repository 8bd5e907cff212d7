import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiIn, type Harness, hasChromium, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

// Offline first, in a real browser: the service worker opens the app with no network, text
// typed offline survives a reload and a closed tab (y-indexeddb) and merges with others' edits
// through the server's rules, and logging out wipes the member's copies.

let h: Harness;
let owner: { context: BrowserContext; page: Page; id: string };
let other: Page;
const password = 'correct horse battery';
let campaignId = '';
const errors: string[] = [];
/** Pages whose session the test ends on purpose (their 401s are expected). */
const ended = new Set<string>();

const editorOf = (page: Page) => page.locator('[data-testid=editor] .cm-content');
/** The editor's text without the other members' cursor labels. */
const textOf = (page: Page) =>
  editorOf(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const n of copy.querySelectorAll('.cm-ySelectionCaret, .cm-ySelectionInfo')) n.remove();
    return (copy.textContent ?? '').replaceAll('\u2060', '');
  });
const stored = async (postId: string) => (await apiIn<{ content: string }>(other, 'GET', `/posts/${postId}`)).content;

function watch(page: Page, who: string) {
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every request that fails while the test holds the network down.
    if (/ERR_INTERNET_DISCONNECTED|net::ERR_|WebSocket connection to/.test(m.text())) return;
    if (ended.has(who) && m.text().includes('status of 401')) return;
    errors.push(`${who}: ${m.text()} ${m.location().url}`);
  });
}

async function newPost(content: string): Promise<string> {
  return (await apiIn<{ id: string }>(other, 'POST', '/posts', { campaignId, content })).id;
}

/** Opens the post online and waits until the editor says everything is on the server. */
async function openSaved(page: Page, postId: string, text: string) {
  await page.goto(`/posts/${postId}`);
  await expect.poll(() => editorOf(page).textContent()).toContain(text);
  await expect.poll(() => page.getByTestId('save-state').getAttribute('data-unsynced')).toBe('0');
  // The service worker controls the page once it has cached the app.
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** Types at the end of the editor in one transaction (one stored update holds the whole text). */
async function typeAtEnd(page: Page, text: string) {
  await editorOf(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(text);
}

/** Whether this device's copy of the document (IndexedDB) holds `text`. */
function onDevice(page: Page, userId: string, postId: string, text: string): Promise<boolean> {
  return page.evaluate(
    async ([name, needle]) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      try {
        if (!db.objectStoreNames.contains('updates')) return false;
        const all = await new Promise<Uint8Array[]>((resolve) => {
          const r = db.transaction('updates').objectStore('updates').getAll();
          r.onsuccess = () => resolve(r.result as Uint8Array[]);
        });
        const n = new TextEncoder().encode(needle);
        return all.some((u) => {
          outer: for (let i = 0; i + n.length <= u.length; i++) {
            for (let j = 0; j < n.length; j++) if (u[i + j] !== n[j]) continue outer;
            return true;
          }
          return false;
        });
      } finally {
        db.close();
      }
    },
    [`chorus:${userId}:doc:post:${postId}`, text] as const,
  );
}

async function goOffline(context: BrowserContext, page: Page) {
  await context.setOffline(true);
  await page.getByTestId('offline-banner').waitFor();
}

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  const o = await newPage(h);
  await signUp(o.page, { org: 'Offline Agency', name: 'Ona Owner', email: uniqueEmail('owner'), password });
  watch(o.page, 'owner');
  const me = await apiIn<{ user: { id: string } }>(o.page, 'GET', '/me');
  owner = { ...o, id: me.user.id };
  await o.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // Another member, a manager (may cancel posts), in a browser of their own.
  const email = uniqueEmail('manager');
  const inv = await apiIn<{ token: string }>(o.page, 'POST', '/invitations', { email, role: 'manager' });
  other = (await newPage(h)).page;
  await other.goto(`/invite?token=${encodeURIComponent(inv.token)}`);
  await other.getByLabel('Your name').fill('Max Manager');
  await other.getByLabel('Choose a password').fill(password);
  await other.getByRole('button', { name: 'Accept invitation' }).click();
  await other.getByRole('heading', { name: /Good to see you/ }).waitFor();
  watch(other, 'manager');
  const client = await apiIn<{ id: string }>(o.page, 'POST', '/clients', { name: 'Offline client' });
  campaignId = (
    await apiIn<{ id: string }>(o.page, 'POST', '/campaigns', {
      clientId: client.id,
      name: 'Offline campaign',
      platform: 'mastodon',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    })
  ).id;
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe.runIf(hasChromium)('offline first', () => {
  it('text typed offline survives a reload offline and merges with an online edit within 15 s', async () => {
    const postId = await newPost('Base text');
    const { context, page } = owner;
    await openSaved(page, postId, 'Base text');
    // The service worker's one cache holds the app (the shell and the build), never the API.
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const paths: string[] = [];
      for (const k of keys) for (const r of await (await caches.open(k)).keys()) paths.push(new URL(r.url).pathname);
      return { keys, paths };
    });
    expect(cached.keys).toHaveLength(1);
    expect(cached.keys[0]).toMatch(/^chorus-shell-/);
    expect(cached.paths).toContain('/');
    expect(cached.paths).toContain('/manifest.webmanifest');
    expect(cached.paths.some((p) => /^\/(api|socket\.io|collab)\//.test(p))).toBe(false);

    await goOffline(context, page);
    await typeAtEnd(page, ' OFFLINE-A');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toContain('Saved on this device');
    await expect.poll(() => onDevice(page, owner.id, postId, 'OFFLINE-A')).toBe(true);

    // Reloaded with no network: the service worker opens the app, the device has the text.
    await page.reload();
    await expect.poll(() => textOf(page)).toBe('Base text OFFLINE-A');
    await page.getByTestId('offline-banner').waitFor();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toContain('1 unsynced change');
    expect(await stored(postId)).toBe('Base text');

    // Meanwhile another member edits the same post online.
    await other.goto(`/posts/${postId}`);
    await expect.poll(() => textOf(other)).toBe('Base text');
    await editorOf(other).click();
    await other.keyboard.press('Control+Home');
    await other.keyboard.insertText('ONLINE-B ');
    await expect.poll(() => stored(postId)).toBe('ONLINE-B Base text');

    await context.setOffline(false);
    await expect.poll(() => stored(postId), { timeout: 15_000 }).toBe('ONLINE-B Base text OFFLINE-A');
    await expect.poll(() => textOf(page)).toBe('ONLINE-B Base text OFFLINE-A');
    await expect.poll(() => page.getByTestId('save-state').getAttribute('data-unsynced')).toBe('0');
    await expect.poll(() => page.getByTestId('offline-banner').count()).toBe(0);
  });

  it('a tab closed offline and reopened online sends what was typed', async () => {
    const postId = await newPost('Closed tab');
    const { context } = owner;
    const page = await context.newPage();
    watch(page, 'owner tab');
    await openSaved(page, postId, 'Closed tab');
    await goOffline(context, page);
    await typeAtEnd(page, ' TYPED-THEN-CLOSED');
    await expect.poll(() => onDevice(page, owner.id, postId, 'TYPED-THEN-CLOSED')).toBe(true);
    await page.close();

    await context.setOffline(false);
    const again = await context.newPage();
    watch(again, 'owner tab 2');
    await again.goto(`/posts/${postId}`);
    await expect.poll(() => stored(postId), { timeout: 15_000 }).toBe('Closed tab TYPED-THEN-CLOSED');
    await expect.poll(() => again.getByTestId('save-state').getAttribute('data-unsynced')).toBe('0');
    await again.close();
  });

  it('a post cancelled while offline does not take the offline edits: they are shown as not saved, with a copy', async () => {
    const postId = await newPost('Frozen later');
    const { context, page } = owner;
    await openSaved(page, postId, 'Frozen later');
    await goOffline(context, page);
    await typeAtEnd(page, ' REFUSED');
    await expect.poll(() => onDevice(page, owner.id, postId, 'REFUSED')).toBe(true);

    await apiIn(other, 'POST', `/posts/${postId}/status`, { status: 'cancelled', reason: 'Client pulled it' });
    await context.setOffline(false);

    const panel = page.getByTestId('not-saved');
    await panel.waitFor({ timeout: 15_000 });
    await expect.poll(() => panel.getByRole('textbox').inputValue()).toBe('Frozen later REFUSED');
    await expect.poll(() => textOf(page)).toBe('Frozen later');
    await expect.poll(() => onDevice(page, owner.id, postId, 'REFUSED')).toBe(false);
    expect(await stored(postId)).toBe('Frozen later');

    await panel.getByRole('button', { name: 'Copy text' }).click();
    await panel.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Frozen later REFUSED');

    // Kept across a reload until dismissed; the server's text stays what it was.
    await page.reload();
    await page.getByTestId('not-saved').waitFor();
    await expect.poll(() => textOf(page)).toBe('Frozen later');
    await page.getByTestId('not-saved').getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.getByTestId('not-saved').count()).toBe(0);
    expect(await stored(postId)).toBe('Frozen later');
  });

  it('the calendar last seen opens offline, read-only, then catches up from its feed position without a reload', async () => {
    const { context, page } = owner;
    const at = new Date(Date.now() + 60_000).toISOString();
    const seen = await apiIn<{ id: string }>(other, 'POST', '/posts', {
      campaignId,
      content: 'SEEN-BEFORE',
      scheduledAt: at,
    });
    const chip = (id: string) => page.locator(`[data-testid=calendar] [data-post="${id}"]`);
    await page.goto('/calendar');
    await chip(seen.id).waitFor();

    await goOffline(context, page);
    await page.reload();
    await page.getByTestId('offline-banner').waitFor();
    await expect.poll(() => chip(seen.id).textContent()).toContain('SEEN-BEFORE');
    // Read-only: everything that needs the server is disabled while the banner says why.
    expect(await page.locator('main fieldset').evaluate((f) => (f as HTMLFieldSetElement).disabled)).toBe(true);
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    // Changes made while this device was away arrive from the feed once it is back.
    const made = await apiIn<{ id: string }>(other, 'POST', '/posts', {
      campaignId,
      content: 'MADE-AWAY',
      scheduledAt: at,
    });
    await apiIn(other, 'PATCH', `/posts/${seen.id}`, { content: 'SEEN-AFTER' });
    await context.setOffline(false);
    await expect.poll(() => chip(made.id).count()).toBe(1);
    await expect.poll(() => chip(seen.id).textContent()).toContain('SEEN-AFTER');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await page.locator('main fieldset').evaluate((f) => (f as HTMLFieldSetElement).disabled)).toBe(false);
  });

  it('a session the server ends clears that member’s copies too', async () => {
    const me = await apiIn<{ user: { id: string } }>(other, 'GET', '/me');
    const prefix = `chorus:${me.user.id}:`;
    const theirs = () =>
      other.evaluate(async (p) => (await indexedDB.databases()).filter((d) => d.name?.startsWith(p)).length, prefix);
    await other.goto('/');
    await other.getByRole('heading', { name: /Good to see you/ }).waitFor();
    expect(await theirs()).toBeGreaterThan(0);
    ended.add('manager');
    await apiIn(owner.page, 'PATCH', `/users/${me.user.id}`, { isActive: false });
    await other.waitForURL(/\/login/, { timeout: 10_000 });
    await expect.poll(theirs).toBe(0);
  });

  it('logging out removes every copy this device kept for the member', async () => {
    const { page } = owner;
    const prefix = `chorus:${owner.id}:`;
    const mine = () =>
      page.evaluate(async (p) => {
        const dbs = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(p));
        const keys = Object.keys(localStorage).filter((k) => k.startsWith(p) || k === 'chorus:last-member');
        return [...dbs, ...keys];
      }, prefix);
    await page.goto('/');
    await page.getByRole('heading', { name: /Good to see you/ }).waitFor();
    expect((await mine()).length).toBeGreaterThan(2);
    await page.getByRole('button', { name: /Log out/ }).click();
    await page.waitForURL(/\/login/);
    await expect.poll(mine).toEqual([]);
    // Nothing left to open offline either: the next start asks who is signing in.
    await owner.context.setOffline(true);
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await owner.context.setOffline(false);
  });

  it('logged no console errors', () => {
    expect(errors.join('\n')).toBe('');
  });
});
