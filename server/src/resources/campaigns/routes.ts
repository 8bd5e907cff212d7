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
import { Campaign, CampaignCreate, CampaignListQuery, CampaignPatch, CampaignSummary } from './schema.ts';
import {
  campaignSummary,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  updateCampaign,
} from './service.ts';

const tags = ['Campaigns'];

const list = createRoute({
  method: 'get',
  path: '/campaigns',
  tags,
  summary: 'Campaigns by start date, then id; filter by clientId (404 if not visible)',
  middleware: [requireAuth] as const,
  request: { query: CampaignListQuery },
  responses: { 200: json(page(Campaign), 'A page of campaigns'), ...errorResponses },
});
const create = createRoute({
  method: 'post',
  path: '/campaigns',
  tags,
  summary: 'Create a campaign (owner, admin, manager)',
  description:
    'Names are unique per client, case-insensitively (409). A budget is a decimal string with its ISO-4217 currency.',
  middleware: [requireAuth] as const,
  request: jsonBody(CampaignCreate),
  responses: { 201: json(Campaign, 'Created'), ...writeErrorResponses },
});
const get = createRoute({
  method: 'get',
  path: '/campaigns/{id}',
  tags,
  summary: 'One campaign',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 200: json(Campaign, 'The campaign'), ...errorResponses },
});
const patch = createRoute({
  method: 'patch',
  path: '/campaigns/{id}',
  tags,
  summary: 'Edit a campaign (owner, admin, manager); honours If-Match',
  description:
    'clientId moves the campaign to another client (422 naming the field if not visible). Budget amount and currency are set together or both cleared (null).',
  middleware: [requireAuth] as const,
  request: { params: IdParam, ...jsonBody(CampaignPatch) },
  responses: { 200: json(Campaign, 'Updated'), ...writeErrorResponses },
});
const remove = createRoute({
  method: 'delete',
  path: '/campaigns/{id}',
  tags,
  summary: 'Delete a campaign with its posts, notes and assets (owner, admin)',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
});
const summary = createRoute({
  method: 'get',
  path: '/campaigns/{id}/summary',
  tags,
  summary: "Post counts by status and the latest metric totals (sum of each post's latest snapshot)",
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 200: json(CampaignSummary, 'Summary'), ...errorResponses },
});

export function campaignRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const auth = c.get('auth');
      const q = c.req.valid('query');
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => listCampaigns(tx, q)), 200);
    })
    .openapi(create, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'campaign:write', 'create campaigns');
      const body = c.req.valid('json');
      const campaign = await withTenant(c.get('deps').db, auth, (tx) => createCampaign(tx, auth, body));
      return c.json(campaign, 201, { ETag: etag(campaign.version) });
    })
    .openapi(get, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const campaign = await withTenant(c.get('deps').db, auth, (tx) => getCampaign(tx, id));
      return c.json(campaign, 200, { ETag: etag(campaign.version) });
    })
    .openapi(patch, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const expected = ifMatch(c);
      const body = c.req.valid('json');
      const campaign = await withTenant(c.get('deps').db, auth, async (tx) => {
        await getCampaign(tx, id);
        requirePermission(auth, 'campaign:write', 'edit campaigns');
        return updateCampaign(tx, auth, id, body, expected);
      });
      return c.json(campaign, 200, { ETag: etag(campaign.version) });
    })
    .openapi(remove, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const files = await withTenant(c.get('deps').db, auth, async (tx) => {
        await getCampaign(tx, id);
        requirePermission(auth, 'org:manage', 'delete campaigns');
        return deleteCampaign(tx, auth, id);
      });
      // Files of cascaded assets go only after the delete has committed.
      await removeAssetFiles(c.get('deps').config.dataDir, files);
      return c.body(null, 204);
    })
    .openapi(summary, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => campaignSummary(tx, id)), 200);
    });
}
