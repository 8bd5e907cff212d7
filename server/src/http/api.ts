import type { OpenAPIHono } from '@hono/zod-openapi';
import { changesRoutes } from '../realtime/routes.ts';
import { assetRoutes } from '../resources/assets/routes.ts';
import { authRoutes } from '../resources/auth/routes.ts';
import { campaignRoutes } from '../resources/campaigns/routes.ts';
import { clientRoutes } from '../resources/clients/routes.ts';
import { integrationRoutes } from '../resources/integrations/routes.ts';
import { metricRoutes } from '../resources/metrics/routes.ts';
import { noteRoutes } from '../resources/notes/routes.ts';
import { organisationRoutes } from '../resources/organisation/routes.ts';
import { postRoutes } from '../resources/posts/routes.ts';
import { referenceDataRoutes } from '../resources/reference-data/routes.ts';
import { userRoutes } from '../resources/users/routes.ts';
import { createRouter } from './app.ts';

const OPENAPI_INFO: Parameters<OpenAPIHono['getOpenAPI31Document']>[0] = {
  openapi: '3.1.0',
  info: {
    title: 'Chorus API',
    version: '1.0.0',
    description:
      'JSON in and out, camelCase fields, ISO-8601 UTC timestamps. Errors are application/problem+json. Lists take limit (≤ 200) and cursor and answer {items, nextCursor}. PATCH honours If-Match: "<version>".',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }, { cookie: [] }],
};

/** The OpenAPI 3.1 document, without a server (for generating the typed client). */
export function openApiDocument() {
  return apiRoutes().getOpenAPI31Document(OPENAPI_INFO);
}

/** Every /api/v1 route, and the OpenAPI 3.1 document generated from their zod schemas. */
export function apiRoutes() {
  const api = createRouter();
  for (const r of [
    authRoutes(),
    userRoutes(),
    organisationRoutes(),
    integrationRoutes(),
    referenceDataRoutes(),
    clientRoutes(),
    campaignRoutes(),
    postRoutes(),
    noteRoutes(),
    metricRoutes(),
    assetRoutes(),
    changesRoutes(),
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
  api.doc31('/openapi.json', OPENAPI_INFO);
  return api;
}
