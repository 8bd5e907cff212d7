import type { Tx } from '../../src/db/tenant.ts';
import { getCampaign } from '../../src/resources/campaigns/service.ts';
import { listPosts } from '../../src/resources/posts/service.ts';

/** The reads the HTTP benchmark drives, mapped to the same service calls the API routes make. */
export const READS: Array<{
  match(url: URL): Record<string, string> | null;
  run(tx: Tx, m: Record<string, string>): Promise<unknown>;
}> = [
  {
    match: (u) => {
      const m = /^\/api\/v1\/campaigns\/([0-9a-f-]{36})$/.exec(u.pathname);
      return m ? { id: m[1]! } : null;
    },
    run: (tx, m) => getCampaign(tx, m.id!),
  },
  {
    match: (u) =>
      u.pathname === '/api/v1/posts' && u.searchParams.get('campaignId')
        ? { campaignId: u.searchParams.get('campaignId')! }
        : null,
    run: (tx, m) => listPosts(tx, { limit: 50, campaignId: m.campaignId }),
  },
];
