import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/app.ts';
import { requireAuth } from '../http/auth.ts';
import { errorResponses, json } from '../resources/common.ts';
import { readChanges, visibleChanges } from './feed.ts';

const Change = z
  .object({
    seq: z.number().int(),
    entity: z.enum(['organisation', 'user', 'client', 'campaign', 'post', 'note', 'asset']),
    op: z.enum(['insert', 'update', 'delete']),
    id: z.uuid(),
    data: z.any().optional().openapi({ description: 'The resource as GET answers it; absent for deletes' }),
    actorId: z.uuid().nullable(),
    at: z.string(),
  })
  .openapi('Change');

const list = createRoute({
  method: 'get',
  path: '/changes',
  tags: ['Changes'],
  summary: "The organisation's change feed after a seq",
  description:
    'The same feed sockets receive as `change` events. seq rises strictly and without gaps within an organisation. When `after` is older than the retained history (or newer than the feed), the answer has `resync: true` and no changes: refetch the resources, then continue from `lastSeq`.',
  middleware: [requireAuth] as const,
  request: {
    query: z.strictObject({
      after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
  },
  responses: {
    200: json(
      z.object({ changes: z.array(Change), lastSeq: z.number().int(), resync: z.boolean() }),
      'Changes in seq order',
    ),
    ...errorResponses,
  },
});

export function changesRoutes() {
  return createRouter().openapi(list, async (c) => {
    const auth = c.get('auth');
    const { after, limit } = c.req.valid('query');
    const page = await readChanges(c.get('deps').db, auth.organisationId, after, limit);
    const lastSeq = page.resync ? page.head : (page.changes.at(-1)?.seq ?? after);
    // A client member's page may skip seqs; lastSeq still moves past what it may not see.
    const changes = await visibleChanges(c.get('deps').db, auth, page.changes, page.scopes);
    return c.json({ changes: changes as z.infer<typeof Change>[], lastSeq, resync: page.resync }, 200);
  });
}
