import { mkdirSync } from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { apiIn, type Harness, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

// `pnpm --filter @chorus/web screenshots` refreshes docs/screenshots/ (not part of the test suite).
const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;
let h: Harness | undefined;
afterAll(async () => h?.close());

describe('screenshots', () => {
  it('captures the main screens', async () => {
    mkdirSync(OUT, { recursive: true });
    h = await startHarness();
    const { page } = await newPage(h);
    await signUp(page, {
      org: 'Northwind Social',
      name: 'Dana Demo',
      email: uniqueEmail('shot'),
      password: 'screenshots-2026',
    });
    const client = await apiIn<{ id: string }>(page, 'POST', '/clients', {
      name: 'Bakery Bros',
      contactName: 'Sam Baker',
    });
    const today = new Date();
    const d = (n: number) => new Date(today.getTime() + n * 864e5).toISOString().slice(0, 10);
    const camp = await apiIn<{ id: string }>(page, 'POST', '/campaigns', {
      clientId: client.id,
      name: 'Spring launch',
      platform: 'mastodon',
      goal: 'Fill the new shop',
      startDate: d(-3),
      endDate: d(30),
    });
    const texts = [
      'Fresh sourdough every morning 🍞',
      'Meet our bakers',
      'Spring menu is here!',
      'Behind the ovens',
      'Weekend brunch special',
    ];
    const ids: string[] = [];
    for (const [i, content] of texts.entries()) {
      const at = new Date(today.getTime() + (i + 1) * 864e5);
      at.setHours(9 + i, 0, 0, 0);
      const p = await apiIn<{ id: string }>(page, 'POST', '/posts', {
        campaignId: camp.id,
        platform: 'mastodon',
        content,
        scheduledAt: at.toISOString(),
      });
      ids.push(p.id);
    }
    await apiIn(page, 'POST', `/posts/${ids[0]}/status`, { status: 'in_review' });
    await apiIn(page, 'POST', `/posts/${ids[1]}/status`, { status: 'in_review' });
    await apiIn(page, 'POST', `/posts/${ids[1]}/status`, { status: 'approved' });
    const snaps = Array.from({ length: 12 }, (_, i) => ({
      postId: ids[0]!,
      capturedAt: new Date(Date.now() - (12 - i) * 3600e3).toISOString(),
      likes: i * 9,
      shares: i * 2,
      comments: i * 3,
      impressions: i * 140,
    }));
    await apiIn(page, 'POST', '/metrics', { snapshots: snaps });
    await apiIn(page, 'POST', '/notes', { campaignId: camp.id, body: 'Client wants more photos of the shop front.' });

    // Two photos-to-be in the client's library, drawn in the browser; one serves two posts.
    const files: string[] = [];
    for (const [name, from, to, label] of [
      ['storefront.png', '#f59e0b', '#b45309', 'Storefront'],
      ['sourdough.png', '#fde68a', '#92400e', 'Sourdough'],
    ] as const) {
      files.push(
        await page.evaluate(
          async ({ campaignId, name, from, to, label }) => {
            const canvas = document.createElement('canvas');
            canvas.width = 960;
            canvas.height = 720;
            const g = canvas.getContext('2d')!;
            const grad = g.createLinearGradient(0, 0, 960, 720);
            grad.addColorStop(0, from);
            grad.addColorStop(1, to);
            g.fillStyle = grad;
            g.fillRect(0, 0, 960, 720);
            g.fillStyle = 'rgba(255,255,255,0.92)';
            g.font = 'bold 96px sans-serif';
            g.fillText(label, 64, 620);
            const blob = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/png'));
            const form = new FormData();
            form.set('campaignId', campaignId);
            form.set('file', new File([blob], name, { type: 'image/png' }));
            const res = await fetch('/api/v1/assets', { method: 'POST', body: form, credentials: 'include' });
            return ((await res.json()) as { id: string }).id;
          },
          { campaignId: camp.id, name, from, to, label },
        ),
      );
    }
    await apiIn(page, 'PATCH', `/posts/${ids[0]}`, { assetIds: [files[1], files[0]] });
    await apiIn(page, 'PATCH', `/posts/${ids[2]}`, { assetIds: [files[0]] });

    const cookies = await page.context().cookies();
    // Desktop and phone, light and dark (the system's choice, which the app follows).
    for (const scheme of ['light', 'dark'] as const) {
      for (const phone of [false, true]) {
        const context = await h.browser.newContext({
          baseURL: h.url,
          colorScheme: scheme,
          viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
          deviceScaleFactor: phone ? 2 : 1,
        });
        await context.addCookies(cookies);
        const p = await context.newPage();
        const suffix = `${phone ? '-phone' : ''}${scheme === 'dark' ? '-dark' : ''}`;
        const shot = async (path: string, name: string) => {
          await p.goto(path);
          await p.waitForLoadState('networkidle');
          await p.waitForTimeout(800);
          await p.screenshot({ path: `${OUT}${name}${suffix}.png`, fullPage: !phone });
        };
        await shot('/', 'home');
        await shot(`/campaigns/${camp.id}`, 'campaign');
        await shot(`/posts/${ids[0]}`, 'post-editor');
        await shot('/calendar', 'calendar');
        await shot('/media', 'media');
        if (!phone) {
          await shot('/reports', 'reports');
          await shot('/team', 'team');
          await shot('/settings', 'settings');
        }
        await context.close();
      }
    }
  }, 300_000);
});
