import { createRoute, z } from '@hono/zod-openapi';
import { loadSecretBox } from '../../connectors/secrets.ts';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { checkOutboundUrl, type OutboundAllow, OutboundRefused } from '../../net/outbound.ts';
import { errorResponses, json, jsonBody, requirePermission, writeErrorResponses } from '../common.ts';
import { ConnectorAccount, ConnectorAccountPut, PlatformParam, WebhookEndpoint, WebhookEndpointPut } from './schema.ts';
import {
  deleteConnectorAccount,
  deleteWebhook,
  getWebhook,
  listConnectorAccounts,
  putConnectorAccount,
  putWebhook,
} from './service.ts';

const tags = ['Integrations'];

/** A URL the server will call must point at a public address now (and is checked again on use). */
async function requirePublicUrl(url: string | undefined, allow: OutboundAllow, field: string) {
  if (url === undefined) return;
  try {
    await checkOutboundUrl(url, allow);
  } catch (err) {
    if (!(err instanceof OutboundRefused)) throw err;
    throw new Problem('unprocessable', `The ${field} is not allowed: it ${err.message}`, {
      errors: [{ path: field, message: `Must be a public address; this one ${err.message}` }],
    });
  }
}

const getHook = createRoute({
  method: 'get',
  path: '/organisation/webhook',
  tags,
  summary: "The organisation's webhook endpoint (owner, admin); 404 when none",
  middleware: [requireAuth] as const,
  responses: { 200: json(WebhookEndpoint, 'The endpoint'), ...errorResponses },
});
const listHooks = createRoute({
  method: 'get',
  path: '/organisation/webhooks',
  tags,
  summary: "The organisation's webhook endpoints as a list of zero or one (owner, admin): 200 either way",
  middleware: [requireAuth] as const,
  responses: { 200: json(z.object({ items: z.array(WebhookEndpoint) }), 'Endpoints'), ...errorResponses },
});
const putHook = createRoute({
  method: 'put',
  path: '/organisation/webhook',
  tags,
  summary: 'Set the webhook endpoint that receives signed post lifecycle events (owner, admin)',
  middleware: [requireAuth] as const,
  request: jsonBody(WebhookEndpointPut),
  responses: { 200: json(WebhookEndpoint, 'Saved'), ...writeErrorResponses },
});
const deleteHook = createRoute({
  method: 'delete',
  path: '/organisation/webhook',
  tags,
  summary: 'Remove the webhook endpoint and its undelivered events (owner, admin)',
  middleware: [requireAuth] as const,
  responses: { 204: { description: 'Removed' }, ...errorResponses },
});
const listAccounts = createRoute({
  method: 'get',
  path: '/organisation/connectors',
  tags,
  summary: 'Connector accounts per platform (owner, admin); platforms without one use the sandbox',
  middleware: [requireAuth] as const,
  responses: { 200: json(z.object({ items: z.array(ConnectorAccount) }), 'Accounts'), ...errorResponses },
});
const putAccount = createRoute({
  method: 'put',
  path: '/organisation/connectors/{platform}',
  tags,
  summary: "Set the connector and credentials a platform's posts are published with (owner, admin)",
  middleware: [requireAuth] as const,
  request: { params: PlatformParam, ...jsonBody(ConnectorAccountPut) },
  responses: { 200: json(ConnectorAccount, 'Saved'), ...writeErrorResponses },
});
const deleteAccount = createRoute({
  method: 'delete',
  path: '/organisation/connectors/{platform}',
  tags,
  summary: "Remove a platform's connector account (its posts go back to the sandbox) (owner, admin)",
  middleware: [requireAuth] as const,
  request: { params: PlatformParam },
  responses: { 204: { description: 'Removed' }, ...errorResponses },
});

export function integrationRoutes() {
  return createRouter()
    .openapi(getHook, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'see the webhook endpoint');
      const hook = await withTenant(c.get('deps').db, auth, (tx) => getWebhook(tx));
      if (!hook) throw new Problem('not_found', 'No webhook endpoint is configured');
      return c.json(hook, 200);
    })
    .openapi(listHooks, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'see the webhook endpoint');
      const hook = await withTenant(c.get('deps').db, auth.organisationId, (tx) => getWebhook(tx));
      return c.json({ items: hook ? [hook] : [] }, 200);
    })
    .openapi(putHook, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'configure webhooks');
      const body = c.req.valid('json');
      await requirePublicUrl(body.url, c.get('deps').config.outboundAllow, 'url');
      const box = await loadSecretBox(c.get('deps').config.dataDir, c.get('deps').config.secretKey);
      const hook = await withTenant(c.get('deps').db, auth, (tx) => putWebhook(tx, box, auth, body));
      return c.json(hook, 200);
    })
    .openapi(deleteHook, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'configure webhooks');
      const gone = await withTenant(c.get('deps').db, auth, (tx) => deleteWebhook(tx));
      if (!gone) throw new Problem('not_found', 'No webhook endpoint is configured');
      return c.body(null, 204);
    })
    .openapi(listAccounts, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'see connector accounts');
      const items = await withTenant(c.get('deps').db, auth, (tx) => listConnectorAccounts(tx));
      return c.json({ items }, 200);
    })
    .openapi(putAccount, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'configure connectors');
      const { platform } = c.req.valid('param');
      const body = c.req.valid('json');
      await requirePublicUrl(body.baseUrl, c.get('deps').config.outboundAllow, 'baseUrl');
      const box = await loadSecretBox(c.get('deps').config.dataDir, c.get('deps').config.secretKey);
      const account = await withTenant(c.get('deps').db, auth, (tx) =>
        putConnectorAccount(tx, box, auth, platform, body),
      );
      return c.json(account, 200);
    })
    .openapi(deleteAccount, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'org:manage', 'configure connectors');
      const { platform } = c.req.valid('param');
      const gone = await withTenant(c.get('deps').db, auth, (tx) => deleteConnectorAccount(tx, platform));
      if (!gone) throw new Problem('not_found', `No connector account for ${platform}`);
      return c.body(null, 204);
    });
}
