import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NotificationEvent } from '@chorus/shared/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';
import { connected, socketTracker, until } from '../../../test/sockets.ts';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/connect.ts';
import { withSystem } from '../../db/tenant.ts';
import { fastOptions, schedulePosts } from '../../jobs/testkit.ts';
import { createLogger } from '../../logger.ts';
import { startServer } from '../../server.ts';
import { mentionedIds } from './service.ts';

let app: TestApp;
let owner: Caller;
let admin: Caller;
let manager: Caller;
let editor: Caller;
let editor2: Caller;
let viewer: Caller;
let campaignId: string;
const { socket, closeAll } = socketTracker();

beforeAll(async () => {
  // With Redis the app runs in multi-node mode, so a second node can join it below.
  app = await startTestApp(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}, { jobs: fastOptions() });
  owner = await registerOwner(app.url, 'notify');
  admin = await addMember(app.url, owner, 'admin');
  manager = await addMember(app.url, owner, 'manager');
  editor = await addMember(app.url, owner, 'editor');
  editor2 = await addMember(app.url, owner, 'editor');
  viewer = await addMember(app.url, owner, 'viewer');
  const client = await owner.json<any>('POST', '/clients', { name: 'Client' });
  const campaign = await owner.json<any>('POST', '/campaigns', {
    clientId: client.body.id,
    name: 'Spring',
    platform: 'linkedin',
    startDate: '2026-03-01',
    endDate: '2026-05-31',
  });
  campaignId = campaign.body.id;
}, 180_000);
afterAll(async () => {
  closeAll();
  await app?.close();
});

const list = async (who: Caller, query = '') => (await who.json<any>('GET', `/notifications${query}`)).body;
const ofPost = async (who: Caller, postId: string) =>
  (await list(who, '?limit=200')).items.filter((n: any) => n.postId === postId).map((n: any) => n.type);
async function newPost(by: Caller, content = 'A post for review') {
  const res = await by.json<any>('POST', '/posts', { campaignId, content });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const move = async (who: Caller, id: string, status: string, reason?: string) => {
  const res = await who.json<any>('POST', `/posts/${id}/status`, { status, reason });
  expect(res.status).toBe(200);
};

describe('post notifications', () => {
  it('asks managers and above to review a submitted post, never the submitter', async () => {
    const id = await newPost(editor);
    await move(editor, id, 'in_review');
    for (const who of [owner, admin, manager]) expect(await ofPost(who, id)).toEqual(['review_requested']);
    for (const who of [editor, editor2, viewer]) expect(await ofPost(who, id)).toEqual([]);
    const item = (await list(manager)).items.find((n: any) => n.postId === id);
    expect(item).toMatchObject({ campaignId, actorId: editor.userId, noteId: null, readAt: null });
    expect(item.excerpt).toBe('A post for review');
  });

  it("tells the post's creator and everyone who edited it about requested changes and approval", async () => {
    const id = await newPost(editor);
    expect((await editor2.json('PATCH', `/posts/${id}`, { content: 'Edited by a second editor' })).status).toBe(200);
    await move(editor, id, 'in_review');
    await move(manager, id, 'changes_requested', 'Shorter, please');
    expect(await ofPost(editor, id)).toEqual(['changes_requested']);
    expect(await ofPost(editor2, id)).toEqual(['changes_requested']);
    expect(await ofPost(viewer, id)).toEqual([]);
    expect(await ofPost(manager, id)).toEqual(['review_requested']);
    await move(editor, id, 'in_review');
    await move(admin, id, 'approved');
    expect(await ofPost(editor, id)).toEqual(['approved', 'changes_requested']);
    expect(await ofPost(editor2, id)).toEqual(['approved', 'changes_requested']);
    // The admin approved it: its own approval is not news to it.
    expect(await ofPost(admin, id)).toEqual(['review_requested', 'review_requested']);
  });

  it('tells managers and above when publishing fails', async () => {
    const [id] = await schedulePosts(app.server.database.db, { orgId: owner.organisationId, campaignId }, 1, {
      content: 'Hello [sandbox:fail]',
    });
    const end = Date.now() + 15_000;
    while ((await ofPost(manager, id!)).length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    for (const who of [owner, admin, manager]) expect(await ofPost(who, id!)).toEqual(['publish_failed']);
    for (const who of [editor, viewer]) expect(await ofPost(who, id!)).toEqual([]);
    expect((await list(owner)).items.find((n: any) => n.postId === id).actorId).toBeNull();
  });
});

describe('mentions and replies', () => {
  it('parses <@id> mentions once each', () => {
    const a = '0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11';
    expect(mentionedIds(`hi <@${a}> and <@${a.toUpperCase()}>, <@nope> @${a}`)).toEqual([a]);
  });

  it("reaches the mentioned member's open socket live; the actor gets nothing", async () => {
    const postId = await newPost(owner, 'Mention target');
    const editorSocket = socket(app.url, { token: editor.token });
    const ownerSocket = socket(app.url, { token: owner.token });
    await Promise.all([connected(editorSocket), connected(ownerSocket)]);
    const toEditor: NotificationEvent[] = [];
    const toOwner: NotificationEvent[] = [];
    editorSocket.on('notification', (e) => toEditor.push(e));
    ownerSocket.on('notification', (e) => toOwner.push(e));
    const before = (await list(editor)).unreadCount;

    const note = await owner.json<any>('POST', '/notes', { postId, body: `Can you check this, <@${editor.userId}>?` });
    expect(note.status).toBe(201);
    await until(() => toEditor.length > 0, 10_000, 'the mention on the socket');
    expect(toEditor[0]!.notification).toMatchObject({
      type: 'mentioned',
      postId,
      noteId: note.body.id,
      actorId: owner.userId,
      actorName: expect.any(String),
    });
    expect(toEditor[0]!.unreadCount).toBe(before + 1);

    // The editor replies; the owner's first notification must be that reply, not its own mention.
    const reply = await editor.json<any>('POST', '/notes', { parentId: note.body.id, body: 'On it' });
    expect(reply.status).toBe(201);
    await until(() => toOwner.length > 0, 10_000, 'the reply on the socket');
    expect(toOwner.map((e) => e.notification.type)).toEqual(['replied']);
    expect(toEditor).toHaveLength(1);
  });

  it('ignores mentions of members of other organisations, of the author and of unknown ids', async () => {
    const other = await registerOwner(app.url, 'elsewhere');
    const postId = await newPost(owner, 'Quiet post');
    const body = `<@${other.userId}> <@${owner.userId}> <@00000000-0000-4000-8000-000000000000>`;
    expect((await owner.json('POST', '/notes', { postId, body })).status).toBe(201);
    expect((await list(other)).items).toEqual([]);
    expect(await ofPost(owner, postId)).toEqual([]);
  });

  it('notifies only newly added mentions when a note is edited', async () => {
    const postId = await newPost(owner, 'Edited mentions');
    const note = await owner.json<any>('POST', '/notes', { postId, body: `<@${viewer.userId}> first` });
    await owner.json('PATCH', `/notes/${note.body.id}`, { body: `<@${viewer.userId}> and <@${editor2.userId}>` });
    expect(await ofPost(viewer, postId)).toEqual(['mentioned']);
    expect(await ofPost(editor2, postId)).toEqual(['mentioned']);
  });
});

describe('reading', () => {
  it('pages, filters unread, marks read by id and all at once', async () => {
    const reader = await addMember(app.url, owner, 'manager');
    for (let i = 0; i < 3; i++) await move(editor, await newPost(editor, `Post ${i}`), 'in_review');
    const all = await list(reader);
    expect(all.unreadCount).toBe(3);
    const first = await list(reader, '?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await list(reader, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((n: any) => n.id)).size).toBe(3);

    expect((await reader.call('POST', '/notifications/read', { ids: [first.items[0].id] })).status).toBe(204);
    // Someone else's ids are ignored.
    await owner.call('POST', '/notifications/read', { ids: [first.items[1].id] });
    const unread = await list(reader, '?unread=true');
    expect(unread.unreadCount).toBe(2);
    expect(unread.items.map((n: any) => n.id)).not.toContain(first.items[0].id);
    expect((await list(reader, '?unread=false')).items.map((n: any) => n.id)).toEqual([first.items[0].id]);

    expect((await reader.call('POST', '/notifications/read', { all: true })).status).toBe(204);
    expect((await list(reader)).unreadCount).toBe(0);

    for (const bad of [{}, { ids: [] }, { all: false }, { ids: ['x'] }, { ids: [first.items[0].id], all: true }]) {
      expect((await reader.call('POST', '/notifications/read', bad)).status).toBe(400);
    }
    expect((await reader.call('GET', '/notifications?unread=maybe')).status).toBe(400);
    expect((await reader.call('GET', '/notifications?cursor=zzz')).status).toBe(400);
  });

  it('mails each notification unless the member turned e-mail off', async () => {
    const quiet = await addMember(app.url, owner, 'manager');
    const loud = await addMember(app.url, owner, 'manager');
    expect((await quiet.json('PATCH', '/me', { emailNotifications: false })).status).toBe(200);
    const id = await newPost(editor, 'Mail me maybe');
    await move(editor, id, 'in_review');
    const mails = await withSystem(app.server.database.db, (tx) =>
      tx.selectFrom('mail_outbox').select(['user_id', 'kind', 'data']).where('kind', '=', 'notification').execute(),
    );
    const about = mails.filter((m) => (m.data as any).postId === id);
    expect(about.map((m) => m.user_id)).toContain(loud.userId);
    expect(about.map((m) => m.user_id)).not.toContain(quiet.userId);
    expect(about.map((m) => m.user_id)).not.toContain(editor.userId);
    expect(await ofPost(quiet, id)).toEqual(['review_requested']);
  });
});

describe('the local outbox (no SMTP_URL)', () => {
  it("writes each mail as an .eml file and shows owners their organisation's mail, not others' sign-in links", async () => {
    const res = await fetch(`${app.url}/api/v1/auth/magic-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: editor.email }),
    });
    expect(res.status).toBe(202);
    const dir = join(app.server.deps.config.dataDir, 'outbox');
    const sentTo = async (to: string, kind: string) =>
      withSystem(app.server.database.db, (tx) =>
        tx
          .selectFrom('mail_outbox')
          .select('sent_at')
          .where('recipient', '=', to)
          .where('kind', '=', kind)
          .where('sent_at', 'is not', null)
          .executeTakeFirst(),
      );
    const end = Date.now() + 10_000;
    while (!(await sentTo(editor.email, 'magic_link')) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const files = await readdir(dir);
    const texts = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
    expect(
      texts.some((t) => t.includes(`To: ${editor.email}`) && t.includes('Subject: Your Chorus sign-in link')),
    ).toBe(true);

    const outbox = await owner.json<any>('GET', '/mail/outbox');
    expect(outbox.status).toBe(200);
    const subjects = outbox.body.items.map((m: any) => `${m.to} ${m.subject}`);
    expect(subjects.some((s: string) => s.startsWith(editor.email) && s.includes('invited you'))).toBe(true);
    expect(subjects.some((s: string) => s.startsWith(editor.email) && s.includes('sign-in'))).toBe(false);
    expect((await manager.json('GET', '/mail/outbox')).status).toBe(403);
    const other = await registerOwner(app.url, 'outsider');
    const theirs = await other.json<any>('GET', '/mail/outbox');
    expect(theirs.body.items.map((m: any) => m.to)).not.toContain(editor.email);
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL && process.env.REDIS_URL))('across nodes', () => {
  it('reaches a socket on another node exactly once', async () => {
    const database = await openDatabase({ databaseUrl: app.database.url!, poolSize: 4 });
    const node2 = await startServer(
      loadConfig({
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_URL: app.database.url!,
        REDIS_URL: process.env.REDIS_URL!,
      }),
      createLogger('silent'),
      { database },
    );
    try {
      const postId = await newPost(owner, 'Across nodes');
      const s = socket(node2.url, { token: viewer.token });
      await connected(s);
      const got: NotificationEvent[] = [];
      s.on('notification', (e) => got.push(e));
      // Written on the first node, heard on the second.
      const first = await owner.json<any>('POST', '/notes', { postId, body: `<@${viewer.userId}> one` });
      await until(() => got.length >= 1, 10_000, 'the first mention across nodes');
      // Written on the second node: arrives after the first, and the first only once.
      const res = await fetch(`${node2.url}/api/v1/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ postId, body: `<@${viewer.userId}> two` }),
      });
      expect(res.status).toBe(201);
      await until(() => got.length >= 2, 10_000, 'the second mention');
      expect(got.map((e) => e.notification.noteId)).toEqual([first.body.id, ((await res.json()) as any).id]);
      expect(got[1]!.unreadCount).toBe(got[0]!.unreadCount + 1);
    } finally {
      await node2.close();
      await database.close();
    }
  });
});
