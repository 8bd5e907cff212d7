import { MAX_NOTE_CHARS } from '@chorus/domain';
import { z } from '@hono/zod-openapi';
import { AuditFields, ListQueryFields, Uuid } from '../common.ts';

// PostgreSQL text cannot hold NUL; refusing it here keeps it a 400 rather than a database error.
const Body = z
  .string()
  .trim()
  .min(1)
  .max(MAX_NOTE_CHARS)
  .refine((v) => !v.includes('\u0000'), 'Must not contain NUL characters');

export const NoteVisibility = z
  .enum(['team', 'client'])
  .openapi({ description: '`team`: the agency only; `client`: also the client members of the note’s client' });

const RelativePosition = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Must be base64');

export const NoteAnchor = z.strictObject({ start: RelativePosition, end: RelativePosition }).openapi('NoteAnchor', {
  description:
    "A span of the post's text: base64 of Y.encodeRelativePosition over the post document's `content`, for its start and its end",
});

export const NoteCreate = z
  .strictObject({
    campaignId: Uuid.optional(),
    postId: Uuid.optional(),
    parentId: Uuid.optional(),
    body: Body,
    visibility: NoteVisibility.optional(),
    anchor: NoteAnchor.optional(),
  })
  .superRefine((v, ctx) => {
    const targets = Number(v.campaignId !== undefined) + Number(v.postId !== undefined);
    if (targets > 1) ctx.addIssue({ code: 'custom', path: ['postId'], message: 'Give campaignId or postId, not both' });
    if (targets === 0 && v.parentId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['campaignId'],
        message: 'Give campaignId or postId (or a parentId to reply)',
      });
  })
  .openapi('NoteCreate');

export const NotePatch = z
  .strictObject({ body: Body.optional(), resolved: z.boolean().optional() })
  .refine((v) => v.body !== undefined || v.resolved !== undefined, { message: 'Give body or resolved', path: ['body'] })
  .openapi('NotePatch');

export const Note = z
  .object({
    ...AuditFields,
    campaignId: Uuid.nullable(),
    postId: Uuid.nullable(),
    parentId: Uuid.nullable(),
    authorId: Uuid,
    authorName: z.string(),
    body: z.string(),
    visibility: NoteVisibility,
    anchor: NoteAnchor.nullable(),
    quote: z.string().nullable().openapi({ description: 'The text the anchor covered when the note was made' }),
    anchorText: z
      .string()
      .nullable()
      .openapi({ description: 'The text between the anchor’s positions now; null once deleted (or no anchor)' }),
    resolved: z.boolean(),
    resolvedAt: z.string().nullable(),
    resolvedBy: Uuid.nullable(),
  })
  .openapi('Note');

export const NoteListQuery = z
  .strictObject({ ...ListQueryFields, campaignId: z.string().optional(), postId: z.string().optional() })
  .refine((q) => (q.campaignId === undefined) !== (q.postId === undefined), {
    message: 'Give exactly one of campaignId or postId',
    path: ['campaignId'],
  });

export type NoteCreateInput = z.infer<typeof NoteCreate>;
