import type { MiddlewareHandler } from 'hono';
import { type SessionUser, validateSessionToken } from '../auth/sessions.ts';
import type { AppDeps } from '../deps.ts';
import { FEED_HEAD_HEADER, recentHeadSeq } from '../realtime/feed.ts';
import type { AppEnv } from './app.ts';
import { Problem } from './problem.ts';

export const SESSION_COOKIE = 'chorus_session';

/** The token a request carries: Bearer header first, then the session cookie. */
export function requestToken(headers: Headers): { token: string; via: 'bearer' | 'cookie' } | null {
  const auth = headers.get('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    return m ? { token: m[1]!, via: 'bearer' } : null;
  }
  const cookie = headers.get('cookie');
  if (!cookie) return null;
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return { token: decodeURIComponent(v.join('=')), via: 'cookie' };
  }
  return null;
}

/** Resolves the caller of a request, socket or collab upgrade; null when not signed in. */
export async function authenticate(deps: AppDeps, token: string | undefined | null): Promise<SessionUser | null> {
  if (!token) return null;
  return validateSessionToken(deps.db, token, deps.config.sessionTtlDays);
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Requires a session; a cookie-authenticated write must come from an allowed Origin (CSRF). */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const deps = c.get('deps');
  const found = requestToken(c.req.raw.headers);
  if (found?.via === 'cookie' && !SAFE.has(c.req.method)) {
    const origin = c.req.header('origin');
    if (!origin || !deps.config.publicOrigins.includes(origin)) {
      throw new Problem('forbidden', 'Cross-site request refused: the Origin is not allowed');
    }
  }
  const user = await authenticate(deps, found?.token);
  if (!user) throw new Problem('unauthenticated', 'Sign in, or send a valid session token');
  c.set('auth', user);
  // A read tells the change feed's head, taken before the state it answers: every change up
  // to it is in that state, so a new tab can join the feed there instead of replaying history.
  // A head up to half a second old is just as safe and spares the read a query.
  const head = c.req.method === 'GET' ? await recentHeadSeq(deps.db, user.organisationId) : undefined;
  await next();
  if (head !== undefined && c.res.ok) c.header(FEED_HEAD_HEADER, String(head));
};
