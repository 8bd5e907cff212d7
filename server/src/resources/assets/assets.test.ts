import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/api.ts';
import { feedRows } from '../../../test/feed.ts';
import { buildWorld, PNG, uniq, uploadAsset, type World } from '../../../test/world.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import { byteRange } from './routes.ts';
import { contentDisposition } from './storage.ts';

const LIMIT = 2048;
let app: TestApp;
let w: World;
let other: World;
beforeAll(async () => {
  app = await startTestApp({
    ASSET_MAX_BYTES: String(LIMIT),
    DATA_DIR: join(process.env.TMPDIR ?? '/tmp', `chorus-assets-${Date.now()}-${process.pid}`),
  });
  w = await buildWorld(app.url, 'assets');
  other = await buildWorld(app.url, 'assets-other');
});
afterAll(() => app?.close());

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function send(
  file: Buffer,
  name: string,
  opts: { type?: string; token?: string; fields?: Record<string, string> } = {},
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(opts.fields ?? { campaignId: w.campaignId })) form.set(k, v);
  form.set('file', new Blob([new Uint8Array(file)], { type: opts.type ?? 'application/octet-stream' }), name);
  const res = await fetch(`${app.url}/api/v1/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token ?? w.owner.token}` },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

async function filesOnDisk(): Promise<string[]> {
  const walk = async (d: string): Promise<string[]> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    const nested = await Promise.all(
      entries.map((e) => (e.isDirectory() ? walk(join(d, e.name)) : Promise.resolve([join(d, e.name)]))),
    );
    return nested.flat().sort();
  };
  return walk(join(app.server.deps.config.dataDir, 'assets'));
}

const assetRows = (orgId: string) =>
  withTenant(app.database.db, orgId, (tx) => tx.selectFrom('assets').select(['id', 'storage_key']).execute());

const assetChanges = (orgId: string, id: string) => feedRows(app.database.db, orgId, id);

describe('assets', () => {
  it('stores a PNG and a PDF typed from their bytes, under assets/<org>/<id>, and records the change', async () => {
    const png = await send(PNG, 'photo.pdf', { type: 'application/pdf' });
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({
      mediaType: 'image/png',
      sizeBytes: PNG.length,
      campaignId: w.campaignId,
      postId: null,
      fileName: 'photo.pdf',
      version: 1,
      createdBy: w.owner.userId,
    });
    expect(png.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await filesOnDisk()).toContain(
      join(app.server.deps.config.dataDir, 'assets', w.owner.organisationId, png.body.id),
    );
    const pdf = await send(PDF, 'brief.pdf', { token: w.members.editor.token, fields: { postId: w.postId } });
    expect(pdf.status).toBe(201);
    expect(pdf.body).toMatchObject({ mediaType: 'application/pdf', postId: w.postId, campaignId: null });
    const changes = await assetChanges(w.owner.organisationId, png.body.id);
    expect(changes).toEqual([
      { entity: 'asset', op: 'insert', data: expect.objectContaining({ id: png.body.id }), actor_id: w.owner.userId },
    ]);
  });

  it('refuses other types with 415 and leaves no file or row behind', async () => {
    const before = await filesOnDisk();
    const rows = await assetRows(w.owner.organisationId);
    const res = await send(Buffer.from('just some text, really'), 'evil.png', { type: 'image/png' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
    // An SVG is an image to a browser, but a script carrier: refused like any other type.
    const svg = await send(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'), 'a.svg');
    expect(svg.status).toBe(415);
    expect(await filesOnDisk()).toEqual(before);
    expect(await assetRows(w.owner.organisationId)).toHaveLength(rows.length);
  });

  it('refuses files over the limit with 413 and leaves no row and no file', async () => {
    const before = await filesOnDisk();
    const rows = await assetRows(w.owner.organisationId);
    const res = await send(Buffer.concat([PNG, Buffer.alloc(LIMIT)]), 'big.png');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
    expect(await filesOnDisk()).toEqual(before);
    expect(await assetRows(w.owner.organisationId)).toHaveLength(rows.length);
  });

  it('stops reading a streamed (chunked, no Content-Length) upload at the limit', async () => {
    const before = await filesOnDisk();
    const boundary = 'chorusboundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="campaignId"\r\n\r\n${w.campaignId}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.png"\r\n` +
        'Content-Type: image/png\r\n\r\n',
    );
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024);
    // Up to 64 MB if nobody stops it; the server answers long before.
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(Buffer.concat([head, PNG])));
      },
      pull(c) {
        sent += chunk.length;
        if (sent > 64 * 1024 * 1024) c.close();
        else c.enqueue(new Uint8Array(chunk));
      },
    });
    const res = await fetch(`${app.url}/api/v1/assets`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${w.owner.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: 'half',
    } as RequestInit).catch((err: unknown) => err as Error);
    // Either the 413 arrives, or the server closed the connection on the rest of the body.
    if (res instanceof Response) {
      expect(res.status).toBe(413);
    }
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(await filesOnDisk()).toEqual(before);
    // The server is still fine.
    expect((await w.owner.call('GET', `/assets?campaignId=${w.campaignId}`)).status).toBe(200);
  });

  it('validates the other fields: target required and a UUID (400), visible (422), nothing unknown (400)', async () => {
    const before = await filesOnDisk();
    expect((await send(PNG, 'a.png', { fields: {} })).status).toBe(400);
    expect((await send(PNG, 'a.png', { fields: { campaignId: w.campaignId, postId: w.postId } })).status).toBe(400);
    const bad = await send(PNG, 'a.png', { fields: { campaignId: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('campaignId');
    const invisible = await send(PNG, 'a.png', { fields: { postId: other.postId } });
    expect(invisible.status).toBe(422);
    expect(invisible.body.errors[0].path).toBe('postId');
    const unknown = await send(PNG, 'a.png', { fields: { campaignId: w.campaignId, organisationId: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('organisationId');
    const notMultipart = await w.owner.json('POST', '/assets', { campaignId: w.campaignId });
    expect(notMultipart.status).toBe(400);
    expect(await filesOnDisk()).toEqual(before);
  });

  it('serves content with nosniff, its media type and a safe Content-Disposition', async () => {
    const up = await send(PDF, 'Q3 "plan"\r\nX-Evil: 1 – ünïcode;.pdf');
    expect(up.status).toBe(201);
    const res = await fetch(`${app.url}${up.body.contentUrl}`, {
      headers: { authorization: `Bearer ${w.members.viewer.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const cd = res.headers.get('content-disposition')!;
    expect(cd.startsWith('attachment;')).toBe(true);
    expect(cd).not.toMatch(/[\r\n]/);
    expect(res.headers.get('x-evil')).toBeNull();
    const star = /filename\*=UTF-8''([^;\s]+)$/.exec(cd)![1]!;
    // The exact stored name survives the round trip (browsers percent-encode quotes and CR/LF).
    expect(up.body.fileName).toContain('ünïcode;.pdf');
    expect(decodeURIComponent(star)).toBe(up.body.fileName);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);

    const img = await fetch(`${app.url}/api/v1/assets/${w.assetId}/content`, {
      headers: { authorization: `Bearer ${w.owner.token}` },
    });
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('content-disposition')).toMatch(/^inline; filename="pixel.png"/);
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('answers byte ranges and If-None-Match', async () => {
    const url = `${app.url}/api/v1/assets/${w.assetId}/content`;
    const auth = { authorization: `Bearer ${w.owner.token}` };
    const part = await fetch(url, { headers: { ...auth, range: 'bytes=1-3' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1-3/${PNG.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(PNG.subarray(1, 4))).toBe(true);
    const etag = part.headers.get('etag')!;
    const cached = await fetch(url, { headers: { ...auth, 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    expect(byteRange('bytes=-4', 10)).toEqual({ start: 6, end: 9 });
    expect(byteRange('bytes=20-30', 10)).toBeUndefined();
    expect(byteRange('bytes=0-1,4-5', 10)).toBeUndefined();
    expect(contentDisposition('inline', "../../etc/passwd\u0000'x'")).toBe(
      `inline; filename="passwd'x'"; filename*=UTF-8''passwd%27x%27`,
    );
  });

  it("hides another organisation's assets (404) and lists by campaign or post", async () => {
    for (const path of [`/assets/${other.assetId}`, `/assets/${other.assetId}/content`]) {
      expect((await w.owner.call('GET', path)).status).toBe(404);
    }
    expect((await w.owner.call('DELETE', `/assets/${other.assetId}`)).status).toBe(404);
    expect((await w.owner.call('GET', `/assets?campaignId=${other.campaignId}`)).status).toBe(404);
    expect((await w.owner.call('GET', '/assets/not-a-uuid')).status).toBe(404);
    expect((await other.owner.call('GET', `/assets/${other.assetId}`)).status).toBe(200);

    const up = await uploadAsset(app.url, w.owner, { postId: w.postId });
    const list = await w.owner.json<any>('GET', `/assets?postId=${w.postId}`);
    expect(list.body.items.map((a: any) => a.id)).toContain(up.body.id);
    expect(list.body.items.every((a: any) => a.postId === w.postId)).toBe(true);
    const paged = await w.owner.json<any>('GET', `/assets?campaignId=${w.campaignId}&limit=1`);
    expect(paged.body.items).toHaveLength(1);
    const next = await w.owner.json<any>(
      'GET',
      `/assets?campaignId=${w.campaignId}&limit=1&cursor=${paged.body.nextCursor}`,
    );
    expect(next.body.items[0].id).not.toBe(paged.body.items[0].id);
    // With neither, the whole organisation's library: ours, never the other organisation's.
    const library = await w.owner.json<any>('GET', '/assets?limit=200');
    expect(library.status).toBe(200);
    const ids = library.body.items.map((a: any) => a.id);
    expect(ids).toContain(up.body.id);
    expect(ids).not.toContain(other.assetId);
    expect((await w.owner.call('GET', `/assets?campaignId=${w.campaignId}&postId=${w.postId}`)).status).toBe(400);
  });

  it('lets editors and above upload and delete; deleting removes row, file, and records the change', async () => {
    expect((await send(PNG, 'v.png', { token: w.members.viewer.token })).status).toBe(403);
    const up = await send(PNG, 'mine.png', { token: w.members.editor.token });
    const file = join(app.server.deps.config.dataDir, 'assets', w.owner.organisationId, up.body.id);
    expect(await filesOnDisk()).toContain(file);
    expect((await w.members.viewer.call('DELETE', `/assets/${up.body.id}`)).status).toBe(403);
    expect((await w.members.editor.call('DELETE', `/assets/${up.body.id}`)).status).toBe(204);
    expect((await w.owner.call('GET', `/assets/${up.body.id}`)).status).toBe(404);
    expect(await filesOnDisk()).not.toContain(file);
    expect((await assetChanges(w.owner.organisationId, up.body.id)).map((c) => c.op)).toEqual(['insert', 'delete']);
  });

  it("enforces the organisation's storage quota with 413, keeping nothing", async () => {
    const used = await withTenant(app.database.db, w.owner.organisationId, async (tx) => {
      const r = await tx
        .selectFrom('assets')
        .select((eb) => eb.fn.sum<number>('size_bytes').as('n'))
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('organisations')
        .set({ storage_quota_bytes: Number(r.n) + PNG.length })
        .where('id', '=', w.owner.organisationId)
        .execute();
      return Number(r.n);
    });
    expect(used).toBeGreaterThan(0);
    expect((await send(PNG, 'fits.png')).status).toBe(201);
    const before = await filesOnDisk();
    const over = await send(PNG, 'quota.png');
    expect(over.status).toBe(413);
    expect(over.body.detail).toContain('quota');
    expect(await filesOnDisk()).toEqual(before);
  });

  describe('one file in many posts', () => {
    // The quota test above left the organisation full.
    beforeAll(() =>
      withSystem(app.database.db, (tx) =>
        tx
          .updateTable('organisations')
          .set({ storage_quota_bytes: 1e9 })
          .where('id', '=', w.owner.organisationId)
          .execute(),
      ),
    );
    const campaign = async (clientId = w.clientId) =>
      (
        await w.owner.json<any>('POST', '/campaigns', {
          clientId,
          name: uniq('Reuse'),
          platform: 'mastodon',
          startDate: '2026-01-01',
          endDate: '2027-12-31',
        })
      ).body.id as string;
    const post = async (campaignId: string, extra: Record<string, unknown> = {}) =>
      (await w.owner.json<any>('POST', '/posts', { campaignId, content: 'Reuse me', ...extra })).body;
    const asset = async (id: string) => (await w.owner.json<any>('GET', `/assets/${id}`)).body;
    const move = (id: string, status: string) => w.owner.json<any>('POST', `/posts/${id}/status`, { status });
    const setStatus = (id: string, status: string) =>
      withSystem(app.database.db, (tx) =>
        tx
          .updateTable('scheduled_posts')
          .set({ status, published_at: status === 'published' ? new Date() : null })
          .where('id', '=', id)
          .execute(),
      );

    it("serves any post of the same client, counting its uses, and never another client's post", async () => {
      const home = await campaign();
      const elsewhere = await campaign();
      const file = (await send(PNG, 'Shared-Hero.png', { fields: { campaignId: home } })).body;
      expect(file).toMatchObject({ clientId: w.clientId, campaignId: home, usageCount: 0 });
      const p1 = await post(home, { assetIds: [file.id] });
      const p2 = await post(elsewhere);
      const linked = await w.owner.json<any>('PATCH', `/posts/${p2.id}`, { assetIds: [file.id] });
      expect(linked.status).toBe(200);
      expect([p1.assetIds, linked.body.assetIds]).toEqual([[file.id], [file.id]]);
      expect(await asset(file.id)).toMatchObject({ usageCount: 2, campaignId: home, postId: null });
      // Each use is announced, so an open library shows the count move.
      const updates = (await assetChanges(w.owner.organisationId, file.id)).filter((c) => c.op === 'update');
      expect(updates.map((c) => (c.data as any).usageCount)).toEqual([1, 2]);
      // A post lists the files it uses, wherever they were uploaded.
      const media = await w.owner.json<any>('GET', `/assets?postId=${p2.id}`);
      expect(media.body.items.map((a: any) => a.id)).toEqual([file.id]);

      const otherClient = (await w.owner.json<any>('POST', '/clients', { name: uniq('Other client') })).body.id;
      const foreign = await post(await campaign(otherClient));
      const refused = await w.owner.json<any>('PATCH', `/posts/${foreign.id}`, { assetIds: [file.id] });
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([{ path: 'assetIds.0', message: expect.any(String) }]);
      expect((await w.owner.json<any>('GET', `/posts/${foreign.id}`)).body.assetIds).toEqual([]);
      expect((await asset(file.id)).usageCount).toBe(2);
      // Nor can a post carry the file over to another client's campaign.
      const carried = await w.owner.json<any>('PATCH', `/posts/${p2.id}`, { campaignId: foreign.campaignId });
      expect(carried.status).toBe(422);
      expect(carried.body.errors).toEqual([{ path: 'assetIds.0', message: expect.any(String) }]);
      const emptied = await w.owner.json<any>('PATCH', `/posts/${p2.id}`, {
        campaignId: foreign.campaignId,
        assetIds: [],
      });
      expect(emptied.body).toMatchObject({ campaignId: foreign.campaignId, assetIds: [] });
      // Within the client a post moves with its files.
      const moved = await w.owner.json<any>('PATCH', `/posts/${p1.id}`, { campaignId: elsewhere });
      expect(moved.body).toMatchObject({ campaignId: elsewhere, assetIds: [file.id] });
    });

    it('narrows the library by client, kind and name, newest first, page by page', async () => {
      const otherClient = (await w.owner.json<any>('POST', '/clients', { name: uniq('Library client') })).body.id;
      const theirs = await campaign(otherClient);
      const a = (await send(PNG, 'Bakery_front 100%.png', { fields: { campaignId: theirs } })).body;
      const b = (await send(PDF, 'bakery-brief.pdf', { fields: { campaignId: theirs } })).body;
      const c = (await send(PNG, 'bakery-back.png', { fields: { campaignId: theirs } })).body;
      const list = async (q: string) =>
        (await w.owner.json<any>('GET', `/assets?${q}`)).body.items.map((x: any) => x.id) as string[];
      expect(await list(`clientId=${otherClient}&order=newest`)).toEqual([c.id, b.id, a.id]);
      expect(await list(`clientId=${otherClient}&type=document`)).toEqual([b.id]);
      expect(await list(`clientId=${otherClient}&type=image`)).toEqual([a.id, c.id]);
      expect(await list(`clientId=${otherClient}&q=BAKERY-B`)).toEqual([b.id, c.id]);
      // % and _ in a search are the characters themselves, not wildcards.
      expect(await list(`clientId=${otherClient}&q=${encodeURIComponent('t 100%')}`)).toEqual([a.id]);
      expect(await list(`clientId=${otherClient}&q=${encodeURIComponent('y_f')}`)).toEqual([a.id]);
      expect(await list(`clientId=${w.clientId}&q=bakery`)).toEqual([]);
      const first = await w.owner.json<any>('GET', `/assets?clientId=${otherClient}&order=newest&limit=2`);
      const rest = await w.owner.json<any>(
        'GET',
        `/assets?clientId=${otherClient}&order=newest&limit=2&cursor=${first.body.nextCursor}`,
      );
      expect([...first.body.items, ...rest.body.items].map((x: any) => x.id)).toEqual([c.id, b.id, a.id]);
      expect((await w.owner.call('GET', `/assets?clientId=${other.clientId}`)).status).toBe(404);
      expect((await w.owner.call('GET', '/assets?type=audio')).status).toBe(400);
    });

    it('takes a deleted file off its posts through their rules, and a published post keeps its file', async () => {
      const home = await campaign();
      const file = (await send(PNG, 'goes.png', { fields: { campaignId: home } })).body;
      const draft = await post(home, { assetIds: [file.id] });
      const approved = await post(home, { assetIds: [file.id] });
      await move(approved.id, 'in_review');
      expect((await move(approved.id, 'approved')).status).toBe(200);
      expect((await w.owner.call('DELETE', `/assets/${file.id}`)).status).toBe(204);
      expect((await w.owner.json<any>('GET', `/posts/${draft.id}`)).body.assetIds).toEqual([]);
      // The media it was approved with changed: it needs approving again.
      expect((await w.owner.json<any>('GET', `/posts/${approved.id}`)).body).toMatchObject({
        assetIds: [],
        status: 'in_review',
      });

      const kept = (await send(PNG, 'kept.png', { fields: { campaignId: home } })).body;
      const live = await post(home, { assetIds: [kept.id] });
      await setStatus(live.id, 'published');
      const refused = await w.owner.json<any>('DELETE', `/assets/${kept.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('published');
      expect((await asset(kept.id)).usageCount).toBe(1);
      // Uploading onto a published post is refused too, keeping no file.
      const before = await filesOnDisk();
      expect((await send(PNG, 'late.png', { fields: { postId: live.id } })).status).toBe(409);
      expect(await filesOnDisk()).toEqual(before);
    });

    it('adds a file uploaded onto a post to the end of its media, sending an approved post back to review', async () => {
      const home = await campaign();
      const first = (await send(PNG, 'first.png', { fields: { campaignId: home } })).body;
      const p = await post(home, { assetIds: [first.id] });
      await move(p.id, 'in_review');
      await move(p.id, 'approved');
      const up = await send(PNG, 'second.png', { fields: { postId: p.id } });
      expect(up.status).toBe(201);
      expect(up.body).toMatchObject({ postId: p.id, campaignId: null, usageCount: 1, clientId: w.clientId });
      expect((await w.owner.json<any>('GET', `/posts/${p.id}`)).body).toMatchObject({
        assetIds: [first.id, up.body.id],
        status: 'in_review',
      });
    });

    it('moves a file home to a post still using it when its own home is deleted', async () => {
      const home = await campaign();
      const elsewhere = await campaign();
      const file = (await send(PNG, 'survivor.png', { fields: { campaignId: home } })).body;
      await post(home, { assetIds: [file.id] });
      const user = await post(elsewhere, { assetIds: [file.id] });
      expect((await asset(file.id)).usageCount).toBe(2);
      expect((await w.owner.call('DELETE', `/campaigns/${home}`)).status).toBe(204);
      expect(await asset(file.id)).toMatchObject({ campaignId: null, postId: user.id, usageCount: 1 });
      expect(await filesOnDisk()).toContain(
        join(app.server.deps.config.dataDir, 'assets', w.owner.organisationId, file.id),
      );
      // A file nobody else uses goes with its home.
      const lonely = (await send(PNG, 'lonely.png', { fields: { campaignId: elsewhere } })).body;
      expect((await w.owner.call('DELETE', `/posts/${user.id}`)).status).toBe(204);
      expect((await w.owner.call('GET', `/assets/${file.id}`)).status).toBe(404);
      expect((await asset(lonely.id)).usageCount).toBe(0);
    });
  });
});
