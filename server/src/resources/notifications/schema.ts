import { NOTIFICATION_TYPES } from '@chorus/domain';
import { z } from '@hono/zod-openapi';
import { ListQueryFields } from '../common.ts';

export const NotificationType = z.enum(NOTIFICATION_TYPES);

export const Notification = z
  .object({
    id: z.uuid(),
    type: NotificationType,
    postId: z.uuid().nullable(),
    campaignId: z.uuid().nullable(),
    noteId: z.uuid().nullable(),
    actorId: z.uuid().nullable().openapi({ description: 'Who caused it; null for the publisher' }),
    actorName: z.string().nullable(),
    excerpt: z.string().openapi({ description: 'The start of the note or post it is about' }),
    campaignName: z.string().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi('Notification');

export const NotificationPage = z
  .object({ items: z.array(Notification), nextCursor: z.string().nullable(), unreadCount: z.number().int() })
  .openapi('NotificationPage');

export const NotificationQuery = z.strictObject({
  ...ListQueryFields,
  unread: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: only unread; false: only read; absent: all' }),
});

export const MarkReadBody = z
  .union([z.strictObject({ ids: z.array(z.uuid()).min(1).max(500) }), z.strictObject({ all: z.literal(true) })])
  .openapi('MarkReadBody');
