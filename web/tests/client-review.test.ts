import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, startSmtp } from '../../server/test/smtp.ts';
import { apiIn, type Harness, hasChromium, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

// The client sign-off loop in two browsers: the agency submits and approves a post of a
// team_and_client client; the client member signs in by a link mailed to a real SMTP server,
// finds the post on its review page (phone-sized), comments on one word and requests changes;
// the team sees the comment highlighted on that word and the status change live, fixes the
// post and sends it back; the client approves.

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let h: Harness;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let team: Page;
let client: Page;
const errors: string[] = [];
const password = 'correct horse battery';

function watch(page: Page, who: string) {
  page.on('console', (m) => {
    // A 401 while signed out (before sign-up, before the magic link) is the app asking who is there.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(`${who}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
}

async function axe(page: Page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: () => Promise<{ violations: any[] }> } }).axe.run();
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
}

/** Double-clicks a word of the editor's text (CodeMirror selects it, read-only or not). */
async function selectWord(page: Page, scope: string, word: string) {
  const box = await page.evaluate(
    ([sel, w]) => {
      const root = document.querySelector(`${sel} .cm-content`)!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent!.indexOf(w!);
        if (at < 0) continue;
        const r = document.createRange();
        r.setStart(n, at);
        r.setEnd(n, at + w!.length);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }
      return null;
    },
    [scope, word] as const,
  );
  if (!box) throw new Error(`"${word}" is not in the editor`);
  await page.mouse.dblclick(box.x, box.y);
}

beforeAll(async () => {
  if (!hasChromium) return;
  smtp = await startSmtp();
  h = await startHarness({ SMTP_URL: smtp.url });
  team = (await newPage(h)).page;
  // bypassCSP only so axe can be injected; tests/csp.test.ts checks the policy itself.
  const phone = await h.browser.newContext({
    baseURL: h.url,
    viewport: { width: 375, height: 800 },
    hasTouch: true,
    bypassCSP: true,
  });
  client = await phone.newPage();
  watch(team, 'team');
  watch(client, 'client');
}, 180_000);
afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

describe.runIf(hasChromium)('the client sign-off loop', () => {
  it('runs from submission to the client’s approval, with a comment on a word and a change request between', async () => {
    await signUp(team, { org: 'Loop Agency', name: 'Tess Team', email: uniqueEmail('team'), password });
    const cl = await apiIn<{ id: string }>(team, 'POST', '/clients', {
      name: 'Lumen Studio',
      approvalPolicy: 'team_and_client',
    });
    const campaign = await apiIn<{ id: string }>(team, 'POST', '/campaigns', {
      clientId: cl.id,
      name: 'Spring Collection',
      platform: 'mastodon',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    });
    const post = await apiIn<{ id: string }>(team, 'POST', '/posts', {
      campaignId: campaign.id,
      content: 'Our spring lamps launch on Friday with free delivery.',
    });
    const clientEmail = uniqueEmail('client');
    const inv = await apiIn<{ token: string }>(team, 'POST', '/invitations', {
      email: clientEmail,
      role: 'client',
      clientIds: [cl.id],
    });
    const accepted = await fetch(`${h.url}/api/v1/auth/accept-invitation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: inv.token, name: 'Alex Client', password }),
    });
    expect(accepted.status).toBe(201);

    // The agency submits and approves: the post goes to the client.
    await team.goto(`/posts/${post.id}`);
    await team.getByRole('button', { name: 'Submit for review' }).click();
    await expect.poll(() => team.getByTestId('post-status').textContent()).toContain('In review');
    await team.getByRole('button', { name: 'Approve and send to client' }).click();
    await expect.poll(() => team.getByTestId('post-status').textContent()).toContain('Client review');

    // The client signs in by a mailed link, on a phone.
    await client.goto('/magic-link');
    await client.getByLabel('E-mail').fill(clientEmail);
    await client.getByRole('button', { name: 'Mail me a sign-in link' }).click();
    await client.getByRole('status').filter({ hasText: 'mailed it a sign-in link' }).waitFor();
    const link = linkIn((await smtp.mailTo(clientEmail, (m) => m.subject.includes('sign-in'))).text, h.url);
    await client.goto(link.pathname + link.search);
    await client.getByRole('button', { name: 'Sign in' }).click();
    await client.getByRole('heading', { name: 'Waiting for your review' }).waitFor();
    expect(new URL(client.url()).pathname).toBe('/review');
    const card = client.getByTestId('review-post');
    await card.getByText('launch on Friday').waitFor();
    // Nothing of the agency's internals: no team navigation, no workflow, no internal notes choice.
    expect(await client.getByRole('link', { name: 'Calendar' }).count()).toBe(0);
    expect(await client.getByTestId('visibility-choice').count()).toBe(0);
    expect(await axe(client)).toEqual([]);

    // A comment on one word, then a request for changes with a reason.
    await selectWord(client, '[data-testid=review-post]', 'Friday');
    await client.getByTestId('comment-selection').click();
    await expect.poll(() => client.getByTestId('anchor-draft').textContent()).toContain('Friday');
    await client.getByLabel('Add a comment').fill('Can we say Saturday? The shop opens then.');
    await client.getByRole('button', { name: 'Send comment' }).click();
    await client.locator('.cm-anchor-client', { hasText: 'Friday' }).waitFor();
    await client.getByRole('button', { name: 'Request changes' }).click();
    await client.getByLabel('What should change?').fill('Saturday, please — see my comment.');
    await client.getByRole('button', { name: 'Send request for changes' }).click();
    await client.getByTestId('review-empty').waitFor();

    // The team sees it live: the word highlighted as a client comment, the new status, the trail.
    const mark = team.locator('.cm-anchor-client', { hasText: 'Friday' });
    await mark.waitFor();
    await expect.poll(() => team.getByTestId('post-status').textContent()).toContain('Changes requested');
    await mark.click();
    const thread = team.getByTestId('thread').filter({ hasText: 'Can we say Saturday?' });
    await expect.poll(() => thread.getAttribute('class')).toContain('ring-2');
    expect(await thread.getByTestId('visibility').textContent()).toContain('Shared with client');
    await team.getByTestId('versions').getByText('Saturday, please — see my comment.').waitFor();

    // The fix: the word changes in the editor (the comment then marks a deleted span), back to the client.
    await selectWord(team, '[data-testid=editor]', 'Friday');
    await team.keyboard.type('Saturday');
    await expect
      .poll(() => thread.getByTestId('anchor-quote').textContent(), { timeout: 15_000 })
      .toContain('this text was deleted');
    // Collab saves the typed text shortly after; resubmitting before would let the save send it back.
    await expect
      .poll(async () => (await apiIn<{ content: string }>(team, 'GET', `/posts/${post.id}`)).content)
      .toContain('launch on Saturday');
    await thread.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => thread.getAttribute('data-resolved')).toBe('true');
    await team.getByRole('button', { name: 'Resubmit' }).click();
    await expect.poll(() => team.getByTestId('post-status').textContent()).toContain('In review');
    await team.getByRole('button', { name: 'Approve and send to client' }).click();
    await expect.poll(() => team.getByTestId('post-status').textContent()).toContain('Client review');

    // The client sees it come back, with the new text, and approves.
    await card
      .getByText('launch on Saturday')
      .waitFor({ timeout: 10_000 })
      .catch(async (e) => {
        throw new Error(`${e}\n--- client page:\n${await client.locator('main').textContent()}`);
      });
    await card.getByRole('button', { name: 'Approve' }).click();
    await client
      .getByTestId('review-done')
      .filter({ hasText: 'Approved' })
      .waitFor({ timeout: 10_000 })
      .catch(async (e) => {
        throw new Error(`${e}\n--- client page:\n${await client.locator('main').textContent()}\n${errors.join('\n')}`);
      });
    await expect.poll(() => team.getByTestId('post-status').textContent()).toContain('Approved');

    // Dark mode and the wide layout hold up for the client too.
    await client.emulateMedia({ colorScheme: 'dark' });
    await client.setViewportSize({ width: 1280, height: 900 });
    expect(await axe(client)).toEqual([]);
    expect(errors).toEqual([]);
  }, 180_000);
});
