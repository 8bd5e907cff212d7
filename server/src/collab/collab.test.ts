import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { feedRows } from '../../test/feed.ts';
import { seedTenant, type Tenant } from '../../test/fixtures.ts';
import { invalidateSession } from '../auth/sessions.ts';
import { withSystem, withTenant } from '../db/tenant.ts';
import {
  addUser,
  type Client,
  type CollabNode,
  closeCode,
  connectClient,
  startCollabNode,
  synced,
  tokenFor,
  until,
} from './testkit.ts';

let h: TestDatabase;
let node: CollabNode;
let t: Tenant;
let owner: string;
const clients: Client[] = [];

function client(doc: string, token: string | undefined, field = 'content') {
  const c = connectClient(node.wsUrl, doc, token, field);
  clients.push(c);
  return c;
}

async function postRow(id: string) {
  return withTenant(h.db, t.orgId, (tx) =>
    tx
      .selectFrom('scheduled_posts')
      .select(['content', 'status', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
  );
}

const postChanges = (id: string) => feedRows(h.db, t.orgId, id);

/** An API call as the organisation's owner. */
function api(method: string, path: string, body?: unknown) {
  return fetch(`${node.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function newPost(content: string, status = 'draft') {
  return withTenant(h.db, t.orgId, async (tx) => {
    const campaign = await tx
      .selectFrom('campaigns')
      .select(['platform_id'])
      .where('id', '=', t.campaignId)
      .executeTakeFirstOrThrow();
    const row = await tx
      .insertInto('scheduled_posts')
      .values({
        organisation_id: t.orgId,
        campaign_id: t.campaignId,
        platform_id: campaign.platform_id,
        content,
        status,
        scheduled_at: status === 'scheduled' ? new Date(Date.now() + 86_400_000) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

beforeAll(async () => {
  h = await freshDatabase();
  node = await startCollabNode(h, { writeBackMs: 300, writeBackMaxMs: 1_000, idleUnloadMs: 300, compactRows: 5 });
  t = await seedTenant(h.db);
  owner = await tokenFor(h, t.userId, t.orgId);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await node?.close();
  await h?.close();
});

describe('collaborative editing', () => {
  it('seeds from the row once and converges three editors', async () => {
    const [a, b, c] = [0, 1, 2].map(() => client(`post:${t.postId}`, owner));
    await Promise.all([a, b, c].map((x) => synced(x!)));
    expect(a!.text.toString()).toBe('Hello');
    a!.text.insert(5, ' A');
    b!.text.insert(0, 'B ');
    c!.text.insert(5, '!');
    await until(() => new Set([a, b, c].map((x) => x!.text.toString())).size === 1 && a!.text.length === 10);
    const final = a!.text.toString();
    expect(final).toContain('B ');
    expect(final).toContain(' A');
    expect(final.match(/Hello/g)).toHaveLength(1);
    // Saved to the row, with a change-feed row carrying the post as GET answers it.
    await until(async () => (await postRow(t.postId)).content === final, 5_000, 'write-back');
    const changes = await postChanges(t.postId);
    expect(changes.at(-1)).toMatchObject({ op: 'update', actor_id: t.userId });
    expect((changes.at(-1)!.data as { content: string; id: string }).content).toBe(final);
    expect((changes.at(-1)!.data as { id: string }).id).toBe(t.postId);
  });

  it('saves at once when the last editor leaves, and a reload has every edit', async () => {
    const id = await newPost('start');
    const a = client(`post:${id}`, owner);
    await synced(a);
    for (let i = 0; i < 30; i++) a.text.insert(a.text.length, `${i % 10}`);
    const expected = a.text.toString();
    await new Promise((r) => setTimeout(r, 50));
    a.destroy();
    // writeBackMs is 300 ms; leaving saves without waiting for it.
    await until(async () => (await postRow(id)).content === expected, 250, 'save on leave');
    // Unloaded when idle (300 ms), then loaded again from the database.
    await until(() => !node.service.rooms.has(`post:${id}`), 5_000, 'unload');
    const b = client(`post:${id}`, owner);
    await synced(b);
    expect(b.text.toString()).toBe(expected);
    // Compaction folded the appended rows into the snapshot (threshold 5 rows).
    const rows = await withSystem(h.db, (tx) =>
      tx
        .selectFrom('collab_updates as u')
        .innerJoin('collab_documents as d', 'd.id', 'u.document_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('d.name', '=', `post:${id}`)
        .executeTakeFirstOrThrow(),
    );
    expect(Number(rows.n)).toBeLessThan(30);
  });

  it('sends an approved post back to review when its text changes', async () => {
    const id = await newPost('ready to go', 'approved');
    const a = client(`post:${id}`, owner);
    await synced(a);
    a.text.insert(0, 'Now ');
    await until(async () => (await postRow(id)).status === 'in_review', 5_000, 'in_review');
    expect((await postRow(id)).content).toBe('Now ready to go');
  });

  it('gives viewers a read-only session that still shares awareness', async () => {
    const viewer = await addUser(h, t.orgId, 'viewer');
    const id = await newPost('read me');
    const ed = client(`post:${id}`, owner);
    const vw = client(`post:${id}`, viewer.token);
    await Promise.all([synced(ed), synced(vw)]);
    await until(() => vw.modes.length > 0 && ed.modes.length > 0);
    expect(vw.modes).toEqual(['read-only:role']);
    expect(ed.modes).toEqual(['read-write']);
    vw.text.insert(0, 'VIEWER ');
    vw.provider.awareness.setLocalStateField('cursor', 'here');
    ed.text.insert(7, '!');
    await until(() => vw.text.toString().includes('!'));
    await until(() => [...ed.provider.awareness.getStates().values()].some((s) => s.cursor === 'here'));
    await new Promise((r) => setTimeout(r, 700));
    expect(ed.text.toString()).toBe('read me!');
    expect((await postRow(id)).content).toBe('read me!');
  });

  it('relays awareness with the user the session names, whatever the client sent', async () => {
    const viewer = await addUser(h, t.orgId, 'viewer');
    const id = await newPost('who is here');
    const ed = client(`post:${id}`, owner);
    const vw = client(`post:${id}`, viewer.token);
    await Promise.all([synced(ed), synced(vw)]);
    vw.provider.awareness.setLocalStateField('user', { id: t.userId, name: 'Dana (owner)', color: '#000000' });
    vw.provider.awareness.setLocalStateField('cursor', 'spoof');
    const seen = await until(() => [...ed.provider.awareness.getStates().values()].find((s) => s.cursor === 'spoof'));
    expect(seen?.user).toEqual({
      id: viewer.userId,
      name: viewer.name,
      color: expect.stringMatching(/^#[0-9a-f]{6}$/),
    });
    // Others never see anyone under the spoofed name.
    for (const [clientId, s] of ed.provider.awareness.getStates()) {
      if (clientId !== ed.provider.awareness.clientID) expect(s.user?.name).not.toBe('Dana (owner)');
    }
  });

  it('follows a demotion within 5 s: the client is told, its updates are dropped; a promotion restores writing', async () => {
    const editor = await addUser(h, t.orgId, 'editor');
    const id = await newPost('demote me');
    const ed = client(`post:${id}`, editor.token);
    const watcher = client(`post:${id}`, owner);
    await Promise.all([synced(ed), synced(watcher)]);
    await until(() => ed.modes.includes('read-write'));
    const at = Date.now();
    expect((await api('PATCH', `/users/${editor.userId}`, { role: 'viewer' })).status).toBe(200);
    await until(() => ed.modes.at(-1) === 'read-only:role', 6_000, 'told read-only');
    expect(Date.now() - at).toBeLessThan(5_000);
    ed.text.insert(0, 'AFTER ');
    await new Promise((r) => setTimeout(r, 800));
    expect(watcher.text.toString()).toBe('demote me');
    expect((await postRow(id)).content).toBe('demote me');

    expect((await api('PATCH', `/users/${editor.userId}`, { role: 'editor' })).status).toBe(200);
    await until(() => ed.modes.at(-1) === 'read-write', 6_000, 'told read-write');
    const fresh = client(`post:${id}`, editor.token);
    await synced(fresh);
    fresh.text.insert(fresh.text.length, ' again');
    await until(() => watcher.text.toString().endsWith(' again'));
  });

  it('closes a deactivated member’s session with 4401 within 5 s', async () => {
    const editor = await addUser(h, t.orgId, 'editor');
    const c = client(`post:${t.postId}`, editor.token);
    await synced(c);
    const closed = closeCode(c, 6_000);
    const at = Date.now();
    expect((await api('PATCH', `/users/${editor.userId}`, { isActive: false })).status).toBe(200);
    expect(await closed).toBe(4401);
    expect(Date.now() - at).toBeLessThan(5_000);
  });

  it.each(['publishing', 'published', 'cancelled'])(
    'turns sessions read-only when the post becomes %s, and opens it read-only after',
    async (status) => {
      const id = await newPost('going out', 'scheduled');
      const ed = client(`post:${id}`, owner);
      const watcher = client(`post:${id}`, owner);
      await Promise.all([synced(ed), synced(watcher)]);
      await until(() => ed.modes.includes('read-write'));
      await withTenant(h.db, t.orgId, (tx) =>
        tx
          .updateTable('scheduled_posts')
          .set({ status, published_at: status === 'published' ? new Date() : null })
          .where('id', '=', id)
          .execute(),
      );
      await until(() => ed.modes.at(-1) === `read-only:frozen:${status}`, 6_000, 'told frozen');
      ed.text.insert(0, 'LATE ');
      await new Promise((r) => setTimeout(r, 800));
      expect(watcher.text.toString()).toBe('going out');
      expect((await postRow(id)).content).toBe('going out');
      const later = client(`post:${id}`, owner);
      await synced(later);
      await until(() => later.modes.length > 0);
      expect(later.modes).toEqual([`read-only:frozen:${status}`]);
    },
  );

  it('a client joining a loaded document meets the post’s current status at once (stored offline edits are refused)', async () => {
    const id = await newPost('before', 'draft');
    const watcher = client(`post:${id}`, owner);
    await synced(watcher);
    await until(() => watcher.modes.includes('read-write'));
    // Cancelled in the database; the room stays loaded (the watcher is in it) and its next
    // periodic check is up to 2 s away.
    await withTenant(h.db, t.orgId, (tx) =>
      tx.updateTable('scheduled_posts').set({ status: 'cancelled' }).where('id', '=', id).execute(),
    );
    const back = client(`post:${id}`, owner);
    back.text.insert(0, 'OFFLINE ');
    await synced(back);
    await until(() => back.modes.length > 0);
    expect(back.modes[0]).toBe('read-only:frozen:cancelled');
    await new Promise((r) => setTimeout(r, 500));
    expect(watcher.text.toString()).toBe('before');
    expect((await postRow(id)).content).toBe('before');
  });

  it('undoes edits the row never took when the post froze before the session knew', async () => {
    const id = await newPost('as published', 'scheduled');
    const ed = client(`post:${id}`, owner);
    const watcher = client(`post:${id}`, owner);
    await Promise.all([synced(ed), synced(watcher)]);
    await until(() => ed.modes.includes('read-write'));
    await withTenant(h.db, t.orgId, (tx) =>
      tx
        .updateTable('scheduled_posts')
        .set({ status: 'published', published_at: new Date() })
        .where('id', '=', id)
        .execute(),
    );
    // Typed at once, before the next check tells the session (unless that check lands within
    // these few milliseconds): accepted and shown to the others for now …
    ed.text.insert(0, 'TOO LATE ');
    await until(() => watcher.text.toString() === 'TOO LATE as published', 1_000).catch(() => {});
    // … then the post's text wins everywhere, and the row never changed.
    await until(() => ed.modes.at(-1) === 'read-only:frozen:published', 6_000, 'told frozen');
    await until(() => watcher.text.toString() === 'as published', 6_000, 'text put back');
    expect((await postRow(id)).content).toBe('as published');
  });

  it('closes with 4401 without a valid session and 4404 for documents it cannot see', async () => {
    const other = await seedTenant(h.db);
    const cases: [string, string | undefined, number][] = [
      [`post:${t.postId}`, undefined, 4401],
      [`post:${t.postId}`, 'not-a-token', 4401],
      [`post:${t.postId}`, '00000000-0000-4000-8000-000000000000.secret', 4401],
      ['post:nope', owner, 4404],
      ['sheet:1', owner, 4404],
      [`post:${crypto.randomUUID()}`, owner, 4404],
      [`note:${crypto.randomUUID()}`, owner, 4404],
      [`post:${other.postId}`, owner, 4404],
    ];
    for (const [doc, token, code] of cases) {
      const c = client(doc, token);
      expect(await closeCode(c), `${doc} ${token}`).toBe(code);
      c.destroy();
    }
  });

  it('accepts the session cookie only from an allowed Origin', async () => {
    const cookie = `chorus_session=${owner}`;
    const open = (origin: string) =>
      new Promise<number | 'open'>((resolve) => {
        const ws = new WebSocket(`${node.wsUrl}/post:${t.postId}`, { headers: { cookie, origin } });
        ws.on('message', () => {
          resolve('open');
          ws.close();
        });
        ws.on('close', (code) => resolve(code));
      });
    expect(await open('http://evil.example')).toBe(4401);
    expect(await open(node.deps.config.publicOrigins[0]!)).toBe('open');
  });

  it('closes the connection within 5 s of a logout', async () => {
    const user = await addUser(h, t.orgId, 'editor');
    const c = client(`post:${t.postId}`, user.token);
    await synced(c);
    const closed = closeCode(c, 6_000);
    const at = Date.now();
    await invalidateSession(h.db, user.sessionId);
    expect(await closed).toBe(4401);
    expect(Date.now() - at).toBeLessThan(5_000);
  });

  it('edits notes through the Y.Text named body', async () => {
    const noteId = await withTenant(h.db, t.orgId, async (tx) => {
      const r = await tx
        .insertInto('notes')
        .values({ organisation_id: t.orgId, scheduled_post_id: t.postId, author_id: t.userId, body: 'note text' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    });
    const c = client(`note:${noteId}`, owner, 'body');
    await synced(c);
    expect(c.text.toString()).toBe('note text');
    c.text.insert(9, ' edited');
    await until(async () => {
      const n = await withTenant(h.db, t.orgId, (tx) =>
        tx.selectFrom('notes').select('body').where('id', '=', noteId).executeTakeFirstOrThrow(),
      );
      return n.body === 'note text edited';
    });
  });
});

describe('relaying updates as they came', () => {
  const frame = (u: Uint8Array) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, u);
    return encoding.toUint8Array(e);
  };
  const storedRows = (id: string) =>
    withSystem(h.db, (tx) =>
      tx
        .selectFrom('collab_updates')
        .innerJoin('collab_documents', 'collab_documents.id', 'collab_updates.document_id')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('collab_documents.name', '=', `post:${id}`)
        .executeTakeFirstOrThrow(),
    ).then((r) => Number(r.n));

  it('delivers and stores updates that arrive before their dependencies, and stores no no-ops', async () => {
    const id = await newPost('');
    const watcher = client(`post:${id}`, owner);
    await synced(watcher);
    // A writer's three keystrokes, sent in the order 3, 2, 1 by a raw connection.
    const src = new Y.Doc();
    const updates: Uint8Array[] = [];
    src.on('update', (u: Uint8Array) => updates.push(u));
    for (const ch of 'abc') src.getText('content').insert(src.getText('content').length, ch);
    const ws = new WebSocket(`${node.wsUrl}/post:${id}?token=${encodeURIComponent(owner)}`);
    await new Promise((r) => ws.once('message', r));
    for (const u of [...updates].reverse()) ws.send(frame(u));
    await until(() => watcher.text.toString() === 'abc', 5_000, 'watcher sees abc');
    // The same keystrokes again, and an empty update: nothing new to relay or store.
    await until(async () => (await storedRows(id)) > 0, 5_000, 'stored');
    const rows = await storedRows(id);
    for (const u of updates) ws.send(frame(u));
    ws.send(frame(Y.encodeStateAsUpdate(new Y.Doc())));
    await new Promise((r) => setTimeout(r, 300));
    expect(await storedRows(id)).toBe(rows);
    ws.close();
    // What is stored loads as the same text.
    const room = node.service.rooms.get(`post:${id}`);
    await room?.unload(true);
    const fresh = client(`post:${id}`, owner);
    await synced(fresh);
    expect(fresh.text.toString()).toBe('abc');
  });
});

describe('API edits merge into the live document', () => {
  it('merges a PATCH as a diff, keeping the live editor’s concurrent edit', async () => {
    const id = await newPost('The quick brown fox');
    const a = client(`post:${id}`, owner);
    await synced(a);
    a.text.insert(a.text.length, ' jumps');
    await until(async () => (await postRow(id)).content === 'The quick brown fox jumps');
    // The API changes the start while the editor types at the end.
    const patch = fetch(`${node.url}/api/v1/posts/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'A quick brown fox jumps' }),
    });
    a.text.insert(a.text.length, ' high');
    const res = await patch;
    expect(res.status).toBe(200);
    await until(() => a.text.toString() === 'A quick brown fox jumps high', 5_000, 'merged text');
    await until(async () => (await postRow(id)).content === 'A quick brown fox jumps high', 5_000, 'saved');
  });

  it('merges through deps.collab inside the API transaction, once', async () => {
    const id = await newPost('one two three');
    const a = client(`post:${id}`, owner);
    const b = client(`post:${id}`, owner);
    await Promise.all([synced(a), synced(b)]);
    await withTenant(h.db, t.orgId, async (tx) => {
      await tx.updateTable('scheduled_posts').set({ content: 'one 2 three' }).where('id', '=', id).execute();
      await node.deps.collab!.mergeText(tx, { kind: 'post', id, organisationId: t.orgId }, 'one 2 three');
    });
    await until(() => a.text.toString() === 'one 2 three' && b.text.toString() === 'one 2 three');
    // A rolled-back merge reaches nobody.
    await withTenant(h.db, t.orgId, async (tx) => {
      await node.deps.collab!.mergeText(tx, { kind: 'post', id, organisationId: t.orgId }, 'rolled back');
      throw new Error('rollback');
    }).catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    expect(a.text.toString()).toBe('one 2 three');
  });
});

describe('load failures and memory', () => {
  it('a document whose stored state does not load is refused, never served empty', async () => {
    const id = await newPost('precious text');
    await withTenant(h.db, t.orgId, (tx) =>
      tx
        .insertInto('collab_documents')
        .values({
          organisation_id: t.orgId,
          name: `post:${id}`,
          scheduled_post_id: id,
          snapshot: Buffer.from([1, 200, 3, 4]),
        })
        .execute(),
    );
    const c = client(`post:${id}`, owner);
    expect(await closeCode(c)).toBe(1011);
    c.destroy();
    await new Promise((r) => setTimeout(r, 500));
    expect((await postRow(id)).content).toBe('precious text');
    expect(node.service.rooms.has(`post:${id}`)).toBe(false);
  });

  it('unloads idle documents, so touching many keeps memory bounded', async () => {
    const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => newPost(`doc ${i}`)));
    for (let i = 0; i < ids.length; i += 20) {
      const batch = ids.slice(i, i + 20).map((id) => client(`post:${id}`, owner));
      await Promise.all(batch.map((c) => synced(c)));
      for (const c of batch) c.destroy();
    }
    await until(() => ids.every((id) => !node.service.rooms.has(`post:${id}`)), 10_000, 'all unloaded');
  });
});

describe('hostile input', () => {
  function raw(doc: string) {
    return new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${node.wsUrl}/${doc}?token=${encodeURIComponent(owner)}`);
      ws.once('message', () => resolve(ws));
      ws.once('error', reject);
    });
  }
  const closed = (ws: WebSocket) => new Promise<number>((r) => ws.once('close', (code) => r(code)));

  it('closes the offending connection, never the process', async () => {
    const watcher = client(`post:${t.postId}`, owner);
    await synced(watcher);
    const before = watcher.text.toString();
    const frames: (string | Uint8Array)[] = [
      'hello as text',
      new Uint8Array([]),
      new Uint8Array([0x80]),
      new Uint8Array([0, 0xff, 0xff]),
      new Uint8Array([0, 2, 10, 1, 2, 3]),
      new Uint8Array([0, 2, 3, 0xde, 0xad, 0xbe]),
      new Uint8Array([1, 5, 0xff, 0xff, 0xff, 0xff, 0xff]),
      new Uint8Array([9]),
    ];
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, Buffer.from('garbagedoc', 'base64'));
    frames.push(encoding.toUint8Array(e));
    for (const f of frames) {
      const ws = await raw(`post:${t.postId}`);
      const code = closed(ws);
      ws.send(f);
      expect([1002, 1003, 1007, 1009]).toContain(await code);
    }
    // Over maxPayload (1 MiB by default).
    const big = await raw(`post:${t.postId}`);
    const code = closed(big);
    big.send(new Uint8Array(2 * 1024 * 1024));
    expect(await code).toBe(1009);
    // Still serving, document intact.
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    watcher.text.insert(0, 'x');
    const probe = client(`post:${t.postId}`, owner);
    await synced(probe);
    expect(probe.text.toString()).toBe(`x${before}`);
  });

  it('refuses updates that would exceed the text limit', async () => {
    const id = await newPost('');
    const ws = await raw(`post:${id}`);
    const d = new Y.Doc();
    d.getText('content').insert(0, 'x'.repeat(100_001));
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(d));
    const code = closed(ws);
    ws.send(encoding.toUint8Array(e));
    expect(await code).toBe(1009);
  });
});
