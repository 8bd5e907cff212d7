import { randomBytes, randomUUID } from 'node:crypto';
import { permissionsOf } from '@chorus/domain';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { createSession, invalidateSession } from '../../auth/sessions.ts';
import { withTenant } from '../../db/tenant.ts';
import { type AppEnv, createRouter } from '../../http/app.ts';
import { requireAuth, SESSION_COOKIE } from '../../http/auth.ts';
import { clientAddress, viaHttps } from '../../http/guards.ts';
import { ADDRESS_LIMITS, addressKey, limitByAddress, rateLimited, refundHit, takeHit } from '../../http/rate-limit.ts';
import {
  errorResponses,
  json,
  jsonBody,
  rateLimitedResponse,
  requirePermission,
  writeErrorResponses,
} from '../common.ts';
import {
  AcceptInvitationBody,
  Invitation,
  InvitationBody,
  LoginBody,
  Me,
  RegisterBody,
  SessionAnswer,
} from './schema.ts';
import { acceptInvitation, invite, login, me, register } from './service.ts';

const tags = ['Auth'];

export function startSession(c: Context<AppEnv>, token: string, expiresAt: Date) {
  // A client-sent X-Forwarded-Proto only counts behind a proxy we were told to trust.
  const secure = viaHttps(c, c.get('deps').config.trustProxy);
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure, path: '/', expires: expiresAt });
}

const registerRoute = createRoute({
  method: 'post',
  path: '/auth/register',
  tags,
  summary: 'Create an organisation and its owner',
  description:
    'The password must be 10 to 256 characters, not only whitespace, not a common password and not contain the e-mail address’s local part (400 naming `password`). An address that already has an account gets an answer of the same shape whose token signs nobody in, and nothing is created, so this route does not reveal who has an account. At most 30 requests a minute per client address (429 with Retry-After).',
  middleware: [limitByAddress(ADDRESS_LIMITS.register)] as const,
  request: jsonBody(RegisterBody),
  responses: {
    201: json(SessionAnswer, 'Registered and signed in'),
    400: errorResponses[400],
    429: rateLimitedResponse,
  },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags,
  summary: 'Sign in',
  description:
    'Answers 401 invalid_credentials for an unknown e-mail and a wrong password alike. At most 5 passwords are checked per account in 15 minutes (parallel attempts included) and at most 30 failed sign-ins a minute are allowed per client address; beyond, 429 rate_limited with Retry-After.',
  request: jsonBody(LoginBody),
  responses: {
    200: json(SessionAnswer, 'Signed in'),
    400: errorResponses[400],
    401: { ...errorResponses[401], description: 'Unknown e-mail or wrong password (invalid_credentials)' },
    429: rateLimitedResponse,
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags,
  summary: 'End this session everywhere',
  middleware: [requireAuth] as const,
  responses: { 204: { description: 'Signed out' }, 401: errorResponses[401], 403: errorResponses[403] },
});

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags,
  summary: 'The signed-in user, organisation and permissions',
  middleware: [requireAuth] as const,
  responses: { 200: json(Me, 'You'), 401: errorResponses[401] },
});

const inviteRoute = createRoute({
  method: 'post',
  path: '/invitations',
  tags,
  summary: 'Invite someone to the organisation (owner, admin)',
  middleware: [requireAuth] as const,
  request: jsonBody(InvitationBody),
  responses: { 201: json(Invitation, 'Invitation with its one-time token'), ...writeErrorResponses },
});

const acceptRoute = createRoute({
  method: 'post',
  path: '/auth/accept-invitation',
  tags,
  summary: 'Accept an invitation: creates the user and signs in',
  request: jsonBody(AcceptInvitationBody),
  responses: {
    201: json(SessionAnswer, 'Joined and signed in'),
    400: errorResponses[400],
    409: writeErrorResponses[409],
    422: writeErrorResponses[422],
  },
});

export function authRoutes() {
  return createRouter()
    .openapi(registerRoute, async (c) => {
      const deps = c.get('deps');
      const made = await register(deps.db, c.req.valid('json'));
      const { user, organisation } = made;
      if (!made.created) {
        // Same answer as a new account, but the token is random and names no session.
        const token = `${randomUUID()}.${randomBytes(32).toString('base64url')}`;
        startSession(c, token, new Date(Date.now() + deps.config.sessionTtlDays * 86_400_000));
        return c.json({ user, organisation, token }, 201);
      }
      const s = await createSession(
        deps.db,
        { id: user.id, organisationId: organisation.id },
        deps.config.sessionTtlDays,
        c.req.header('user-agent'),
      );
      startSession(c, s.token, s.expiresAt);
      return c.json({ user, organisation, token: s.token }, 201);
    })
    .openapi(loginRoute, async (c) => {
      const deps = c.get('deps');
      const body = c.req.valid('json');
      // Every attempt takes a hit from the address's window first; a success gives it back.
      const address = addressKey(clientAddress(c, deps.config.trustProxy));
      const taken = await takeHit(deps.db, ADDRESS_LIMITS.login, address);
      if (!taken.allowed) throw rateLimited(ADDRESS_LIMITS.login.message, taken.retryAfterS);
      const who = await login(deps.db, body.email, body.password);
      await refundHit(deps.db, ADDRESS_LIMITS.login, address);
      const s = await createSession(
        deps.db,
        { id: who.userId, organisationId: who.organisationId },
        deps.config.sessionTtlDays,
        c.req.header('user-agent'),
      );
      const { user, organisation } = await withTenant(deps.db, who.organisationId, (tx) =>
        me(tx, who.userId, who.organisationId),
      );
      startSession(c, s.token, s.expiresAt);
      return c.json({ user, organisation, token: s.token }, 200);
    })
    .openapi(logoutRoute, async (c) => {
      await invalidateSession(c.get('deps').db, c.get('auth').sessionId);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    })
    .openapi(meRoute, async (c) => {
      const auth = c.get('auth');
      const answer = await withTenant(c.get('deps').db, auth, (tx) => me(tx, auth.userId, auth.organisationId));
      return c.json({ ...answer, permissions: permissionsOf(auth.role) }, 200);
    })
    .openapi(inviteRoute, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'invite members');
      const body = c.req.valid('json');
      const created = await withTenant(c.get('deps').db, auth, (tx) =>
        invite(tx, auth, body.email, body.role, body.clientIds),
      );
      return c.json(created, 201);
    })
    .openapi(acceptRoute, async (c) => {
      const deps = c.get('deps');
      const body = c.req.valid('json');
      const { user, organisation } = await acceptInvitation(deps.db, body.token, body.name, body.password);
      const s = await createSession(
        deps.db,
        { id: user.id, organisationId: organisation.id },
        deps.config.sessionTtlDays,
        c.req.header('user-agent'),
      );
      startSession(c, s.token, s.expiresAt);
      return c.json({ user, organisation, token: s.token }, 201);
    });
}
