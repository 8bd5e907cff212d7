import { z } from '@hono/zod-openapi';
import { AuditFields, ListQueryFields, Uuid } from '../common.ts';

export const PlatformCode = z
  .string()
  .min(1)
  .max(40)
  .openapi({ example: 'instagram', description: 'A platform code from reference data' });
const IsoDate = z.iso.date().openapi({ example: '2026-03-01' });
export const Money = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, 'A non-negative decimal with at most two decimals, e.g. "1500.00"')
  .openapi({ example: '1500.00' });
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'An ISO-4217 code such as EUR')
  .openapi({ example: 'EUR' });

const fields = {
  clientId: Uuid,
  name: z.string().trim().min(1).max(200),
  platform: PlatformCode,
  goal: z.string().trim().max(2000).nullable().optional(),
  startDate: IsoDate,
  endDate: IsoDate,
  budgetAmount: Money.nullable().optional(),
  budgetCurrency: Currency.nullable().optional(),
};

function datesInOrder(v: { startDate?: string; endDate?: string }, ctx: z.RefinementCtx) {
  if (v.startDate && v.endDate && v.endDate < v.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'The end date is before the start date' });
  }
}
function budgetPair(v: { budgetAmount?: string | null; budgetCurrency?: string | null }, ctx: z.RefinementCtx) {
  if (v.budgetAmount !== undefined && v.budgetAmount !== null && !v.budgetCurrency) {
    ctx.addIssue({ code: 'custom', path: ['budgetCurrency'], message: 'A budget needs its currency' });
  }
  if (v.budgetCurrency !== undefined && v.budgetCurrency !== null && (v.budgetAmount ?? null) === null) {
    ctx.addIssue({ code: 'custom', path: ['budgetAmount'], message: 'A currency needs a budget amount' });
  }
}

export const CampaignCreate = z
  .strictObject(fields)
  .superRefine(datesInOrder)
  .superRefine(budgetPair)
  .openapi('CampaignCreate');
export const CampaignPatch = z
  .strictObject({
    clientId: fields.clientId.optional().openapi({ description: 'Moves the campaign to another client' }),
    name: fields.name.optional(),
    platform: fields.platform.optional(),
    goal: fields.goal,
    startDate: fields.startDate.optional(),
    endDate: fields.endDate.optional(),
    budgetAmount: fields.budgetAmount,
    budgetCurrency: fields.budgetCurrency,
  })
  .superRefine(datesInOrder)
  .openapi('CampaignPatch');

export const Campaign = z
  .object({
    ...AuditFields,
    clientId: Uuid,
    name: z.string(),
    platform: z.string(),
    goal: z.string().nullable(),
    startDate: z.string(),
    endDate: z.string(),
    budgetAmount: z.string().nullable(),
    budgetCurrency: z.string().nullable(),
  })
  .openapi('Campaign');

export const CampaignListQuery = z.strictObject({ ...ListQueryFields, clientId: z.string().optional() });

const Totals = z.object({ likes: z.number(), shares: z.number(), comments: z.number(), impressions: z.number() });
export const CampaignSummary = z
  .object({
    campaignId: Uuid,
    posts: z.object({
      total: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
    }),
    metrics: Totals.extend({ postsWithMetrics: z.number().int() }),
  })
  .openapi('CampaignSummary');

export type CampaignCreateInput = z.infer<typeof CampaignCreate>;
export type CampaignPatchInput = z.infer<typeof CampaignPatch>;
