import type { OpenAPIHono } from '@hono/zod-openapi';
import { FEED_HEAD_HEADER } from '../realtime/feed.ts';
import { changesRoutes } from '../realtime/routes.ts';
import { accountRoutes } from '../resources/accounts/routes.ts';
import { assetRoutes } from '../resources/assets/routes.ts';
import { authRoutes } from '../resources/auth/routes.ts';
import { campaignRoutes } from '../resources/campaigns/routes.ts';
import { clientRoutes } from '../resources/clients/routes.ts';
import { integrationRoutes } from '../resources/integrations/routes.ts';
import { metricRoutes } from '../resources/metrics/routes.ts';
import { noteRoutes } from '../resources/notes/routes.ts';
import { notificationRoutes } from '../resources/notifications/routes.ts';
import { organisationRoutes } from '../resources/organisation/routes.ts';
import { postRoutes } from '../resources/posts/routes.ts';
import { referenceDataRoutes } from '../resources/reference-data/routes.ts';
import { searchRoutes } from '../resources/search/routes.ts';
import { userRoutes } from '../resources/users/routes.ts';
import { createRouter } from './app.ts';

const OPENAPI_INFO: Parameters<OpenAPIHono['getOpenAPI31Document']>[0] = {
  openapi: '3.1.0',
  info: {
    title: 'Chorus API',
    version: '1.0.0',
    description:
      'JSON in and out, camelCase fields, ISO-8601 UTC timestamps. Errors are application/problem+json. Lists take limit (≤ 200) and cursor and answer {items, nextCursor}. PATCH honours If-Match: "<version>". Every authenticated GET answers `X-Chorus-Seq`: the change feed\'s head, read before the answer\'s state, so a client that loads state can join the socket feed at that seq (`auth: {lastSeq}`) instead of replaying history.',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }, { cookie: [] }],
};

/** The OpenAPI 3.1 document, without a server (for generating the typed client). */
export function openApiDocument() {
  return withSharedAnswers(withFeedHead(apiRoutes().getOpenAPI31Document(OPENAPI_INFO)));
}

type Doc = ReturnType<OpenAPIHono['getOpenAPI31Document']>;
type Op = { requestBody?: { content?: Record<string, unknown> }; responses?: Record<string, unknown> };

/**
 * Answers the app gives around every route, added once here rather than on each: any JSON body
 * may be refused before parsing (413 over the limit; 400 for NUL or unpaired surrogates).
 */
function withSharedAnswers(doc: Doc): Doc {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Op>)) {
      if (!op?.responses) continue;
      if (op.requestBody?.content?.['application/json']) {
        const limit = method === 'post' && path === '/metrics' ? '16 MiB' : '1 MiB';
        op.responses['400'] ??= {
          description: 'Invalid request (validation_failed)',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
        op.responses['413'] ??= {
          description: `The body is over ${limit} (payload_too_large)`,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
    }
  }
  return doc;
}

/** Documents the feed-head header on every authenticated GET's success answer. */
function withFeedHead(doc: Doc): Doc {
  for (const item of Object.values(doc.paths ?? {})) {
    const get = item?.get;
    const ok = get?.responses?.['200'];
    if (!get || !ok || '$ref' in ok || get.security?.length === 0) continue;
    ok.headers = {
      ...ok.headers,
      [FEED_HEAD_HEADER]: {
        description:
          "The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it.",
        schema: { type: 'integer', minimum: 0 },
      },
    };
  }
  return doc;
}

/** Every /api/v1 route, and the OpenAPI 3.1 document generated from their zod schemas. */
export function apiRoutes() {
  const api = createRouter();
  for (const r of [
    authRoutes(),
    accountRoutes(),
    userRoutes(),
    organisationRoutes(),
    integrationRoutes(),
    referenceDataRoutes(),
    clientRoutes(),
    campaignRoutes(),
    postRoutes(),
    noteRoutes(),
    notificationRoutes(),
    metricRoutes(),
    assetRoutes(),
    changesRoutes(),
    searchRoutes(),
  ]) {
    api.route('/', r);
  }
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token from /auth/register, /auth/login or /auth/accept-invitation',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'cookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'chorus_session',
  });
  let doc: Doc | undefined;
  api.get('/openapi.json', (c) => {
    doc ??= withSharedAnswers(withFeedHead(api.getOpenAPI31Document(OPENAPI_INFO)));
    return c.json(doc);
  });
  return api;
}
