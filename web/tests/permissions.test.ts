import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../server/src/db/tenant.ts';
import { apiIn, type Harness, hasChromium, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

// Permissions and frozen content followed live by an open tab, in a real browser.

let h: Harness;
let owner: Page;
const password = 'correct horse battery';
let campaignId = '';
const errors: string[] = [];
/** Members whose session the test ended on purpose. */
const ended = new Set<string>();

async function member(role: string, name: string): Promise<{ page: Page; id: string }> {
  const email = uniqueEmail(role);
  const inv = await apiIn<{ token: string }>(owner, 'POST', '/invitations', { email, role });
  const { page } = await newPage(h);
  await page.goto(`/invite?token=${encodeURIComponent(inv.token)}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Choose a password').fill(password);
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await page.getByRole('heading', { name: /Good to see you/ }).waitFor();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A tab whose session ended learns so from the API answering 401, which Chromium logs.
    if (ended.has(name) && m.text().includes('status of 401')) return;
    errors.push(`${name}: ${m.text()} ${m.location().url}`);
  });
  const users = await apiIn<{ items: { id: string; email: string }[] }>(owner, 'GET', '/users');
  return { page, id: users.items.find((u) => u.email === email)!.id };
}

async function newPost(content: string): Promise<string> {
  const p = await apiIn<{ id: string }>(owner, 'POST', '/posts', { campaignId, content });
  return p.id;
}

const editorOf = (page: Page) => page.locator('[data-testid=editor] .cm-content');

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  owner = (await newPage(h)).page;
  await signUp(owner, { org: 'Live Rules', name: 'Olive Owner', email: uniqueEmail('owner'), password });
  const client = await apiIn<{ id: string }>(owner, 'POST', '/clients', { name: 'Rules client' });
  const campaign = await apiIn<{ id: string }>(owner, 'POST', '/campaigns', {
    clientId: client.id,
    name: 'Rules campaign',
    platform: 'mastodon',
    startDate: '2026-01-01',
    endDate: '2027-12-31',
  });
  campaignId = campaign.id;
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe.runIf(hasChromium)('permissions follow the member live', () => {
  it('a demoted editor’s open tab turns read-only and loses its actions within 5 s; its typing goes nowhere', async () => {
    const postId = await newPost('Demote me');
    const ed = await member('editor', 'Eddie Editor');
    await ed.page.goto(`/posts/${postId}`);
    await owner.goto(`/posts/${postId}`);
    await expect.poll(() => editorOf(ed.page).textContent()).toContain('Demote me');
    await expect.poll(() => editorOf(ed.page).getAttribute('contenteditable')).toBe('true');
    await ed.page.getByRole('button', { name: 'Submit for review' }).waitFor();
    await ed.page.getByRole('button', { name: 'Attach media' }).waitFor();

    const at = Date.now();
    await apiIn(owner, 'PATCH', `/users/${ed.id}`, { role: 'viewer' });
    await expect.poll(() => editorOf(ed.page).getAttribute('contenteditable'), { timeout: 6_000 }).toBe('false');
    await expect
      .poll(() => ed.page.getByRole('button', { name: 'Submit for review' }).count(), { timeout: 6_000 })
      .toBe(0);
    await expect.poll(() => ed.page.getByRole('button', { name: 'Attach media' }).count(), { timeout: 6_000 }).toBe(0);
    expect(Date.now() - at).toBeLessThan(5_000);
    await expect.poll(() => ed.page.getByTestId('editor-status').textContent()).toContain('your role can view');

    // Even a forced write from the page is dropped by the server.
    await editorOf(ed.page).click({ force: true });
    await ed.page.keyboard.type('SNEAKY');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await editorOf(owner).textContent()).toBe('Demote me');
    expect((await apiIn<{ content: string }>(owner, 'GET', `/posts/${postId}`)).content).toBe('Demote me');
    await ed.page.context().close();
  });

  it('a deactivated member’s tab says the session ended and goes to the login page', async () => {
    const postId = await newPost('Bye');
    const ed = await member('editor', 'Dee Activated');
    await ed.page.goto(`/posts/${postId}`);
    await expect.poll(() => editorOf(ed.page).textContent()).toContain('Bye');
    ended.add('Dee Activated');
    await apiIn(owner, 'PATCH', `/users/${ed.id}`, { isActive: false });
    await ed.page.waitForURL(/\/login/, { timeout: 6_000 });
    await expect.poll(() => ed.page.getByTestId('session-notice').textContent()).toContain('Your session has ended');
    await ed.page.context().close();
  });

  it('a post published while open turns read-only, says why, and duplicates as a new draft', async () => {
    const postId = await newPost('Going out');
    await owner.goto(`/posts/${postId}`);
    await expect.poll(() => editorOf(owner).getAttribute('contenteditable')).toBe('true');
    await withSystem(h.server.database.db, (tx) =>
      tx
        .updateTable('scheduled_posts')
        .set({ status: 'published', published_at: new Date(), updated_by: null })
        .where('id', '=', postId)
        .execute(),
    );
    // The status reaches the page over the change feed only for writes that record it; the
    // collab session learns it from the database within its 2 s check.
    await expect.poll(() => editorOf(owner).getAttribute('contenteditable'), { timeout: 6_000 }).toBe('false');
    await expect.poll(() => owner.getByTestId('editor-status').textContent()).toContain('has been published');
    await owner.reload();
    await owner.getByTestId('frozen').waitFor();
    await owner.getByRole('button', { name: 'Duplicate as new draft' }).click();
    await owner.waitForURL((u) => u.pathname.startsWith('/posts/') && !u.pathname.endsWith(postId));
    await expect.poll(() => editorOf(owner).textContent()).toContain('Going out');
    await expect.poll(() => owner.getByTestId('post-status').textContent()).toContain('Draft');
    await expect.poll(() => editorOf(owner).getAttribute('contenteditable')).toBe('true');
  });

  it('logged no console errors', () => {
    expect(errors.join('\n')).toBe('');
  });
});
