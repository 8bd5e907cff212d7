import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { SessionUser } from '../auth/sessions.ts';
import type { AppDeps } from '../deps.ts';
import type { Logger } from '../logger.ts';
import { bodyLimits, htmlCspHeader, securityHeaders, textGuard } from './guards.ts';
import { healthRoutes } from './health.ts';
import { Problem, problemResponse } from './problem.ts';

/** `auth` is set by requireAuth; only routes behind it may read it. */
export type AppEnv = { Variables: { deps: AppDeps; auth: SessionUser } };

/** Turns any thrown value into problem+json; nothing a client sends may produce a bare 500. */
export function toProblem(err: unknown, logger: Logger): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof HTTPException) {
    if (err.status === 413) return new Problem('payload_too_large');
    if (err.status === 401) return new Problem('unauthenticated');
    if (err.status === 400) return new Problem('validation_failed', err.message || 'Malformed request');
    return new Problem(err.status >= 500 ? 'internal_error' : 'validation_failed', err.message);
  }
  if (err instanceof SyntaxError) return new Problem('validation_failed', 'Malformed JSON body');
  logger.error({ err }, 'unhandled error');
  return new Problem('internal_error', 'Something went wrong on our side');
}

/** A sub-application whose validation failures answer problem+json with field paths. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = result.error.issues.flatMap((i) => {
          const at = i.path.map(String);
          // A strict body names each unknown field, so the client sees exactly what to remove.
          if (i.code === 'unrecognized_keys') {
            return i.keys.map((k) => ({ path: [...at, k].join('.'), message: 'Unknown field' }));
          }
          return [{ path: at.length ? at.join('.') : '(root)', message: i.message }];
        });
        return problemResponse(c, new Problem('validation_failed', 'The request has invalid fields', { errors }));
      }
    },
  });
}

export interface AppParts {
  /** Mounted under /api/v1. */
  api?: Hono<AppEnv>;
  /** Other top-level routes (docs page). */
  extra?: Hono<AppEnv>;
  /** Serves everything else (the built web client); when absent, unknown paths are 404. */
  fallback?: Hono<AppEnv>;
  /** Extra readiness checks for /readyz (e.g. Redis); each rejects when its service is down. */
  readiness?: Array<() => Promise<unknown>>;
}

export function createApp(deps: AppDeps, parts: AppParts = {}) {
  const app = createRouter();
  app.use(async (c, next) => {
    c.set('deps', deps);
    const start = performance.now();
    await next();
    const route = c.res.status === 404 ? 'unmatched' : routePath(c);
    deps.metrics.httpDuration.observe(
      { method: c.req.method, route, status: String(c.res.status) },
      (performance.now() - start) / 1000,
    );
  });
  app.use(securityHeaders(deps.config));
  app.use(htmlCspHeader);
  app.use('/api/v1/*', bodyLimits, textGuard);
  app.onError((err, c) => problemResponse(c, toProblem(err, deps.logger)));
  app.notFound((c) => problemResponse(c, new Problem('not_found', `No route for ${c.req.method} ${c.req.path}`)));
  app.route(
    '/',
    healthRoutes(deps.db, deps.metrics, {
      readiness: parts.readiness ?? [],
      metricsToken: deps.config.metricsToken,
      trustProxy: deps.config.trustProxy,
    }),
  );
  if (parts.api) app.route('/api/v1', parts.api);
  if (parts.extra) app.route('/', parts.extra);
  if (parts.fallback) app.route('/', parts.fallback);
  return app;
}
