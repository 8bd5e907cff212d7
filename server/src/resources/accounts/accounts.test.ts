import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, caller, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';
import { linkIn, startSmtp } from '../../../test/smtp.ts';
import { connected, socketTracker, until } from '../../../test/sockets.ts';
import { withSystem } from '../../db/tenant.ts';
import { fastOptions } from '../../jobs/testkit.ts';

// Every mail kind, sent through a real SMTP server the test runs, with its link followed
// through the API.

const ORIGIN = 'http://chorus.test:8080';
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let app: TestApp;
let owner: Caller;
const { socket, closeAll } = socketTracker();
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startTestApp(
    {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Chorus Test <chorus@test.example>',
      PUBLIC_ORIGIN: `${ORIGIN},http://other.test`,
    },
    { jobs: fastOptions() },
  );
  owner = await registerOwner(app.url, 'mail');
}, 180_000);
afterAll(async () => {
  closeAll();
  await app?.close();
  await smtp?.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${app.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const email = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const tokenOf = (link: URL) => link.searchParams.get('token')!;

describe('invitations', () => {
  it('mails the accept link, which works once', async () => {
    const to = email('invitee');
    const inv = await owner.json<any>('POST', '/invitations', { email: to, role: 'editor' });
    expect(inv.status).toBe(201);
    expect(inv.body.clientIds).toEqual([]);
    const mail = await smtp.mailTo(to);
    expect(mail.from).toContain('chorus@test.example');
    expect(mail.subject).toContain('invited you');
    expect(mail.html).toContain('<a href=');
    const link = linkIn(mail.text, ORIGIN);
    expect(link.pathname).toBe('/invite');
    expect(tokenOf(link)).toBe(inv.body.token);
    const list = await owner.json<any>('GET', '/invitations');
    expect(list.body.items.map((i: any) => i.email)).toContain(to);
    const accepted = await post('/auth/accept-invitation', { token: tokenOf(link), name: 'Ivy', password: PASSWORD });
    expect(accepted.status).toBe(201);
    const again = await post('/auth/accept-invitation', { token: tokenOf(link), name: 'Ivy', password: PASSWORD });
    expect(again.status).toBe(422);
    const after = await owner.json<any>('GET', '/invitations');
    expect(after.body.items.map((i: any) => i.email)).not.toContain(to);
  });

  it('revokes: the link stops working and the invitation leaves the list', async () => {
    const to = email('revoked');
    const inv = await owner.json<any>('POST', '/invitations', { email: to, role: 'viewer' });
    const link = linkIn((await smtp.mailTo(to)).text, ORIGIN);
    expect((await owner.call('DELETE', `/invitations/${inv.body.id}`)).status).toBe(204);
    expect((await owner.call('DELETE', `/invitations/${inv.body.id}`)).status).toBe(404);
    const res = await post('/auth/accept-invitation', { token: tokenOf(link), name: 'Rex', password: PASSWORD });
    expect(res.status).toBe(422);
    const list = await owner.json<any>('GET', '/invitations');
    expect(list.body.items.map((i: any) => i.id)).not.toContain(inv.body.id);
  });

  it('resends with a new link; the old one stops working', async () => {
    const to = email('resent');
    const inv = await owner.json<any>('POST', '/invitations', { email: to, role: 'editor' });
    const first = linkIn((await smtp.mailTo(to)).text, ORIGIN);
    const resent = await owner.json<any>('POST', `/invitations/${inv.body.id}/resend`);
    expect(resent.status).toBe(200);
    const second = linkIn((await smtp.mailTo(to, (m) => !m.text.includes(tokenOf(first)))).text, ORIGIN);
    expect(tokenOf(second)).toBe(resent.body.token);
    expect(tokenOf(second)).not.toBe(tokenOf(first));
    expect(
      (await post('/auth/accept-invitation', { token: tokenOf(first), name: 'Old', password: PASSWORD })).status,
    ).toBe(422);
    expect(
      (await post('/auth/accept-invitation', { token: tokenOf(second), name: 'New', password: PASSWORD })).status,
    ).toBe(201);
  });

  it('needs clientIds for a client member and refuses them for other roles; managers may not invite', async () => {
    const client = await owner.json<any>('POST', '/clients', { name: 'Acme' });
    const none = await owner.json<any>('POST', '/invitations', { email: email('c'), role: 'client' });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].path).toBe('clientIds');
    const extra = await owner.json<any>('POST', '/invitations', {
      email: email('e'),
      role: 'editor',
      clientIds: [client.body.id],
    });
    expect(extra.status).toBe(400);
    const unknown = await owner.json<any>('POST', '/invitations', {
      email: email('u'),
      role: 'client',
      clientIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.status).toBe(422);
    expect((await owner.json<any>('POST', '/invitations', { email: email('p'), role: 'viewer' })).status).toBe(201);
    const ok = await owner.json<any>('POST', '/invitations', {
      email: email('k'),
      role: 'client',
      clientIds: [client.body.id],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.clientIds).toEqual([client.body.id]);
    // Two pending now: pages of one, newest first.
    const first = await owner.json<any>('GET', '/invitations?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0].id).toBe(ok.body.id);
    const second = await owner.json<any>('GET', `/invitations?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(ok.body.id);
    const manager = await addMember(app.url, owner, 'manager');
    expect((await manager.json('GET', '/invitations')).status).toBe(403);
    expect((await manager.call('DELETE', `/invitations/${ok.body.id}`)).status).toBe(403);
  });
});

describe('password reset', () => {
  it('mails a one-time link; using it sets the password and ends every session', async () => {
    const member = await addMember(app.url, owner, 'editor');
    expect((await post('/auth/password-reset', { email: member.email.toUpperCase() })).status).toBe(202);
    const link = linkIn((await smtp.mailTo(member.email, (m) => m.subject.includes('Reset'))).text, ORIGIN);
    expect(link.pathname).toBe('/reset-password');
    const res = await post('/auth/password-reset/confirm', { token: tokenOf(link), password: 'a brand new secret' });
    expect(res.status).toBe(204);
    expect((await member.call('GET', '/me')).status).toBe(401);
    const reuse = await post('/auth/password-reset/confirm', { token: tokenOf(link), password: 'another new secret' });
    expect(reuse.status).toBe(400);
    expect(((await reuse.json()) as any).code).toBe('invalid_token');
    expect((await post('/auth/login', { email: member.email, password: 'a brand new secret' })).status).toBe(200);
    expect((await post('/auth/login', { email: member.email, password: PASSWORD })).status).toBe(401);
  });

  it('answers 202 for an unknown address and mails nothing', async () => {
    const before = smtp.received.length;
    const nobody = email('nobody');
    expect((await post('/auth/password-reset', { email: nobody })).status).toBe(202);
    expect((await post('/auth/magic-link', { email: nobody })).status).toBe(202);
    const queued = await withSystem(app.server.database.db, (tx) =>
      tx.selectFrom('mail_outbox').select('id').where('recipient', '=', nobody).execute(),
    );
    expect(queued).toEqual([]);
    expect(smtp.received.slice(before).some((m) => m.to.includes(nobody))).toBe(false);
  });

  it('refuses an expired token and a weak password', async () => {
    const member = await addMember(app.url, owner, 'viewer');
    await post('/auth/password-reset', { email: member.email });
    const link = linkIn((await smtp.mailTo(member.email, (m) => m.subject.includes('Reset'))).text, ORIGIN);
    const weak = await post('/auth/password-reset/confirm', { token: tokenOf(link), password: 'short' });
    expect(weak.status).toBe(400);
    await withSystem(app.server.database.db, (tx) =>
      sql`UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE id = ${tokenOf(link).split('.')[0]}`.execute(
        tx,
      ),
    );
    const late = await post('/auth/password-reset/confirm', { token: tokenOf(link), password: 'a brand new secret' });
    expect(late.status).toBe(400);
    expect(((await late.json()) as any).code).toBe('invalid_token');
    expect((await member.call('GET', '/me')).status).toBe(200);
  });
});

describe('magic link', () => {
  it('mails a one-time sign-in link valid for 15 minutes', async () => {
    const member = await addMember(app.url, owner, 'viewer');
    expect((await post('/auth/magic-link', { email: member.email })).status).toBe(202);
    const link = linkIn((await smtp.mailTo(member.email, (m) => m.subject.includes('sign-in'))).text, ORIGIN);
    expect(link.pathname).toBe('/magic-link');
    const expires = await withSystem(app.server.database.db, (tx) =>
      tx
        .selectFrom('auth_tokens')
        .select(['expires_at', 'created_at'])
        .where('id', '=', tokenOf(link).split('.')[0]!)
        .executeTakeFirstOrThrow(),
    );
    expect(new Date(expires.expires_at).getTime() - new Date(expires.created_at).getTime()).toBeCloseTo(
      15 * 60_000,
      -4,
    );
    const res = await post('/auth/magic-link/verify', { token: tokenOf(link) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.user.id).toBe(member.userId);
    const signedIn = caller(app.url, body.token, member);
    expect((await signedIn.call('GET', '/me')).status).toBe(200);
    const reuse = await post('/auth/magic-link/verify', { token: tokenOf(link) });
    expect(reuse.status).toBe(400);
    // A reset token is not a sign-in token.
    await post('/auth/password-reset', { email: member.email });
    const reset = linkIn((await smtp.mailTo(member.email, (m) => m.subject.includes('Reset'))).text, ORIGIN);
    expect((await post('/auth/magic-link/verify', { token: tokenOf(reset) })).status).toBe(400);
    expect((await post('/auth/magic-link/verify', { token: 'garbage' })).status).toBe(400);
  });

  it('refuses an expired link', async () => {
    const member = await addMember(app.url, owner, 'viewer');
    await post('/auth/magic-link', { email: member.email });
    const link = linkIn((await smtp.mailTo(member.email, (m) => m.subject.includes('sign-in'))).text, ORIGIN);
    await withSystem(app.server.database.db, (tx) =>
      sql`UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE id = ${tokenOf(link).split('.')[0]}`.execute(
        tx,
      ),
    );
    expect((await post('/auth/magic-link/verify', { token: tokenOf(link) })).status).toBe(400);
  });
});

describe('notification mail', () => {
  it('mails a review request with a link to the post that opens it', async () => {
    const manager = await addMember(app.url, owner, 'manager');
    const editor = await addMember(app.url, owner, 'editor');
    const client = await owner.json<any>('POST', '/clients', { name: 'Mail client' });
    const campaign = await owner.json<any>('POST', '/campaigns', {
      clientId: client.body.id,
      name: 'Mail campaign',
      platform: 'linkedin',
      startDate: '2026-03-01',
      endDate: '2026-05-31',
    });
    const post = await editor.json<any>('POST', '/posts', { campaignId: campaign.body.id, content: 'Read me by mail' });
    expect((await editor.json('POST', `/posts/${post.body.id}/status`, { status: 'in_review' })).status).toBe(200);
    const mail = await smtp.mailTo(manager.email, (m) => m.subject.includes('asks for your review'));
    expect(mail.text).toContain('Read me by mail');
    const link = linkIn(mail.text, ORIGIN);
    expect(link.pathname).toBe(`/posts/${post.body.id}`);
    const opened = await manager.json<any>('GET', `/posts/${link.pathname.split('/')[2]}`);
    expect(opened.status).toBe(200);
    expect(opened.body.status).toBe('in_review');
  });
});

describe('delivery', () => {
  it('retries a mail the SMTP server refused, without failing the request', async () => {
    const member = await addMember(app.url, owner, 'viewer');
    // Its invitation mail is out of the way before the server starts refusing.
    await smtp.mailTo(member.email, (m) => m.subject.includes('invited you'));
    smtp.rejectNext(member.email, 1);
    const rejectedBefore = smtp.rejected;
    const res = await post('/auth/magic-link', { email: member.email });
    expect(res.status).toBe(202);
    const mail = await smtp.mailTo(member.email, (m) => m.subject.includes('sign-in'));
    expect(smtp.rejected).toBe(rejectedBefore + 1);
    // The server has the mail; the sender records that right after.
    const stored = () =>
      withSystem(app.server.database.db, (tx) =>
        tx
          .selectFrom('mail_outbox')
          .select(['attempts', 'sent_at'])
          .where('recipient', '=', member.email)
          .where('kind', '=', 'magic_link')
          .executeTakeFirstOrThrow(),
      );
    let row = await stored();
    for (let i = 0; i < 200 && row.sent_at === null; i++) {
      await new Promise((r) => setTimeout(r, 25));
      row = await stored();
    }
    expect(row.attempts).toBe(2);
    expect(row.sent_at).not.toBeNull();
    expect((await post('/auth/magic-link/verify', { token: tokenOf(linkIn(mail.text, ORIGIN)) })).status).toBe(200);
  });
});

describe('your account', () => {
  it('changes your name and mail setting', async () => {
    const member = await addMember(app.url, owner, 'editor');
    const me = await member.json<any>('GET', '/me');
    expect(me.body.user.emailNotifications).toBe(true);
    const res = await member.json<any>('PATCH', '/me', { name: 'Renamed', emailNotifications: false });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: 'Renamed', emailNotifications: false });
    expect((await member.json<any>('PATCH', '/me', { email: 'x@y.z' })).status).toBe(400);
    expect((await member.json<any>('PATCH', '/me', { emailNotifications: 'no' })).status).toBe(400);
  });

  it('changes your password: wrong current is 403, other sessions end, this one stays', async () => {
    const member = await addMember(app.url, owner, 'editor');
    const other = await post('/auth/login', { email: member.email, password: PASSWORD });
    const otherToken = ((await other.json()) as any).token;
    const wrong = await member.json<any>('POST', '/me/password', {
      currentPassword: 'not it at all',
      newPassword: 'the next secret',
    });
    expect(wrong.status).toBe(403);
    const weak = await member.json<any>('POST', '/me/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(weak.status).toBe(400);
    const ok = await member.call('POST', '/me/password', { currentPassword: PASSWORD, newPassword: 'the next secret' });
    expect(ok.status).toBe(204);
    expect((await member.call('GET', '/me')).status).toBe(200);
    expect((await caller(app.url, otherToken, member).call('GET', '/me')).status).toBe(401);
  });

  it('lists your sessions and ends one at once', async () => {
    const member = await addMember(app.url, owner, 'editor');
    const other = await fetch(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'TestPhone/1.0' },
      body: JSON.stringify({ email: member.email, password: PASSWORD }),
    });
    const otherToken = ((await other.json()) as any).token as string;
    const list = await member.json<any>('GET', '/me/sessions');
    expect(list.body.items).toHaveLength(2);
    const current = list.body.items.find((s: any) => s.current);
    const phone = list.body.items.find((s: any) => !s.current);
    expect(current.id).toBe(member.token.split('.')[0]);
    expect(phone.userAgent).toBe('TestPhone/1.0');
    expect((await owner.call('DELETE', `/me/sessions/${phone.id}`)).status).toBe(404);
    expect((await member.call('DELETE', `/me/sessions/${phone.id}`)).status).toBe(204);
    expect((await caller(app.url, otherToken, member).call('GET', '/me')).status).toBe(401);
    expect((await member.call('DELETE', '/me/sessions/not-a-uuid')).status).toBe(404);
  });

  it("closes a revoked session's open socket", async () => {
    const member = await addMember(app.url, owner, 'viewer');
    const other = await post('/auth/login', { email: member.email, password: PASSWORD });
    const otherToken = ((await other.json()) as any).token as string;
    const s = socket(app.url, { token: otherToken });
    await connected(s);
    let closed = false;
    s.on('disconnect', () => {
      closed = true;
    });
    expect((await member.call('DELETE', `/me/sessions/${otherToken.split('.')[0]}`)).status).toBe(204);
    // The gateway re-checks sessions every 2 s; the contract allows 5.
    await until(() => closed, 5_000, 'the socket to close');
  });
});
