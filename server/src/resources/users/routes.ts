import { createRoute, z } from '@hono/zod-openapi';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { PersonName, TeamRoleCode, User } from '../auth/schema.ts';
import {
  errorResponses,
  etag,
  IdParam,
  ifMatch,
  json,
  jsonBody,
  ListQueryFields,
  page,
  pathId,
  writeErrorResponses,
} from '../common.ts';
import { getUser, listUsers, updateUser } from './service.ts';

const tags = ['Members'];

const list = createRoute({
  method: 'get',
  path: '/users',
  tags,
  summary: "The organisation's members",
  middleware: [requireAuth] as const,
  request: { query: z.strictObject(ListQueryFields) },
  responses: { 200: json(page(User), 'Members'), ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/users/{id}',
  tags,
  summary: 'One member',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 200: json(User, 'The member'), ...errorResponses },
});

const UserPatch = z
  .strictObject({
    role: TeamRoleCode.optional(),
    isActive: z.boolean().optional(),
    name: PersonName.optional(),
    clientIds: z.array(z.uuid()).max(200).optional(),
  })
  .openapi('UserPatch');

const patch = createRoute({
  method: 'patch',
  path: '/users/{id}',
  tags,
  summary: 'Change role, activity or name',
  description:
    "Owners and admins change roles and deactivate (only owners make or demote owners); deactivating ends the member's sessions. The last active owner cannot be demoted or deactivated (409). Members may rename themselves.",
  middleware: [requireAuth] as const,
  request: { params: IdParam, ...jsonBody(UserPatch) },
  responses: { 200: json(User, 'Updated'), ...writeErrorResponses },
});

export function userRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const auth = c.get('auth');
      const q = c.req.valid('query');
      // A client member sees no other member here (their names come with what they wrote).
      if (auth.role === 'client') {
        const self = await withTenant(c.get('deps').db, auth, (tx) => getUser(tx, auth.userId));
        return c.json({ items: self ? [self] : [], nextCursor: null }, 200);
      }
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => listUsers(tx, q)), 200);
    })
    .openapi(get, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      if (auth.role === 'client' && id !== auth.userId) throw new Problem('not_found', 'No such member');
      const user = await withTenant(c.get('deps').db, auth, (tx) => getUser(tx, id));
      if (!user) throw new Problem('not_found', 'No such member');
      return c.json(user, 200, { ETag: etag(user.version) });
    })
    .openapi(patch, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      if (auth.role === 'client' && id !== auth.userId) throw new Problem('not_found', 'No such member');
      const expected = ifMatch(c);
      const body = c.req.valid('json');
      const user = await withTenant(c.get('deps').db, auth, (tx) => updateUser(tx, auth, id, body, expected));
      return c.json(user, 200, { ETag: etag(user.version) });
    });
}
