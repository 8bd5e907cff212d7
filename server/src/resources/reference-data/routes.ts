import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { errorResponses, json } from '../common.ts';
import { referenceData } from './service.ts';

const Category = z.enum(['user_role', 'platform', 'industry', 'subscription_tier']);
const Item = z
  .object({
    id: z.uuid(),
    category: Category,
    code: z.string(),
    label: z.string(),
    sortOrder: z.number().int(),
    isActive: z.boolean(),
  })
  .openapi('ReferenceDataItem');

const list = createRoute({
  method: 'get',
  path: '/reference-data',
  tags: ['Reference data'],
  summary: 'Roles, platforms, industries and subscription tiers',
  middleware: [requireAuth] as const,
  request: { query: z.strictObject({ category: Category.optional() }) },
  responses: { 200: json(z.object({ items: z.array(Item) }), 'Reference data'), ...errorResponses },
});

export function referenceDataRoutes() {
  return createRouter().openapi(list, async (c) => {
    const { category } = c.req.valid('query');
    const ref = await referenceData(c.get('deps').db);
    return c.json({ items: ref.items.filter((i) => !category || i.category === category) }, 200);
  });
}
