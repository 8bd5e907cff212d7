import { afterAll, describe, it } from 'vitest';
import { apiIn, type Harness, newPage, signUp, startHarness, uniqueEmail } from './harness.ts';

// First-load transfer of the calendar and post pages (a measurement for BENCHMARKS.md, not a
// test): a fresh browser context with only the session cookie, every byte Chromium received
// over the wire (headers + compressed bodies, as the Network panel's "transferred") summed
// per page until the network is idle. `pnpm --filter @chorus/web transfer`.
let h: Harness | undefined;
afterAll(async () => h?.close());

describe('transfer', () => {
  it('measures the first load of the calendar and post pages', async () => {
    h = await startHarness();
    const { context, page } = await newPage(h);
    await signUp(page, { org: 'Measure Co', name: 'Mo', email: uniqueEmail('xfer'), password: 'measure-2026-xfer' });
    const client = await apiIn<{ id: string }>(page, 'POST', '/clients', { name: 'Bakery Bros' });
    const camp = await apiIn<{ id: string }>(page, 'POST', '/campaigns', {
      clientId: client.id,
      name: 'Spring',
      platform: 'mastodon',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    });
    const post = await apiIn<{ id: string }>(page, 'POST', '/posts', {
      campaignId: camp.id,
      platform: 'mastodon',
      content: 'Fresh bread',
      scheduledAt: new Date(Date.now() + 864e5).toISOString(),
    });
    const cookies = await context.cookies();
    for (const path of ['/calendar', `/posts/${post.id}`]) {
      const fresh = await h.browser.newContext({ baseURL: h.url, viewport: { width: 1280, height: 900 } });
      await fresh.addCookies(cookies);
      const p = await fresh.newPage();
      const cdp = await fresh.newCDPSession(p);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const kinds = new Map<string, string>();
      const sizes = { script: 0, stylesheet: 0, document: 0, other: 0 };
      cdp.on('Network.responseReceived', (e) => kinds.set(e.requestId, e.type.toLowerCase()));
      cdp.on('Network.loadingFinished', (e) => {
        const k = kinds.get(e.requestId) ?? 'other';
        const key = k in sizes ? (k as keyof typeof sizes) : 'other';
        sizes[key] += e.encodedDataLength;
      });
      await p.goto(path);
      await p.waitForLoadState('networkidle');
      await p.waitForTimeout(500);
      const total = Object.values(sizes).reduce((a, b) => a + b, 0);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      console.log(
        `${path.startsWith('/posts') ? 'post page' : 'calendar'}: total ${kb(total)} (JS ${kb(sizes.script)}, CSS ${kb(sizes.stylesheet)}, HTML ${kb(sizes.document)}, other ${kb(sizes.other)})`,
      );
      await fresh.close();
    }
  });
});
