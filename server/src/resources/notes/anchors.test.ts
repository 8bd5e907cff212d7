import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addMember, type Caller, startTestApp, type TestApp } from '../../../test/api.ts';
import { buildWorld, type World } from '../../../test/world.ts';
import { connectClient, synced, until } from '../../collab/testkit.ts';

// Notes on the words: an anchor made of Yjs relative positions follows the text through
// edits made in the collaborative editor; the API answers the text it covers now.

let app: TestApp;
let w: World;
let member: Caller;
let wsUrl: string;

beforeAll(async () => {
  app = await startTestApp();
  w = await buildWorld(app.url, 'anchors');
  member = await addMember(app.url, w.owner, 'client', [w.clientId]);
  wsUrl = `${app.url.replace(/^http/, 'ws')}/collab`;
}, 180_000);
afterAll(() => app?.close());

const b64 = (rp: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rp)).toString('base64');
function anchorOf(text: Y.Text, from: number, to: number) {
  return {
    start: b64(Y.createRelativePositionFromTypeIndex(text, from, 0)),
    end: b64(Y.createRelativePositionFromTypeIndex(text, to, -1)),
  };
}

describe('anchored notes', () => {
  it('follow their words through edits, and say so once the words are deleted', async () => {
    const editor = connectClient(wsUrl, `post:${w.postId}`, w.owner.token);
    try {
      await synced(editor);
      expect(editor.text.toString()).toBe('Hello world');
      const made = await member.json<any>('POST', '/notes', {
        postId: w.postId,
        body: 'Which world?',
        anchor: anchorOf(editor.text, 6, 11),
      });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ quote: 'world', anchorText: 'world', visibility: 'client', resolved: false });
      const get = async () =>
        (await w.owner.json<any>('GET', `/notes?postId=${w.postId}`)).body.items.find(
          (n: any) => n.id === made.body.id,
        );
      // Text typed before and right after the span stays outside it.
      editor.text.insert(0, 'Oh, ');
      editor.text.insert(editor.text.length, '!');
      await until(
        async () => (await w.owner.json<any>('GET', `/posts/${w.postId}`)).body.content === 'Oh, Hello world!',
      );
      expect((await get()).anchorText).toBe('world');
      // Inside the span, it is part of the span.
      editor.text.insert(editor.text.toString().indexOf('world') + 2, 'RL');
      await until(async () => (await get()).anchorText === 'woRLrld');
      editor.text.delete(editor.text.toString().indexOf('woRLrld'), 7);
      await until(async () => (await get()).anchorText === null);
      expect((await get()).quote).toBe('world');
    } finally {
      editor.destroy();
    }
  });

  it('refuse an anchor that is not a span of the post text, on a campaign or on a reply', async () => {
    const elsewhere = new Y.Doc();
    const t = elsewhere.getText('content');
    t.insert(0, 'Not this post');
    const foreign = await w.owner.json<any>('POST', '/notes', {
      postId: w.postId,
      body: 'x',
      anchor: anchorOf(t, 0, 3),
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0].path).toBe('anchor');
    const garbage = await w.owner.json<any>('POST', '/notes', {
      postId: w.postId,
      body: 'x',
      anchor: { start: 'AAAA', end: '////' },
    });
    expect(garbage.status).toBe(422);
    const campaign = await w.owner.json<any>('POST', '/notes', {
      campaignId: w.campaignId,
      body: 'x',
      anchor: anchorOf(t, 0, 3),
    });
    expect(campaign.status).toBe(422);
    const reply = await w.owner.json<any>('POST', '/notes', {
      parentId: w.noteId,
      body: 'x',
      anchor: anchorOf(t, 0, 1),
    });
    expect(reply.status).toBe(422);
  });
});

describe('note visibility and resolution', () => {
  it('keeps team notes from clients, gives replies their parent’s visibility, and resolves threads', async () => {
    const team = await w.owner.json<any>('POST', '/notes', { postId: w.postId, body: 'Between us' });
    expect(team.body.visibility).toBe('team');
    const shared = await w.owner.json<any>('POST', '/notes', {
      postId: w.postId,
      body: 'To all',
      visibility: 'client',
    });
    const reply = await w.owner.json<any>('POST', '/notes', { parentId: shared.body.id, body: 'Re' });
    expect(reply.body.visibility).toBe('client');
    const mismatch = await w.owner.json<any>('POST', '/notes', {
      parentId: shared.body.id,
      body: 'Re',
      visibility: 'team',
    });
    expect(mismatch.status).toBe(422);
    const seen = (await member.json<any>('GET', `/notes?postId=${w.postId}`)).body.items.map((n: any) => n.id);
    expect(seen).toContain(shared.body.id);
    expect(seen).not.toContain(team.body.id);
    expect((await member.json('PATCH', `/notes/${team.body.id}`, { resolved: true })).status).toBe(404);

    const resolved = await member.json<any>('PATCH', `/notes/${shared.body.id}`, { resolved: true });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ resolved: true, resolvedBy: member.userId });
    expect(resolved.body.body).toBe('To all');
    const reopened = await w.owner.json<any>('PATCH', `/notes/${shared.body.id}`, { resolved: false });
    expect(reopened.body).toMatchObject({ resolved: false, resolvedBy: null, resolvedAt: null });
    expect((await w.owner.json<any>('PATCH', `/notes/${reply.body.id}`, { resolved: true })).status).toBe(422);
    expect((await w.owner.json<any>('PATCH', `/notes/${shared.body.id}`, {})).status).toBe(400);
  });
});
