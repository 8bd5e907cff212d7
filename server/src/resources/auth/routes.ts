import { permissionsOf } from '@chorus/domain';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { createSession, invalidateSession } from '../../auth/sessions.ts';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth, SESSION_COOKIE } from '../../http/auth.ts';
import { errorResponses, json, jsonBody, requirePermission, writeErrorResponses } from '../common.ts';
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

function startSession(c: Context, token: string, expiresAt: Date) {
  const secure = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure, path: '/', expires: expiresAt });
}

const registerRoute = createRoute({
  method: 'post',
  path: '/auth/register',
  tags,
  summary: 'Create an organisation and its owner',
  request: jsonBody(RegisterBody),
  responses: {
    201: json(SessionAnswer, 'Registered and signed in'),
    400: errorResponses[400],
    409: writeErrorResponses[409],
  },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags,
  summary: 'Sign in',
  description:
    'Answers 401 invalid_credentials for an unknown e-mail and a wrong password alike; 429 with Retry-After after repeated failures.',
  request: jsonBody(LoginBody),
  responses: {
    200: json(SessionAnswer, 'Signed in'),
    400: errorResponses[400],
    401: errorResponses[401],
    429: errorResponses[401],
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
      const { user, organisation } = await register(deps.db, c.req.valid('json'));
      const s = await createSession(
        deps.db,
        { id: user.id, organisationId: organisation.id },
        deps.config.sessionTtlDays,
      );
      startSession(c, s.token, s.expiresAt);
      return c.json({ user, organisation, token: s.token }, 201);
    })
    .openapi(loginRoute, async (c) => {
      const deps = c.get('deps');
      const body = c.req.valid('json');
      const who = await login(deps.db, body.email, body.password);
      const s = await createSession(
        deps.db,
        { id: who.userId, organisationId: who.organisationId },
        deps.config.sessionTtlDays,
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
      const answer = await withTenant(c.get('deps').db, auth.organisationId, (tx) =>
        me(tx, auth.userId, auth.organisationId),
      );
      return c.json({ ...answer, permissions: permissionsOf(auth.role) }, 200);
    })
    .openapi(inviteRoute, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'invite members');
      const body = c.req.valid('json');
      const created = await withTenant(c.get('deps').db, auth.organisationId, (tx) =>
        invite(tx, auth, body.email, body.role),
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
      );
      startSession(c, s.token, s.expiresAt);
      return c.json({ user, organisation, token: s.token }, 201);
    });
}
