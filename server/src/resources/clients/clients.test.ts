import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';
import { feedRows } from '../../../test/feed.ts';

let app: TestApp;
let owner: Caller;
let other: Caller;
beforeAll(async () => {
  app = await startTestApp();
  owner = await registerOwner(app.url, 'c1');
  other = await registerOwner(app.url, 'c2');
});
afterAll(() => app?.close());

describe('clients', () => {
  it('creates, reads, edits and deletes, recording each change in the feed', async () => {
    const created = await owner.json<any>('POST', '/clients', {
      name: 'Bluebird Bakery',
      contactEmail: 'hi@bluebird.example',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Bluebird Bakery',
      contactEmail: 'hi@bluebird.example',
      isActive: true,
      version: 1,
      createdBy: owner.userId,
    });
    const id = created.body.id;
    expect((await owner.json('GET', `/clients/${id}`)).body).toEqual(created.body);
    const edited = await owner.json<any>('PATCH', `/clients/${id}`, { contactName: 'Bea' });
    expect(edited.body).toMatchObject({ contactName: 'Bea', version: 2, updatedBy: owner.userId });
    expect(edited.res.headers.get('etag')).toBe('"2"');
    expect((await owner.call('DELETE', `/clients/${id}`)).status).toBe(204);
    expect((await owner.call('GET', `/clients/${id}`)).status).toBe(404);
    const changes = await feedRows(app.database.db, owner.organisationId, id);
    expect(changes.map((c) => c.op)).toEqual(['insert', 'update', 'delete']);
    expect(changes.every((c) => c.entity === 'client' && c.actor_id === owner.userId)).toBe(true);
  });

  it('keeps names unique per organisation (409), but not across organisations', async () => {
    expect((await owner.json('POST', '/clients', { name: 'Harbour Hotels' })).status).toBe(201);
    expect((await owner.json('POST', '/clients', { name: 'harbour hotels' })).status).toBe(409);
    expect((await other.json('POST', '/clients', { name: 'Harbour Hotels' })).status).toBe(201);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const before = await owner.json<any>('GET', '/clients?limit=200');
    for (const [body, path] of [
      [{ name: '' }, 'name'],
      [{ name: 'X', contactEmail: 'not-an-email' }, 'contactEmail'],
      [{ name: 'X', id: '00000000-0000-0000-0000-000000000000' }, 'id'],
      [{ name: 'X', version: 3 }, 'version'],
      [{ name: 'X', organisationId: other.organisationId }, 'organisationId'],
    ] as const) {
      const res = await owner.json<any>('POST', '/clients', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: any) => e.path)).toContain(path);
    }
    const malformed = await owner.call('POST', '/clients', '{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    const after = await owner.json<any>('GET', '/clients?limit=200');
    expect(after.body.items).toEqual(before.body.items);
  });

  it('honours If-Match: a stale version answers 412 and changes nothing', async () => {
    const c = await owner.json<any>('POST', '/clients', { name: 'Versioned' });
    expect(
      (await owner.json('PATCH', `/clients/${c.body.id}`, { contactName: 'A' }, { 'if-match': '"1"' })).status,
    ).toBe(200);
    const stale = await owner.json<any>('PATCH', `/clients/${c.body.id}`, { contactName: 'B' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');
    expect((await owner.json<any>('GET', `/clients/${c.body.id}`)).body.contactName).toBe('A');
  });

  it("answers 404 for another organisation's client on every route, and leaves it alone", async () => {
    const theirs = await other.json<any>('POST', '/clients', { name: 'Secret Client' });
    const id = theirs.body.id;
    expect((await owner.call('GET', `/clients/${id}`)).status).toBe(404);
    expect((await owner.call('PATCH', `/clients/${id}`, { name: 'Mine now' })).status).toBe(404);
    expect((await owner.call('DELETE', `/clients/${id}`)).status).toBe(404);
    expect((await other.json<any>('GET', `/clients/${id}`)).body).toEqual(theirs.body);
    const mine = await owner.json<any>('GET', '/clients?limit=200');
    expect(mine.body.items.map((c: any) => c.id)).not.toContain(id);
  });

  it('enforces roles: managers create and edit, only owners and admins delete, viewers read', async () => {
    const manager = await addMember(app.url, owner, 'manager');
    const editor = await addMember(app.url, owner, 'editor');
    const viewer = await addMember(app.url, owner, 'viewer');
    const c = await manager.json<any>('POST', '/clients', { name: 'By manager' });
    expect(c.status).toBe(201);
    expect((await editor.json('POST', '/clients', { name: 'By editor' })).status).toBe(403);
    expect((await editor.json('PATCH', `/clients/${c.body.id}`, { name: 'Renamed' })).status).toBe(403);
    expect((await viewer.json('GET', `/clients/${c.body.id}`)).status).toBe(200);
    expect((await manager.call('DELETE', `/clients/${c.body.id}`)).status).toBe(403);
    expect((await owner.call('DELETE', `/clients/${c.body.id}`)).status).toBe(204);
  });

  it('pages through every client exactly once with the cursor', async () => {
    const org = await registerOwner(app.url, 'pages');
    for (let i = 0; i < 7; i++) await org.json('POST', '/clients', { name: `Client ${String(i).padStart(2, '0')}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const res = await org.json<any>('GET', `/clients${q}`);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((c: any) => c.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...Array(7)].map((_, i) => `Client ${String(i).padStart(2, '0')}`));
    expect((await org.call('GET', '/clients?cursor=garbage')).status).toBe(400);
    expect((await org.call('GET', '/clients?limit=201')).status).toBe(400);
  });
});
