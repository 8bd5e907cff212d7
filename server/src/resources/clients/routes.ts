import { createRoute } from '@hono/zod-openapi';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { removeAssetFiles } from '../assets/storage.ts';
import {
  errorResponses,
  etag,
  IdParam,
  ifMatch,
  json,
  jsonBody,
  page,
  pathId,
  requirePermission,
  writeErrorResponses,
} from '../common.ts';
import { Client, ClientCreate, ClientListQuery, ClientPatch } from './schema.ts';
import { createClient, deleteClient, getClient, listClients, updateClient } from './service.ts';

const tags = ['Clients'];

const list = createRoute({
  method: 'get',
  path: '/clients',
  tags,
  summary: 'Clients, by name',
  middleware: [requireAuth] as const,
  request: { query: ClientListQuery },
  responses: { 200: json(page(Client), 'A page of clients'), ...errorResponses },
});
const create = createRoute({
  method: 'post',
  path: '/clients',
  tags,
  summary: 'Create a client (owner, admin, manager)',
  middleware: [requireAuth] as const,
  request: jsonBody(ClientCreate),
  responses: { 201: json(Client, 'Created'), ...writeErrorResponses },
});
const get = createRoute({
  method: 'get',
  path: '/clients/{id}',
  tags,
  summary: 'One client',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 200: json(Client, 'The client'), ...errorResponses },
});
const patch = createRoute({
  method: 'patch',
  path: '/clients/{id}',
  tags,
  summary: 'Edit a client (owner, admin, manager); honours If-Match',
  middleware: [requireAuth] as const,
  request: { params: IdParam, ...jsonBody(ClientPatch) },
  responses: { 200: json(Client, 'Updated'), ...writeErrorResponses },
});
const remove = createRoute({
  method: 'delete',
  path: '/clients/{id}',
  tags,
  summary: 'Delete a client with its campaigns, posts, notes and assets (owner, admin)',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
});

export function clientRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const auth = c.get('auth');
      const q = c.req.valid('query');
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => listClients(tx, q)), 200);
    })
    .openapi(create, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'campaign:write', 'create clients');
      const body = c.req.valid('json');
      const client = await withTenant(c.get('deps').db, auth, (tx) => createClient(tx, auth, body));
      return c.json(client, 201, { ETag: etag(client.version) });
    })
    .openapi(get, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const client = await withTenant(c.get('deps').db, auth, (tx) => getClient(tx, id));
      return c.json(client, 200, { ETag: etag(client.version) });
    })
    .openapi(patch, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const expected = ifMatch(c);
      const body = c.req.valid('json');
      const client = await withTenant(c.get('deps').db, auth, async (tx) => {
        await getClient(tx, id); // 404 before 403: another organisation's id must look absent
        requirePermission(auth, 'campaign:write', 'edit clients');
        return updateClient(tx, auth, id, body, expected);
      });
      return c.json(client, 200, { ETag: etag(client.version) });
    })
    .openapi(remove, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const files = await withTenant(c.get('deps').db, auth, async (tx) => {
        await getClient(tx, id);
        requirePermission(auth, 'org:manage', 'delete clients');
        return deleteClient(tx, auth, id);
      });
      // Files of cascaded assets go only after the delete has committed.
      await removeAssetFiles(c.get('deps').config.dataDir, files);
      return c.body(null, 204);
    });
}
