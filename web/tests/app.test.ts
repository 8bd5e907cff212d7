import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiIn, type Harness, hasChromium, logIn, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

let h: Harness;
let owner: Page;
const password = 'correct horse battery';
let campaignId = '';
let postId = '';

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  owner = (await newPage(h)).page;
});
afterAll(async () => {
  await h?.close();
});

describe.runIf(hasChromium)('Chorus in a browser', () => {
  it('signs up, then creates a client, a campaign and a post', async () => {
    await signUp(owner, { org: 'Acme Social', name: 'Olive Owner', email: uniqueEmail('owner'), password });
    await owner.getByRole('button', { name: 'New client' }).click();
    await owner.getByLabel('Name', { exact: true }).fill('Bakery Bros');
    await owner.getByRole('button', { name: 'Create client' }).click();
    await owner.getByRole('heading', { name: 'Bakery Bros' }).waitFor();

    await owner.getByRole('button', { name: 'New campaign' }).click();
    await owner.getByLabel('Name', { exact: true }).fill('Spring launch');
    await owner.getByLabel('Platform').selectOption('mastodon');
    await owner.getByRole('button', { name: 'Create campaign' }).click();
    await owner.getByRole('heading', { name: 'Spring launch' }).waitFor();
    campaignId = owner.url().split('/campaigns/')[1]!;

    await owner.getByRole('button', { name: 'New post', exact: true }).click();
    await owner.getByRole('dialog').getByRole('button', { name: 'Save draft' }).click();
    await owner.waitForURL(/\/posts\//);
    postId = owner.url().split('/posts/')[1]!;
    await owner.locator('[data-testid=editor] .cm-content').click();
    await owner.keyboard.type('Fresh bread, fresh ideas.');
    await expect.poll(() => owner.getByTestId('counter').textContent()).toContain('25 / 500');
    // The collab server writes the text back within 2 s.
    await expect
      .poll(async () => (await apiIn<{ content: string }>(owner, 'GET', `/posts/${postId}`)).content, {
        timeout: 10_000,
      })
      .toBe('Fresh bread, fresh ideas.');
  });

  it('two users co-editing one post see each other’s typing and cursor', async () => {
    const inv = await apiIn<{ token: string }>(owner, 'POST', '/invitations', {
      email: uniqueEmail('ed'),
      role: 'editor',
    });
    const { page: editor } = await newPage(h);
    await editor.goto(`/invite?token=${encodeURIComponent(inv.token)}`);
    await editor.getByLabel('Your name').fill('Eddie Editor');
    await editor.getByLabel('Choose a password').fill(password);
    await editor.getByRole('button', { name: 'Accept invitation' }).click();
    await editor.getByRole('heading', { name: /Good to see you/ }).waitFor();

    await editor.goto(`/posts/${postId}`);
    await owner.goto(`/posts/${postId}`);
    const ownerEditor = owner.locator('[data-testid=editor] .cm-content');
    const editorEditor = editor.locator('[data-testid=editor] .cm-content');
    await expect.poll(() => editorEditor.textContent()).toContain('Fresh bread');
    await editorEditor.click();
    await editor.keyboard.press('End');
    await editor.keyboard.type(' From Eddie.');
    await expect.poll(() => ownerEditor.textContent()).toContain('From Eddie.');
    await expect.poll(() => owner.locator('.cm-ySelectionInfo').allTextContents()).toContain('Eddie Editor');
    await editor.context().close();
  });

  it('a status change by one user shows in the other’s calendar without reload', async () => {
    const { page: other } = await newPage(h);
    const email = uniqueEmail('mgr');
    const inv = await apiIn<{ token: string }>(owner, 'POST', '/invitations', { email, role: 'manager' });
    await other.goto(`/invite?token=${encodeURIComponent(inv.token)}`);
    await other.getByLabel('Your name').fill('Mona Manager');
    await other.getByLabel('Choose a password').fill(password);
    await other.getByRole('button', { name: 'Accept invitation' }).click();
    await other.getByRole('heading', { name: /Good to see you/ }).waitFor();

    const when = new Date(Date.now() + 2 * 864e5);
    when.setHours(10, 0, 0, 0);
    await apiIn(owner, 'PATCH', `/posts/${postId}`, { scheduledAt: when.toISOString() });
    await other.goto('/calendar');
    const chip = other.locator(`[data-testid=calendar] [data-post="${postId}"]`);
    await expect.poll(() => chip.getAttribute('data-status')).toBe('draft');

    await owner.goto(`/posts/${postId}`);
    await owner.getByRole('button', { name: 'Submit for review' }).click();
    await expect.poll(() => chip.getAttribute('data-status')).toBe('in_review');
    await other.context().close();
  });

  it('metrics POSTed through the API move the chart', async () => {
    await owner.goto(`/posts/${postId}`);
    await owner.getByTestId('metrics-chart').waitFor();
    expect(await owner.getByTestId('metric-likes').textContent()).toBe('0');
    const at = new Date().toISOString();
    await apiIn(owner, 'POST', '/metrics', {
      snapshots: [{ postId, capturedAt: at, likes: 42, shares: 3, comments: 5, impressions: 1234 }],
    });
    await expect.poll(() => owner.getByTestId('metric-likes').textContent()).toBe('42');
    await expect.poll(() => owner.getByTestId('metric-impressions').textContent()).toBe((1234).toLocaleString('en-US'));
  });

  it('dragging a post to another day reschedules it and survives reload', async () => {
    await owner.goto('/calendar');
    const chip = owner.locator(`[data-testid=calendar] [data-post="${postId}"]`);
    await chip.waitFor();
    const post = await apiIn<{ scheduledAt: string }>(owner, 'GET', `/posts/${postId}`);
    const from = new Date(post.scheduledAt);
    const to = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 1);
    const key = `${to.getFullYear()}-${String(to.getMonth() + 1).padStart(2, '0')}-${String(to.getDate()).padStart(2, '0')}`;
    let target = owner.locator(`[data-day="${key}"]`);
    if (!(await target.count())) {
      await owner.getByRole('button', { name: 'Next month' }).click();
      target = owner.locator(`[data-day="${key}"]`);
    }
    await chip.dragTo(target);
    await expect
      .poll(
        async () =>
          (await apiIn<{ scheduledAt: string }>(owner, 'GET', `/posts/${postId}`)).scheduledAt.slice(0, 10) !==
          post.scheduledAt.slice(0, 10),
      )
      .toBe(true);
    await owner.reload();
    await owner
      .locator(`[data-day="${key}"] [data-post="${postId}"]`)
      .first()
      .waitFor({ timeout: 5000 })
      .catch(async () => {
        await owner.getByRole('button', { name: 'Next month' }).click();
        await owner.locator(`[data-day="${key}"] [data-post="${postId}"]`).waitFor();
      });
  });

  it('moves a post a day with Alt+Arrow from the keyboard, keeping its time', async () => {
    await owner.goto('/calendar');
    const before = await apiIn<{ scheduledAt: string }>(owner, 'GET', `/posts/${postId}`);
    const chip = owner.locator(`[data-testid=calendar] [data-post="${postId}"]`);
    await chip
      .first()
      .waitFor({ timeout: 5000 })
      .catch(async () => {
        await owner.getByRole('button', { name: 'Next month' }).click();
        await chip.first().waitFor();
      });
    await chip.first().focus();
    await owner.keyboard.press('Alt+ArrowLeft');
    const moved = () => apiIn<{ scheduledAt: string }>(owner, 'GET', `/posts/${postId}`).then((p) => p.scheduledAt);
    await expect.poll(moved).not.toBe(before.scheduledAt);
    const after = new Date(await moved());
    const was = new Date(before.scheduledAt);
    expect(after.getTime() - was.getTime()).toBe(-864e5 + (after.getTimezoneOffset() - was.getTimezoneOffset()) * 6e4);
    // Focus stays on the post, so a second press moves it again.
    await expect.poll(() => owner.evaluate(() => document.activeElement?.getAttribute('data-post'))).toBe(postId);
  });

  it('a viewer sees no edit controls and a read-only editor', async () => {
    const email = uniqueEmail('viewer');
    const inv = await apiIn<{ token: string }>(owner, 'POST', '/invitations', { email, role: 'viewer' });
    const { page: viewer } = await newPage(h);
    await viewer.goto(`/invite?token=${encodeURIComponent(inv.token)}`);
    await viewer.getByLabel('Your name').fill('Vic Viewer');
    await viewer.getByLabel('Choose a password').fill(password);
    await viewer.getByRole('button', { name: 'Accept invitation' }).click();
    await viewer.getByRole('heading', { name: /Good to see you/ }).waitFor();
    expect(await viewer.getByRole('button', { name: 'New client' }).count()).toBe(0);
    await viewer.goto(`/campaigns/${campaignId}`);
    await viewer.getByRole('heading', { name: 'Spring launch' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'New post', exact: true }).count()).toBe(0);
    await viewer.goto(`/posts/${postId}`);
    const content = viewer.locator('[data-testid=editor] .cm-content');
    await expect.poll(() => content.textContent()).toContain('Fresh bread');
    expect(await content.getAttribute('contenteditable')).toBe('false');
    expect(await viewer.getByTestId('status-actions').count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Attach media' }).count()).toBe(0);
    await viewer.context().close();
  });

  it('configures the webhook and a Mastodon account in settings, secrets never shown again', async () => {
    await owner.goto('/settings');
    await owner.getByLabel('Endpoint URL').fill('https://hooks.example/chorus');
    await owner.getByLabel(/Signing secret/).fill('a-signing-secret-of-some-length');
    await owner.getByRole('button', { name: 'Save webhook' }).click();
    await owner.getByText('Webhook saved.').waitFor();
    await owner.getByLabel('Connector').selectOption('mastodon');
    await owner.getByLabel('Instance URL').fill('https://social.example');
    await owner.getByLabel(/Access token/).fill('token-from-the-instance');
    await owner.getByRole('button', { name: 'Save account' }).click();
    const list = owner.getByRole('list', { name: 'Publishing accounts' });
    await expect.poll(() => list.textContent()).toContain('token set');
    await owner.reload();
    await expect.poll(() => owner.getByLabel('Endpoint URL').inputValue()).toBe('https://hooks.example/chorus');
    expect(await owner.getByLabel(/Signing secret/).inputValue()).toBe('');
    await owner.getByText('(set — leave empty to keep)').waitFor();
    expect(await owner.content()).not.toContain('token-from-the-instance');
    const hook = await apiIn<{ url: string; isActive: boolean }>(owner, 'GET', '/organisation/webhook');
    expect(hook).toMatchObject({ url: 'https://hooks.example/chorus', isActive: true });
  });

  it('edits and deletes a campaign; another tab’s calendar drops its posts without a reload', async () => {
    const { clientId } = await apiIn<{ clientId: string }>(owner, 'GET', `/campaigns/${campaignId}`);
    const camp = await apiIn<{ id: string }>(owner, 'POST', '/campaigns', {
      clientId,
      name: 'Short-lived',
      platform: 'mastodon',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    });
    const when = new Date(Date.now() + 2 * 864e5);
    when.setHours(11, 0, 0, 0);
    const doomed = await apiIn<{ id: string }>(owner, 'POST', '/posts', {
      campaignId: camp.id,
      content: 'Doomed post',
      platform: 'mastodon',
      scheduledAt: when.toISOString(),
    });
    const other = await owner.context().newPage();
    await other.goto('/calendar');
    const chip = other.locator(`[data-testid=calendar] [data-post="${doomed.id}"]`);
    await expect.poll(() => chip.count()).toBe(1);
    // The calendar tab stays open in the background (a hidden tab applies changes on a timer).
    await owner.bringToFront();

    await owner.goto(`/campaigns/${camp.id}`);
    await owner.getByRole('button', { name: 'Edit campaign' }).click();
    await owner.getByLabel('Name', { exact: true }).fill('Renamed campaign');
    await owner.getByRole('button', { name: 'Save campaign' }).click();
    await owner.getByRole('heading', { name: 'Renamed campaign' }).waitFor();
    await owner.getByRole('button', { name: 'Delete campaign' }).click();
    await owner.getByRole('dialog').getByRole('button', { name: 'Delete campaign' }).click();
    await owner.waitForURL(/\/clients\//);
    await expect.poll(() => chip.count()).toBe(0);
    expect(await owner.getByText('Renamed campaign').count()).toBe(0);
    await other.close();
  });

  it('edits and deletes a note, and removes an attached file', async () => {
    await owner.goto(`/campaigns/${campaignId}`);
    const thread = owner.getByTestId('notes');
    await owner.getByLabel('Add a note').fill('Draft the launch copy by Friday');
    await owner.getByRole('button', { name: 'Post note' }).click();
    await thread.getByText('Draft the launch copy by Friday').waitFor();
    await thread.getByRole('button', { name: 'Edit' }).first().click();
    await owner.getByLabel('Edit note').fill('Draft the launch copy by Thursday');
    await thread.getByRole('button', { name: 'Save' }).click();
    await thread.getByText('Draft the launch copy by Thursday').waitFor();
    await thread.getByRole('button', { name: 'Delete note and its replies' }).first().click();
    await expect.poll(() => thread.getByText('Draft the launch copy by Thursday').count()).toBe(0);

    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    await owner.locator('input[type=file]').setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: png });
    const remove = owner.getByRole('button', { name: 'Delete pixel.png' });
    await remove.waitFor();
    await remove.click();
    // A file of the campaign's library is deleted after a confirmation that says what it touches.
    const dialog = owner.getByRole('dialog');
    await dialog.getByText('No post uses the file.').waitFor();
    await dialog.getByRole('button', { name: 'Delete “pixel.png”' }).click();
    await expect.poll(() => remove.count()).toBe(0);
    const left = await apiIn<{ items: unknown[] }>(owner, 'GET', `/assets?campaignId=${campaignId}`);
    expect(left.items).toHaveLength(0);
  });

  it('logs back in after logging out', async () => {
    const me = await apiIn<{ user: { email: string } }>(owner, 'GET', '/me');
    await owner.goto('/');
    await owner.getByRole('button', { name: /Log out/ }).click();
    await owner.waitForURL(/\/login/);
    await logIn(owner, me.user.email, password);
  });
});
