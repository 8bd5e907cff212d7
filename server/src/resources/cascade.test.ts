import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/api.ts';
import { buildWorld, expectOk, uploadAsset } from '../../test/world.ts';
import { withSystem, withTenant } from '../db/tenant.ts';
import { assignPending } from '../realtime/sequencer.ts';
import { assetPath } from './assets/storage.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

describe('deleting with children', () => {
  it('records a delete change for every row the cascade removes, and removes their files', async () => {
    const w = await buildWorld(app.url, 'cascade');
    const postNote = await expectOk(w.owner.json('POST', '/notes', { postId: w.postId, body: 'On the post' }), 'note');
    const postAsset = await expectOk(uploadAsset(app.url, w.owner, { postId: w.postId }), 'asset');
    const keys = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('assets').select('storage_key').where('id', 'in', [w.assetId, postAsset.id]).execute(),
    );
    const files = keys.map((k) => assetPath(app.server.deps.config.dataDir, k.storage_key));
    for (const f of files) expect(await exists(f)).toBe(true);
    await assignPending(app.database.db);
    const before = await withTenant(app.database.db, w.owner.organisationId, (tx) =>
      tx
        .selectFrom('changes')
        .select((eb) => eb.fn.max('seq').as('max'))
        .executeTakeFirstOrThrow(),
    );

    expect((await w.owner.call('DELETE', `/clients/${w.clientId}`)).status).toBe(204);
    await assignPending(app.database.db);

    const deletes = await withTenant(app.database.db, w.owner.organisationId, (tx) =>
      tx
        .selectFrom('changes')
        .select(['entity', 'entity_id', 'op', 'actor_id'])
        .where('seq', '>', before.max ?? 0)
        .orderBy('seq')
        .execute(),
    );
    expect(deletes.every((d) => d.op === 'delete' && d.actor_id === w.owner.userId)).toBe(true);
    const got = new Set(deletes.map((d) => `${d.entity}:${d.entity_id}`));
    for (const k of [
      `client:${w.clientId}`,
      `campaign:${w.campaignId}`,
      `post:${w.postId}`,
      `note:${w.noteId}`,
      `note:${w.replyId}`,
      `note:${postNote.id}`,
      `asset:${w.assetId}`,
      `asset:${postAsset.id}`,
    ])
      expect(got, k).toContain(k);
    expect(deletes).toHaveLength(8);
    // The parent's own change comes last, after everything it took with it.
    expect(deletes.at(-1)).toMatchObject({ entity: 'client', entity_id: w.clientId });
    for (const f of files) expect(await exists(f)).toBe(false);
  });
});
