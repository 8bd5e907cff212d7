import { z } from '@hono/zod-openapi';
import { Uuid } from '../common.ts';

const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const Snapshot = z
  .strictObject({
    postId: Uuid,
    capturedAt: z.iso.datetime({ offset: true }),
    likes: Count,
    shares: Count,
    comments: Count,
    impressions: Count,
  })
  .openapi('MetricSnapshot');

export const IngestBody = z.strictObject({ snapshots: z.array(Snapshot).min(1).max(10_000) }).openapi('MetricsIngest');
export const IngestAnswer = z
  .object({ accepted: z.number().int(), duplicates: z.number().int() })
  .openapi('MetricsIngestAnswer', {
    description: 'accepted: newly stored; duplicates: already stored for that (postId, capturedAt)',
  });

const Point = z.object({
  at: z.string(),
  likes: z.number(),
  shares: z.number(),
  comments: z.number(),
  impressions: z.number(),
});
export const Series = z.object({ series: z.array(Point), latest: Point.nullable() }).openapi('MetricSeries', {
  description:
    'Counts are cumulative. A bucket holds the latest snapshot taken in it; a campaign bucket sums, over its posts, each post’s latest value at or before the bucket (carried forward). latest is the newest snapshot (summed over posts for a campaign).',
});

export const SeriesQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Default: 30 days before `to`' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Default: now' }),
  interval: z.enum(['hour', 'day']).default('hour'),
});

export type SnapshotInput = z.infer<typeof Snapshot>;
