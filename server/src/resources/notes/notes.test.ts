import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApp, type TestApp } from '../../../test/api.ts';
import { feedRows } from '../../../test/feed.ts';
import { buildWorld, type World } from '../../../test/world.ts';
import { withTenant } from '../../db/tenant.ts';
import type { CollabBridge } from '../../deps.ts';
import { saveCollabBody } from './service.ts';

let app: TestApp;
let w: World;
let other: World;
let viewer: Caller;
beforeAll(async () => {
  app = await startTestApp();
  w = await buildWorld(app.url, 'notes');
  other = await buildWorld(app.url, 'notes-other');
  viewer = w.members.viewer;
});
afterAll(() => app?.close());

const noteChanges = (orgId: string, id: string) => feedRows(app.database.db, orgId, id);

describe('notes', () => {
  it('threads: a reply takes its parent target, and the list is flat with parentId', async () => {
    const top = await viewer.json<any>('POST', '/notes', { postId: w.postId, body: 'Is the tone right?' });
    expect(top.status).toBe(201);
    expect(top.body).toMatchObject({
      postId: w.postId,
      campaignId: null,
      parentId: null,
      authorId: viewer.userId,
      authorName: 'A viewer',
      version: 1,
      createdBy: viewer.userId,
    });
    const reply = await w.owner.json<any>('POST', '/notes', { parentId: top.body.id, body: 'Yes' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ postId: w.postId, campaignId: null, parentId: top.body.id });
    // Naming the parent's own target is fine too.
    const same = await w.members.editor.json<any>('POST', '/notes', {
      postId: w.postId,
      parentId: reply.body.id,
      body: 'Agreed',
    });
    expect(same.body).toMatchObject({ postId: w.postId, parentId: reply.body.id });
    const list = await viewer.json<any>('GET', `/notes?postId=${w.postId}`);
    expect(list.body.items.map((n: any) => [n.body, n.parentId])).toEqual([
      ['Is the tone right?', null],
      ['Yes', top.body.id],
      ['Agreed', reply.body.id],
    ]);
    expect(list.body.nextCursor).toBeNull();
    expect(await noteChanges(w.owner.organisationId, top.body.id)).toEqual([
      {
        entity: 'note',
        op: 'insert',
        data: expect.objectContaining({ id: top.body.id, body: 'Is the tone right?' }),
        actor_id: viewer.userId,
      },
    ]);
  });

  it('refuses a reply naming another target (422 naming it), two targets or none (400), unseen parents (422)', async () => {
    const top = await w.owner.json<any>('POST', '/notes', { campaignId: w.campaignId, body: 'Top' });
    const wrongPost = await w.owner.json<any>('POST', '/notes', { postId: w.postId, parentId: top.body.id, body: 'x' });
    expect(wrongPost.status).toBe(422);
    expect(wrongPost.body.errors[0].path).toBe('postId');
    const onPost = await w.owner.json<any>('POST', '/notes', { postId: w.postId, body: 'On the post' });
    const wrongCampaign = await w.owner.json<any>('POST', '/notes', {
      campaignId: w.campaignId,
      parentId: onPost.body.id,
      body: 'x',
    });
    expect(wrongCampaign.status).toBe(422);
    expect(wrongCampaign.body.errors[0].path).toBe('campaignId');
    const both = await w.owner.json('POST', '/notes', { postId: w.postId, campaignId: w.campaignId, body: 'Both' });
    expect(both.status).toBe(400);
    expect((await w.owner.json('POST', '/notes', { body: 'Nowhere' })).status).toBe(400);
    expect((await w.owner.json('POST', '/notes', { campaignId: w.campaignId, body: '   ' })).status).toBe(400);
    expect((await w.owner.json('POST', '/notes', { campaignId: w.campaignId, body: 'a\u0000b' })).status).toBe(400);
    expect((await w.owner.json('PATCH', `/notes/${w.noteId}`, { body: 'a\u0000b' })).status).toBe(400);
    const ro = await w.owner.json<any>('POST', '/notes', {
      campaignId: w.campaignId,
      body: 'x',
      authorId: viewer.userId,
    });
    expect(ro.status).toBe(400);
    expect(ro.body.errors[0].path).toBe('authorId');
    const foreignParent = await w.owner.json<any>('POST', '/notes', { parentId: other.noteId, body: 'x' });
    expect(foreignParent.status).toBe(422);
    expect(foreignParent.body.errors[0].path).toBe('parentId');
    const foreignTarget = await w.owner.json<any>('POST', '/notes', { campaignId: other.campaignId, body: 'x' });
    expect(foreignTarget.status).toBe(422);
    expect(foreignTarget.body.errors[0].path).toBe('campaignId');
    expect((await w.owner.json('GET', '/notes')).status).toBe(400);
    expect((await w.owner.json('GET', `/notes?campaignId=${w.campaignId}&postId=${w.postId}`)).status).toBe(400);
  });

  it('pages a long thread with a cursor, in creation order, without repeats', async () => {
    const campaign = (
      await w.owner.json<any>('POST', '/campaigns', {
        clientId: w.clientId,
        name: `Paging ${Date.now()}`,
        platform: 'x',
        startDate: '2026-01-01',
        endDate: '2026-12-31',
      })
    ).body;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      made.push((await viewer.json<any>('POST', '/notes', { campaignId: campaign.id, body: `n${i}` })).body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/notes?campaignId=${campaign.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await viewer.json<any>('GET', q);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((n: any) => n.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made);
    expect((await viewer.json('GET', `/notes?campaignId=${campaign.id}&cursor=garbage`)).status).toBe(400);
  });

  it('lets authors and owners/admins edit or delete; others get 403; If-Match is honoured', async () => {
    const mine = await w.members.editor.json<any>('POST', '/notes', {
      campaignId: w.campaignId,
      body: 'Draft thought',
    });
    expect((await w.members.manager.json('PATCH', `/notes/${mine.body.id}`, { body: 'Hijack' })).status).toBe(403);
    expect((await viewer.json('PATCH', `/notes/${mine.body.id}`, { body: 'Hijack' })).status).toBe(403);
    const edited = await w.members.editor.json<any>('PATCH', `/notes/${mine.body.id}`, { body: 'Better thought' });
    expect(edited.body).toMatchObject({ body: 'Better thought', version: 2, updatedBy: w.members.editor.userId });
    const stale = await w.members.admin.json<any>(
      'PATCH',
      `/notes/${mine.body.id}`,
      { body: 'x' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    const moderated = await w.members.admin.json<any>(
      'PATCH',
      `/notes/${mine.body.id}`,
      { body: 'Moderated' },
      { 'if-match': '"2"' },
    );
    expect(moderated.status).toBe(200);
    expect((await w.members.editor.json('PATCH', `/notes/${mine.body.id}`, { postId: w.postId })).status).toBe(400);
    expect((await w.members.manager.call('DELETE', `/notes/${mine.body.id}`)).status).toBe(403);
    expect((await w.members.editor.call('DELETE', `/notes/${mine.body.id}`)).status).toBe(204);
    expect((await noteChanges(w.owner.organisationId, mine.body.id)).map((c) => c.op)).toEqual([
      'insert',
      'update',
      'update',
      'delete',
    ]);
    // A viewer may write and then edit their own note.
    const own = await viewer.json<any>('POST', '/notes', { campaignId: w.campaignId, body: 'Mine' });
    expect((await viewer.json('PATCH', `/notes/${own.body.id}`, { body: 'Still mine' })).status).toBe(200);
  });

  it("hides another organisation's notes: 404 for list, edit and delete", async () => {
    expect((await w.owner.json('GET', `/notes?campaignId=${other.campaignId}`)).status).toBe(404);
    expect((await w.owner.json('GET', `/notes?postId=${other.postId}`)).status).toBe(404);
    expect((await w.owner.json('PATCH', `/notes/${other.noteId}`, { body: 'x' })).status).toBe(404);
    expect((await w.owner.call('DELETE', `/notes/${other.noteId}`)).status).toBe(404);
    expect((await w.owner.json('PATCH', '/notes/not-a-uuid', { body: 'x' })).status).toBe(404);
    const theirs = await other.owner.json<any>('GET', `/notes?campaignId=${other.campaignId}`);
    expect(theirs.body.items.map((n: any) => n.body)).toContain('First note');
  });

  it('deleting a note deletes its replies at any depth, announcing each', async () => {
    const top = await w.owner.json<any>('POST', '/notes', { campaignId: w.campaignId, body: 'Parent' });
    const child = await w.owner.json<any>('POST', '/notes', { parentId: top.body.id, body: 'Child' });
    const grandchild = await viewer.json<any>('POST', '/notes', { parentId: child.body.id, body: 'Grandchild' });
    const sibling = await w.owner.json<any>('POST', '/notes', { campaignId: w.campaignId, body: 'Unrelated' });
    expect((await w.owner.call('DELETE', `/notes/${top.body.id}`)).status).toBe(204);
    const list = await w.owner.json<any>('GET', `/notes?campaignId=${w.campaignId}&limit=200`);
    const ids = list.body.items.map((n: any) => n.id);
    expect(ids).not.toContain(child.body.id);
    expect(ids).not.toContain(grandchild.body.id);
    expect(ids).toContain(sibling.body.id);
    for (const id of [top.body.id, child.body.id, grandchild.body.id]) {
      expect((await noteChanges(w.owner.organisationId, id)).at(-1)).toMatchObject({
        op: 'delete',
        actor_id: w.owner.userId,
      });
    }
  });

  it("merges a PATCHed body into the live document inside the PATCH's transaction", async () => {
    const note = await viewer.json<any>('POST', '/notes', { campaignId: w.campaignId, body: 'Before' });
    const deps = app.server.deps;
    const real = deps.collab;
    const calls: Array<{ target: unknown; text: string }> = [];
    try {
      deps.collab = {
        mergeText: async (tx, target, text) => {
          calls.push({ target, text });
          await real?.mergeText(tx, target, text);
        },
      } satisfies CollabBridge;
      const ok = await viewer.json<any>('PATCH', `/notes/${note.body.id}`, { body: 'After' });
      expect(ok.status).toBe(200);
      expect(calls).toEqual([
        { target: { kind: 'note', id: note.body.id, organisationId: w.owner.organisationId }, text: 'After' },
      ]);
      // A merge that fails takes the edit down with it: one transaction.
      deps.collab = {
        mergeText: async () => {
          throw new Error('collab is down');
        },
      };
      expect((await viewer.json('PATCH', `/notes/${note.body.id}`, { body: 'Lost' })).status).toBe(500);
    } finally {
      deps.collab = real;
    }
    const after = await viewer.json<any>('GET', `/notes?campaignId=${w.campaignId}&limit=200`);
    expect(after.body.items.find((n: any) => n.id === note.body.id)).toMatchObject({ body: 'After', version: 2 });
  });

  it('saveCollabBody saves changed text with a change row, and skips unchanged, blank or missing notes', async () => {
    const note = await viewer.json<any>('POST', '/notes', { campaignId: w.campaignId, body: 'Seed' });
    const org = w.owner.organisationId;
    const save = (body: string, noteId = note.body.id) =>
      withTenant(app.database.db, org, (tx) =>
        saveCollabBody(tx, { noteId, organisationId: org, body, actorId: viewer.userId }),
      );
    expect(await save('Typed live')).toMatchObject({ id: note.body.id, body: 'Typed live', version: 2 });
    expect(await save('Typed live')).toMatchObject({ version: 2 });
    expect(await save('   ')).toMatchObject({ body: 'Typed live', version: 2 });
    expect(await save('x', '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect((await noteChanges(org, note.body.id)).map((c) => c.op)).toEqual(['insert', 'update']);
  });
});
