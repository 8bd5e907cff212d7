import { createRoute } from '@hono/zod-openapi';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { errorResponses, json } from '../common.ts';
import { SearchAnswer, SearchQuery } from './schema.ts';
import { search } from './service.ts';

const find = createRoute({
  method: 'get',
  path: '/search',
  tags: ['Search'],
  summary: 'Find clients, campaigns, posts and notes',
  description:
    'Every word matches by prefix, case- and accent-insensitively (`cafe` finds `Café`); best match first (names before text). Only what the caller may see.',
  middleware: [requireAuth] as const,
  request: { query: SearchQuery },
  responses: { 200: json(SearchAnswer, 'Matches'), ...errorResponses },
});

export function searchRoutes() {
  return createRouter().openapi(find, async (c) => {
    const auth = c.get('auth');
    const { q, limit } = c.req.valid('query');
    const items = await withTenant(c.get('deps').db, auth, (tx) => search(tx, q, limit));
    return c.json({ items }, 200);
  });
}
