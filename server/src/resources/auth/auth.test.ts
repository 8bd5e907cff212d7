import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';
import { createSession, validateSessionToken } from '../../auth/sessions.ts';
import { withSystem } from '../../db/tenant.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('register and log in', () => {
  it('registers an organisation whose first user is its owner, and sets the session cookie', async () => {
    const res = await post('/auth/register', {
      organisationName: 'Northwind Social',
      name: 'Ada',
      email: 'Ada@Northwind.example',
      password: 'a long enough password',
      industry: 'retail',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.user).toMatchObject({ role: 'owner', email: 'Ada@Northwind.example', isActive: true, version: 1 });
    expect(body.organisation).toMatchObject({ name: 'Northwind Social', industry: 'retail', subscriptionTier: 'free' });
    expect(body.token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toContain('chorus_session=');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('answers a second sign-up with an existing address like a new one, but creates nothing and signs nobody in', async () => {
    const res = await post('/auth/register', {
      organisationName: 'Other',
      name: 'Eve',
      email: 'ada@NORTHWIND.example',
      password: 'a long enough password',
    });
    // Same status, shape and cookie as a real sign-up: the answer does not reveal the account.
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.user).toMatchObject({ role: 'owner', email: 'ada@NORTHWIND.example', isActive: true, version: 1 });
    expect(body.organisation).toMatchObject({ name: 'Other', subscriptionTier: 'free' });
    expect(body.token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get('set-cookie')).toContain('chorus_session=');
    // …but the token opens nothing, and no organisation or user was made.
    const me = await fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer ${body.token}` } });
    expect(me.status).toBe(401);
    const made = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('organisations').select('id').where('name', '=', 'Other').execute(),
    );
    expect(made).toEqual([]);
    // The first account still signs in with its own password.
    expect(
      (await post('/auth/login', { email: 'ada@northwind.example', password: 'a long enough password' })).status,
    ).toBe(200);
  });

  it('refuses unknown fields, naming them, and an unknown industry', async () => {
    const res = await post('/auth/register', {
      organisationName: 'X',
      name: 'Y',
      email: 'y@x.example',
      password: 'a long enough password',
      role: 'owner',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors).toEqual([{ path: 'role', message: 'Unknown field' }]);
    const bad = await post('/auth/register', {
      organisationName: 'X',
      name: 'Y',
      email: 'y@x.example',
      password: 'a long enough password',
      industry: 'mining',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].path).toBe('industry');
  });

  it('logs in case-insensitively and answers the same 401 for unknown e-mail and wrong password', async () => {
    const ok = await post('/auth/login', { email: 'ADA@northwind.example', password: 'a long enough password' });
    expect(ok.status).toBe(200);
    const wrong = await post('/auth/login', { email: 'ada@northwind.example', password: 'nope nope nope' });
    const unknown = await post('/auth/login', { email: 'nobody@northwind.example', password: 'nope nope nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [(await wrong.json()) as any, (await unknown.json()) as any];
    expect(a.code).toBe('invalid_credentials');
    expect(b).toEqual(a);
  });

  it('throttles repeated failures on one account with 429 and Retry-After, known or unknown alike', async () => {
    const victim = await registerOwner(app.url, 'victim');
    for (const email of [victim.email, 'ghost@northwind.example']) {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await post('/auth/login', { email, password: 'wrong wrong wrong' })).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses[5]).toBe(429);
      const locked = await post('/auth/login', { email, password: 'correct horse battery' });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await locked.json()) as any).code).toBe('rate_limited');
    }
    // Other accounts are unaffected.
    const other = await registerOwner(app.url, 'unthrottled');
    expect((await other.json('GET', '/me')).status).toBe(200);
  });
});

describe('sessions', () => {
  it('GET /me answers the user, organisation and permissions', async () => {
    const owner = await registerOwner(app.url, 'me');
    const me = await owner.json<{ user: { id: string }; permissions: string[] }>('GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(owner.userId);
    expect(me.body.permissions).toEqual(['post:edit', 'campaign:write', 'org:manage', 'org:own']);
  });

  it('works with the cookie as well as Bearer, and refuses a cookie write without an allowed Origin', async () => {
    const owner = await registerOwner(app.url, 'cookie');
    const cookie = `chorus_session=${owner.token}`;
    expect((await fetch(`${app.url}/api/v1/me`, { headers: { cookie } })).status).toBe(200);
    const body = JSON.stringify({ name: 'Via cookie' });
    const noOrigin = await fetch(`${app.url}/api/v1/clients`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body,
    });
    expect(noOrigin.status).toBe(403);
    const evil = await fetch(`${app.url}/api/v1/clients`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body,
    });
    expect(evil.status).toBe(403);
    const good = await fetch(`${app.url}/api/v1/clients`, {
      method: 'POST',
      headers: { cookie, origin: app.server.deps.config.publicOrigins[0]!, 'content-type': 'application/json' },
      body,
    });
    expect(good.status).toBe(201);
  });

  it('logout ends the token at once', async () => {
    const owner = await registerOwner(app.url, 'logout');
    expect((await owner.call('POST', '/auth/logout')).status).toBe(204);
    const after = await owner.json('GET', '/me');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses malformed and forged tokens', async () => {
    const owner = await registerOwner(app.url, 'forge');
    const [id] = owner.token.split('.');
    for (const token of ['', 'x', `${id}.`, `${id}.AAAA`, `${id}.${'A'.repeat(43)}`, 'a'.repeat(500)]) {
      const res = await fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, token).toBe(401);
    }
  });

  it('expires after the TTL and slides forward when used in the second half of its life (fake clock)', async () => {
    const owner = await registerOwner(app.url, 'clock');
    const db = app.database.db;
    const s = await createSession(db, { id: owner.userId, organisationId: owner.organisationId }, 30);
    const day = 86_400_000;
    const t0 = Date.now();
    // Day 10: first half of its life, no renewal.
    const early = await validateSessionToken(db, s.token, 30, new Date(t0 + 10 * day));
    expect(early?.expiresAt.getTime()).toBe(s.expiresAt.getTime());
    // Day 20: second half, renewed to 30 days from then.
    const renewed = await validateSessionToken(db, s.token, 30, new Date(t0 + 20 * day));
    expect(renewed?.expiresAt.getTime()).toBe(t0 + 50 * day);
    // Day 49 is still inside the renewed life; day 51 is past it and the session is gone.
    expect(await validateSessionToken(db, s.token, 30, new Date(t0 + 49 * day))).not.toBeNull();
    expect(await validateSessionToken(db, s.token, 30, new Date(t0 + 81 * day))).toBeNull();
    const left = await withSystem(db, (tx) =>
      tx.selectFrom('sessions').select('id').where('id', '=', s.sessionId).execute(),
    );
    expect(left).toEqual([]);
  });

  it('stores only a hash of the secret', async () => {
    const owner = await registerOwner(app.url, 'hash');
    const [id, secret] = owner.token.split('.');
    const row = await withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('sessions')
        .select(sql<string>`encode(secret_hash, 'hex')`.as('h'))
        .where('id', '=', id!)
        .executeTakeFirstOrThrow(),
    );
    expect(row.h).toHaveLength(64);
    expect(row.h).not.toContain(Buffer.from(secret!, 'base64url').toString('hex'));
  });
});

describe('invitations and members', () => {
  it('invites, accepts, lists, and deactivation ends the member’s sessions', async () => {
    const owner = await registerOwner(app.url, 'team');
    const editor = await addMember(app.url, owner, 'editor');
    expect((await editor.json('GET', '/me')).body).toMatchObject({ user: { role: 'editor' } });
    const list = await owner.json<{ items: { id: string }[] }>('GET', '/users');
    expect(list.body.items.map((u) => u.id)).toEqual(expect.arrayContaining([owner.userId, editor.userId]));
    const off = await owner.json('PATCH', `/users/${editor.userId}`, { isActive: false });
    expect(off.status).toBe(200);
    expect((await editor.json('GET', '/me')).status).toBe(401);
  });

  it('an invitation token works once', async () => {
    const owner = await registerOwner(app.url, 'once');
    const inv = await owner.json<{ token: string }>('POST', '/invitations', {
      email: 'once@example.com',
      role: 'viewer',
    });
    const accept = () =>
      post('/auth/accept-invitation', { token: inv.body.token, name: 'Once', password: 'a long enough password' });
    expect((await accept()).status).toBe(201);
    expect((await accept()).status).toBe(422);
  });

  it('only owners and admins invite; only owners invite owners', async () => {
    const owner = await registerOwner(app.url, 'inv');
    const admin = await addMember(app.url, owner, 'admin');
    const manager = await addMember(app.url, owner, 'manager');
    expect((await manager.json('POST', '/invitations', { email: 'm@example.com', role: 'viewer' })).status).toBe(403);
    expect((await admin.json('POST', '/invitations', { email: 'a@example.com', role: 'owner' })).status).toBe(403);
    expect((await admin.json('POST', '/invitations', { email: 'a@example.com', role: 'editor' })).status).toBe(201);
  });

  it('refuses to invite an address that already has an account elsewhere', async () => {
    const a = await registerOwner(app.url, 'ea');
    const b = await registerOwner(app.url, 'eb');
    const res = await a.json('POST', '/invitations', { email: b.email.toUpperCase(), role: 'viewer' });
    expect(res.status).toBe(409);
  });

  it('keeps the last owner: cannot be demoted or deactivated (409); admins cannot touch owners', async () => {
    const owner = await registerOwner(app.url, 'last');
    expect((await owner.json('PATCH', `/users/${owner.userId}`, { role: 'admin' })).status).toBe(409);
    expect((await owner.json('PATCH', `/users/${owner.userId}`, { isActive: false })).status).toBe(409);
    const admin = await addMember(app.url, owner, 'admin');
    expect((await admin.json('PATCH', `/users/${owner.userId}`, { role: 'viewer' })).status).toBe(403);
    // With a second owner the first may step down.
    const second = await addMember(app.url, owner, 'viewer');
    expect((await owner.json('PATCH', `/users/${second.userId}`, { role: 'owner' })).status).toBe(200);
    expect((await owner.json('PATCH', `/users/${owner.userId}`, { role: 'admin' })).status).toBe(200);
  });

  it('honours If-Match on members', async () => {
    const owner = await registerOwner(app.url, 'ifm');
    const viewer = await addMember(app.url, owner, 'viewer');
    expect((await owner.json('PATCH', `/users/${viewer.userId}`, { name: 'V' }, { 'if-match': '"7"' })).status).toBe(
      412,
    );
    expect((await owner.json('PATCH', `/users/${viewer.userId}`, { name: 'V' }, { 'if-match': '"1"' })).status).toBe(
      200,
    );
  });
});
