import { createRoute } from '@hono/zod-openapi';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { errorResponses, json, jsonBody } from '../common.ts';
import { MarkReadBody, NotificationPage, NotificationQuery } from './schema.ts';
import { listNotifications, markRead } from './service.ts';

const tags = ['Notifications'];

const list = createRoute({
  method: 'get',
  path: '/notifications',
  tags,
  summary: 'Your notifications, newest first, with your unread count',
  middleware: [requireAuth] as const,
  request: { query: NotificationQuery },
  responses: { 200: json(NotificationPage, 'Notifications'), ...errorResponses },
});

const read = createRoute({
  method: 'post',
  path: '/notifications/read',
  tags,
  summary: 'Mark notifications read: {ids} or {all: true}',
  description: 'Ids that are not your notifications are ignored.',
  middleware: [requireAuth] as const,
  request: jsonBody(MarkReadBody),
  responses: { 204: { description: 'Marked' }, ...errorResponses },
});

export function notificationRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const auth = c.get('auth');
      const q = c.req.valid('query');
      const page = await withTenant(c.get('deps').db, auth, (tx) =>
        listNotifications(tx, auth.userId, {
          limit: q.limit,
          cursor: q.cursor,
          unread: q.unread === undefined ? undefined : q.unread === 'true',
        }),
      );
      return c.json(page, 200);
    })
    .openapi(read, async (c) => {
      const auth = c.get('auth');
      const body = c.req.valid('json');
      await withTenant(c.get('deps').db, auth, (tx) => markRead(tx, auth.userId, body));
      return c.body(null, 204);
    });
}
