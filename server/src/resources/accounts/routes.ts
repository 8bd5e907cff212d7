import { createRoute, z } from '@hono/zod-openapi';
import { createSession } from '../../auth/sessions.ts';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { ADDRESS_LIMITS, limitByAddress } from '../../http/rate-limit.ts';
import { listOutbox } from '../../mail/outbox.ts';
import { startSession } from '../auth/routes.ts';
import { Invitation, SessionAnswer } from '../auth/schema.ts';
import {
  errorResponses,
  IdParam,
  json,
  jsonBody,
  ListQueryFields,
  page,
  pathId,
  rateLimitedResponse,
  requirePermission,
  writeErrorResponses,
} from '../common.ts';
import {
  EmailBody,
  MagicLinkVerifyBody,
  MePatch,
  MeUser,
  OutboxMail,
  PasswordChangeBody,
  PendingInvitation,
  ResetConfirmBody,
  SessionItem,
} from './schema.ts';
import {
  changePassword,
  confirmPasswordReset,
  listInvitations,
  listSessions,
  mailAccountLink,
  resendInvitation,
  revokeInvitation,
  revokeSession,
  sessionAnswer,
  updateMe,
  verifyMagicLink,
} from './service.ts';

const tags = ['Account'];
const tokenError = { 400: errorResponses[400] };

const resetRequest = createRoute({
  method: 'post',
  path: '/auth/password-reset',
  tags,
  summary: 'Mail a password-reset link',
  description:
    'Answers 202 whether or not the address has an account. The link holds a one-time token valid for 1 hour.',
  request: jsonBody(EmailBody),
  middleware: [limitByAddress(ADDRESS_LIMITS.passwordReset)] as const,
  responses: { 202: { description: 'Accepted' }, ...tokenError, 429: rateLimitedResponse },
});

const resetConfirm = createRoute({
  method: 'post',
  path: '/auth/password-reset/confirm',
  tags,
  summary: 'Choose a new password with a reset token',
  description: 'Every session of the account ends. A used or expired token answers 400 invalid_token.',
  request: jsonBody(ResetConfirmBody),
  responses: { 204: { description: 'Password changed' }, ...tokenError },
});

const magicRequest = createRoute({
  method: 'post',
  path: '/auth/magic-link',
  tags,
  summary: 'Mail a one-time sign-in link',
  description: 'Answers 202 whether or not the address has an account. The token is valid for 15 minutes.',
  request: jsonBody(EmailBody),
  middleware: [limitByAddress(ADDRESS_LIMITS.magicLink)] as const,
  responses: { 202: { description: 'Accepted' }, ...tokenError, 429: rateLimitedResponse },
});

const magicVerify = createRoute({
  method: 'post',
  path: '/auth/magic-link/verify',
  tags,
  summary: 'Sign in with a magic-link token',
  request: jsonBody(MagicLinkVerifyBody),
  responses: { 200: json(SessionAnswer, 'Signed in'), ...tokenError },
});

const patchMe = createRoute({
  method: 'patch',
  path: '/me',
  tags,
  summary: 'Change your name or whether notifications are mailed',
  middleware: [requireAuth] as const,
  request: jsonBody(MePatch),
  responses: { 200: json(z.object({ user: MeUser }), 'You'), ...errorResponses },
});

const changeMyPassword = createRoute({
  method: 'post',
  path: '/me/password',
  tags,
  summary: 'Change your password',
  description: 'Your other sessions end. A wrong current password answers 403.',
  middleware: [requireAuth] as const,
  request: jsonBody(PasswordChangeBody),
  responses: { 204: { description: 'Changed' }, ...errorResponses },
});

const mySessions = createRoute({
  method: 'get',
  path: '/me/sessions',
  tags,
  summary: 'Your signed-in sessions',
  middleware: [requireAuth] as const,
  responses: { 200: json(z.object({ items: z.array(SessionItem) }), 'Sessions'), ...errorResponses },
});

const endSession = createRoute({
  method: 'delete',
  path: '/me/sessions/{id}',
  tags,
  summary: 'End one of your sessions',
  description: 'It stops working at once; its open sockets and collaboration sessions close within 5 s.',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Ended' }, ...errorResponses },
});

const invitations = createRoute({
  method: 'get',
  path: '/invitations',
  tags: ['Auth'],
  summary: 'Pending invitations (owner, admin), newest first',
  middleware: [requireAuth] as const,
  request: { query: z.strictObject(ListQueryFields) },
  responses: { 200: json(page(PendingInvitation), 'Pending invitations'), ...errorResponses },
});

const revoke = createRoute({
  method: 'delete',
  path: '/invitations/{id}',
  tags: ['Auth'],
  summary: 'Revoke a pending invitation (owner, admin); its link stops working',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...errorResponses },
});

const resend = createRoute({
  method: 'post',
  path: '/invitations/{id}/resend',
  tags: ['Auth'],
  summary: 'Mail a pending invitation again (owner, admin)',
  description: 'The mail holds a new link, valid for 7 days; the previous link stops working.',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 200: json(Invitation, 'The invitation with its new token'), ...writeErrorResponses },
});

const outbox = createRoute({
  method: 'get',
  path: '/mail/outbox',
  tags,
  summary: 'Mail written to the local outbox (owners; only when no SMTP server is configured)',
  description:
    "Other members' sign-in and password-reset mails are left out. Answers 404 when mail goes through SMTP_URL.",
  middleware: [requireAuth] as const,
  responses: { 200: json(z.object({ items: z.array(OutboxMail) }), 'Outbox'), ...errorResponses },
});

export function accountRoutes() {
  return createRouter()
    .openapi(resetRequest, async (c) => {
      await mailAccountLink(c.get('deps').db, c.req.valid('json').email, 'password_reset');
      return c.body(null, 202);
    })
    .openapi(resetConfirm, async (c) => {
      const body = c.req.valid('json');
      await confirmPasswordReset(c.get('deps').db, body.token, body.password);
      return c.body(null, 204);
    })
    .openapi(magicRequest, async (c) => {
      await mailAccountLink(c.get('deps').db, c.req.valid('json').email, 'magic_link');
      return c.body(null, 202);
    })
    .openapi(magicVerify, async (c) => {
      const deps = c.get('deps');
      const who = await verifyMagicLink(deps.db, c.req.valid('json').token);
      const s = await createSession(
        deps.db,
        { id: who.userId, organisationId: who.organisationId },
        deps.config.sessionTtlDays,
        c.req.header('user-agent'),
      );
      const answer = await withTenant(deps.db, who.organisationId, (tx) =>
        sessionAnswer(tx, who.userId, who.organisationId),
      );
      startSession(c, s.token, s.expiresAt);
      return c.json({ ...answer, token: s.token }, 200);
    })
    .openapi(patchMe, async (c) => {
      const auth = c.get('auth');
      const user = await withTenant(c.get('deps').db, auth, (tx) => updateMe(tx, auth, c.req.valid('json')));
      return c.json({ user }, 200);
    })
    .openapi(changeMyPassword, async (c) => {
      const body = c.req.valid('json');
      await changePassword(c.get('deps').db, c.get('auth'), body.currentPassword, body.newPassword);
      return c.body(null, 204);
    })
    .openapi(mySessions, async (c) => {
      const auth = c.get('auth');
      const items = await withTenant(c.get('deps').db, auth, (tx) => listSessions(tx, auth));
      return c.json({ items }, 200);
    })
    .openapi(endSession, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      await withTenant(c.get('deps').db, auth, (tx) => revokeSession(tx, auth, id));
      return c.body(null, 204);
    })
    .openapi(invitations, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'see invitations');
      const answer = await withTenant(c.get('deps').db, auth, (tx) => listInvitations(tx, c.req.valid('query')));
      return c.json(answer, 200);
    })
    .openapi(revoke, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      requirePermission(auth, 'org:manage', 'revoke invitations');
      await withTenant(c.get('deps').db, auth, (tx) => revokeInvitation(tx, auth, id));
      return c.body(null, 204);
    })
    .openapi(resend, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      requirePermission(auth, 'org:manage', 'resend invitations');
      const answer = await withTenant(c.get('deps').db, auth, (tx) => resendInvitation(tx, auth, id));
      return c.json(answer, 200);
    })
    .openapi(outbox, async (c) => {
      const auth = c.get('auth');
      const deps = c.get('deps');
      if (deps.config.smtpUrl) throw new Problem('not_found', 'Mail goes through SMTP: there is no local outbox');
      if (auth.role !== 'owner') throw new Problem('forbidden', 'Only owners may read the outbox');
      const items = await withTenant(deps.db, auth, (tx) => listOutbox(tx, auth.userId));
      return c.json({ items }, 200);
    });
}
