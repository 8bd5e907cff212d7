import { createRoute, z } from '@hono/zod-openapi';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { Organisation } from '../auth/schema.ts';
import { errorResponses, etag, ifMatch, json, jsonBody, requirePermission, writeErrorResponses } from '../common.ts';
import { getOrganisation, updateOrganisation } from './service.ts';

const tags = ['Organisation'];

const get = createRoute({
  method: 'get',
  path: '/organisation',
  tags,
  summary: 'Your organisation',
  middleware: [requireAuth] as const,
  responses: { 200: json(Organisation, 'The organisation'), ...errorResponses },
});

const OrganisationPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    industry: z.string().nullable().optional(),
    subscriptionTier: z.string().optional(),
  })
  .openapi('OrganisationPatch');

const patch = createRoute({
  method: 'patch',
  path: '/organisation',
  tags,
  summary: 'Edit the organisation (owner)',
  middleware: [requireAuth] as const,
  request: jsonBody(OrganisationPatch),
  responses: { 200: json(Organisation, 'Updated'), ...writeErrorResponses },
});

export function organisationRoutes() {
  return createRouter()
    .openapi(get, async (c) => {
      const auth = c.get('auth');
      const org = (await withTenant(c.get('deps').db, auth, (tx) => getOrganisation(tx, auth.organisationId)))!;
      return c.json(org, 200, { ETag: etag(org.version) });
    })
    .openapi(patch, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:own', 'edit the organisation');
      const expected = ifMatch(c);
      const body = c.req.valid('json');
      const org = await withTenant(c.get('deps').db, auth, (tx) => updateOrganisation(tx, auth, body, expected));
      return c.json(org, 200, { ETag: etag(org.version) });
    });
}
