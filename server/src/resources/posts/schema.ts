import { MAX_POST_CHARS, POST_STATUSES } from '@chorus/domain';
import { z } from '@hono/zod-openapi';
import { PlatformCode } from '../campaigns/schema.ts';
import { AuditFields, ListQueryFields, Uuid } from '../common.ts';

export const PostStatusEnum = z.enum(POST_STATUSES);
const Instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-12-01T09:30:00Z' });

export const PostCreate = z
  .strictObject({
    campaignId: Uuid,
    content: z.string().max(MAX_POST_CHARS),
    platform: PlatformCode.optional().openapi({ description: "Defaults to the campaign's platform" }),
    scheduledAt: Instant.nullable().optional(),
    assetIds: z
      .array(Uuid)
      .max(20)
      .optional()
      .openapi({ description: "Assets to attach (moved from their campaign's library to the post)" }),
  })
  .openapi('PostCreate');

export const PostPatch = z
  .strictObject({
    campaignId: Uuid.optional().openapi({ description: 'Moves the post (with its media) to another campaign' }),
    content: z.string().max(MAX_POST_CHARS).optional(),
    platform: PlatformCode.optional(),
    scheduledAt: Instant.nullable().optional(),
    assetIds: z.array(Uuid).max(20).optional(),
  })
  .openapi('PostPatch');

export const PostStatusChange = z
  .strictObject({
    status: PostStatusEnum,
    reason: z
      .string()
      .trim()
      .max(2000)
      .optional()
      .openapi({ description: 'Kept as statusReason when requesting changes or cancelling' }),
  })
  .openapi('PostStatusChange');

export const Post = z
  .object({
    ...AuditFields,
    campaignId: Uuid,
    content: z.string(),
    platform: z.string(),
    status: PostStatusEnum,
    statusReason: z
      .string()
      .nullable()
      .openapi({ description: 'Why changes were requested or the post was cancelled; null in other statuses' }),
    scheduledAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
    externalId: z.string().nullable(),
    externalUrl: z.string().nullable(),
    failureReason: z.string().nullable(),
    assetIds: z.array(Uuid),
  })
  .openapi('Post');

export const PostListQuery = z.strictObject({
  ...ListQueryFields,
  campaignId: z.string().optional(),
  status: PostStatusEnum.optional(),
  from: Instant.optional().openapi({ description: 'scheduledAt at or after' }),
  to: Instant.optional().openapi({ description: 'scheduledAt before' }),
});

export type PostCreateInput = z.infer<typeof PostCreate>;
export type PostPatchInput = z.infer<typeof PostPatch>;

export const PostVersion = z
  .object({
    id: Uuid,
    content: z.string(),
    status: PostStatusEnum,
    reason: z.string().nullable().openapi({ description: 'Why the post moved, when a reason was given' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    createdBy: Uuid.nullable().openapi({ description: 'null when the publisher made the move' }),
  })
  .openapi('PostVersion');
export const PostVersionList = z.object({ items: z.array(PostVersion) }).openapi('PostVersionList');
export const VersionParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' } }),
  versionId: z.string().openapi({ param: { name: 'versionId', in: 'path' } }),
});
