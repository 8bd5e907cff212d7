import { z } from '@hono/zod-openapi';

export const SearchQuery = z.strictObject({
  q: z
    .string()
    .max(200)
    .refine((v) => !v.includes('\u0000'), 'Must not contain NUL characters'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const SearchHit = z
  .object({
    entity: z.enum(['client', 'campaign', 'post', 'note']),
    id: z.uuid(),
    title: z.string(),
    snippet: z.string(),
    /** Where the hit lives, so a result can link to it without another request. */
    postId: z.uuid().nullable(),
    campaignId: z.uuid().nullable(),
  })
  .openapi('SearchHit');

export const SearchAnswer = z.object({ items: z.array(SearchHit) }).openapi('SearchAnswer');
