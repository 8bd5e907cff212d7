import { createRoute } from '@hono/zod-openapi';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { errorResponses, IdParam, json, jsonBody, pathId, requirePermission, writeErrorResponses } from '../common.ts';
import { IngestAnswer, IngestBody, Series, SeriesQuery } from './schema.ts';
import { campaignSeries, ingestSnapshots, postSeries, rangeOf } from './service.ts';

const tags = ['Metrics'];

const ingest = createRoute({
  method: 'post',
  path: '/metrics',
  tags,
  summary: 'Store engagement snapshots (owner, admin, manager); idempotent on (postId, capturedAt)',
  description:
    'Up to 10,000 snapshots per call, written in one statement. A (postId, capturedAt) already stored — or repeated within the call — is counted in `duplicates` and left as it was, so a retry is harmless. A postId you cannot see is 422 naming snapshots.<i>.postId, and nothing is stored. Negative or fractional counts, and a capturedAt more than a day in the future, are 400.',
  middleware: [requireAuth] as const,
  request: jsonBody(IngestBody),
  responses: { 200: json(IngestAnswer, 'Counts of new and already-stored snapshots'), ...writeErrorResponses },
});
const ofPost = createRoute({
  method: 'get',
  path: '/posts/{id}/metrics',
  tags,
  summary: "A post's metrics series (hour or day buckets)",
  description:
    'Counts are cumulative, so each bucket (UTC hour or day) holds the latest snapshot taken in it; buckets without a snapshot are left out. `from` defaults to 30 days before `to` (default now); a window may span at most 93 days of hours or 5 years of days (400 beyond). `latest` is the newest snapshot ever stored for the post, whatever the window. Every member may read.',
  middleware: [requireAuth] as const,
  request: { params: IdParam, query: SeriesQuery },
  responses: { 200: json(Series, 'Series and latest'), ...errorResponses },
});
const ofCampaign = createRoute({
  method: 'get',
  path: '/campaigns/{id}/metrics',
  tags,
  summary: "A campaign's metrics series: sums over its posts",
  description:
    "For each bucket in which any of the campaign's posts has a snapshot: the sum over all its posts of each post's latest counts at or before that bucket (a post not polled in the bucket still counts with its previous values; one never polled counts zero). `latest` sums every post's newest snapshot. Same window rules as a post's series.",
  middleware: [requireAuth] as const,
  request: { params: IdParam, query: SeriesQuery },
  responses: { 200: json(Series, 'Series and latest'), ...errorResponses },
});

export function metricRoutes() {
  return createRouter()
    .openapi(ingest, async (c) => {
      const auth = c.get('auth');
      const deps = c.get('deps');
      requirePermission(auth, 'campaign:write', 'ingest metrics');
      const { snapshots } = c.req.valid('json');
      const result = await withTenant(deps.db, auth, (tx) =>
        ingestSnapshots(tx, { organisationId: auth.organisationId, actorId: auth.userId }, snapshots),
      );
      // After commit, and never at the answer's expense: the snapshots are stored either way.
      if (result.inserted.length) {
        try {
          deps.realtime?.publishMetrics(auth.organisationId, result.inserted);
        } catch (err) {
          deps.logger.warn({ err }, 'publishing metrics to sockets failed');
        }
      }
      return c.json({ accepted: result.accepted, duplicates: result.duplicates }, 200);
    })
    .openapi(ofPost, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const range = rangeOf(c.req.valid('query'));
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => postSeries(tx, id, range)), 200);
    })
    .openapi(ofCampaign, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const range = rangeOf(c.req.valid('query'));
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => campaignSeries(tx, id, range)), 200);
    });
}
