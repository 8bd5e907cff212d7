import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiIn, type Harness, hasChromium, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

// A reviewer sees the bell count rise the moment a post is submitted, opens the panel and
// follows the notification to the post; the account, reset and sign-in pages render cleanly.

// Evaluated rather than added as a script tag: the page's CSP refuses inline scripts.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let h: Harness;
let owner: Page;
let reviewer: Page;
const errors: string[] = [];
const password = 'correct horse battery';

function watch(page: Page, who: string) {
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${who}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
}

/** Serious and critical axe violations on the page as it stands. */
async function axe(page: Page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: () => Promise<{ violations: any[] }> } }).axe.run();
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
  return result;
}

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  owner = (await newPage(h)).page;
  watch(owner, 'owner');
});
afterAll(async () => {
  await h?.close();
});

describe.runIf(hasChromium)('notifications in a browser', () => {
  let postId = '';

  it('a reviewer sees the bell rise when a post is submitted, opens the panel and follows the link', async () => {
    await signUp(owner, { org: 'Bell Agency', name: 'Olive Owner', email: uniqueEmail('owner'), password });
    const client = await apiIn<{ id: string }>(owner, 'POST', '/clients', { name: 'Bakery' });
    const campaign = await apiIn<{ id: string }>(owner, 'POST', '/campaigns', {
      clientId: client.id,
      name: 'Autumn',
      platform: 'linkedin',
      startDate: '2026-09-01',
      endDate: '2026-11-30',
    });
    const post = await apiIn<{ id: string }>(owner, 'POST', '/posts', {
      campaignId: campaign.id,
      content: 'Warm bread for cold mornings.',
    });
    postId = post.id;

    const inv = await apiIn<{ token: string }>(owner, 'POST', '/invitations', {
      email: uniqueEmail('mgr'),
      role: 'manager',
    });
    const ctx = await newPage(h);
    reviewer = ctx.page;
    watch(reviewer, 'reviewer');
    await reviewer.goto(`/invite?token=${encodeURIComponent(inv.token)}`);
    await reviewer.getByLabel('Your name').fill('Rita Reviewer');
    await reviewer.getByLabel('Choose a password').fill(password);
    await reviewer.getByRole('button', { name: 'Accept invitation' }).click();
    await reviewer.getByRole('heading', { name: /Good to see you/ }).waitFor();
    const bell = reviewer.getByTestId('bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications');
    expect(await reviewer.getByTestId('unread-count').count()).toBe(0);

    await apiIn(owner, 'POST', `/posts/${postId}/status`, { status: 'in_review' });
    await expect.poll(() => reviewer.getByTestId('unread-count').textContent()).toBe('1');
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');

    await bell.click();
    const panel = reviewer.getByRole('region', { name: 'Notifications' });
    await panel.waitFor();
    const item = panel.getByTestId('notification').first();
    await expect.poll(() => item.textContent()).toContain('Olive Owner asks for your review');
    expect(await item.textContent()).toContain('Warm bread for cold mornings.');
    expect(await panel.textContent()).toContain('Post in Autumn');
    expect(await axe(reviewer)).toEqual([]);

    await item.click();
    await reviewer.waitForURL(`**/posts/${postId}`);
    await expect.poll(() => reviewer.getByTestId('unread-count').count()).toBe(0);
    const stored = await apiIn<{ unreadCount: number }>(reviewer, 'GET', '/notifications');
    expect(stored.unreadCount).toBe(0);
  });

  it('mentions a teammate with @ autocomplete and shows the mention as a name', async () => {
    await owner.goto(`/posts/${postId}`);
    const composer = owner.getByLabel('Add a note');
    await composer.click();
    await owner.keyboard.type('Please check this @Rit');
    const option = owner.getByRole('option', { name: /Rita Reviewer/ });
    await option.waitFor();
    await owner.keyboard.press('Enter');
    expect(await composer.inputValue()).toBe('Please check this @Rita Reviewer ');
    await owner.getByRole('button', { name: 'Post note' }).click();
    const mention = owner.getByTestId('notes').locator('[data-mention]');
    await expect.poll(() => mention.first().textContent()).toBe('@Rita Reviewer');
    // The reviewer, on the post, hears about it live.
    await expect.poll(() => reviewer.getByTestId('unread-count').textContent()).toBe('1');
  });

  it('account, password reset and magic-link pages work at 375 px, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const ctx = await h.browser.newContext({ baseURL: h.url, viewport: { width: 375, height: 800 }, colorScheme });
      const page = await ctx.newPage();
      watch(page, `anon-${colorScheme}`);
      await page.goto('/login');
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      // The link navigates in the page, once the reset page's code has loaded; until then the
      // login form (with its own E-mail field) is still the one on screen.
      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await page.getByLabel('E-mail').fill('nobody@example.test');
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain('If an account uses');
      expect(await axe(page)).toEqual([]);
      await page.goto('/magic-link?token=not-a-real-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.textContent('body')).toContain('expired or was already used');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(375);
      await ctx.close();
    }
    await owner.setViewportSize({ width: 375, height: 800 });
    await owner.goto('/account');
    await owner.getByRole('heading', { name: 'Where you are signed in' }).waitFor();
    await expect.poll(() => owner.getByTestId('sessions').locator('li').count()).toBe(1);
    expect(await owner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await axe(owner)).toEqual([]);
    await owner.setViewportSize({ width: 1280, height: 900 });
    // The demo runs without SMTP: the owner reads the invitation mail in the outbox.
    await owner.goto('/outbox');
    await owner.getByTestId('outbox').waitFor();
    expect(await owner.getByTestId('outbox').textContent()).toContain('invited you to Bell Agency');
    // A 4xx the page itself asked for is expected; nothing else may log an error.
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
