import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/connect.ts';
import { type Tx, withSystem, withTenant } from '../src/db/tenant.ts';

export async function refId(tx: Tx, category: string, code: string): Promise<string> {
  const row = await tx
    .selectFrom('reference_data')
    .select('id')
    .where('category', '=', category)
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface Tenant {
  orgId: string;
  userId: string;
  clientId: string;
  campaignId: string;
  postId: string;
}

/** One organisation with an owner, a client, a campaign and a draft post, written straight to the tables. */
export async function seedTenant(db: Db, label = randomUUID().slice(0, 8)): Promise<Tenant> {
  const orgId = randomUUID();
  const userId = randomUUID();
  await withTenant(db, orgId, async (tx) => {
    await tx
      .insertInto('organisations')
      .values({ id: orgId, name: `Org ${label}`, subscription_tier_id: await refId(tx, 'subscription_tier', 'free') })
      .execute();
    await tx
      .insertInto('users')
      .values({
        id: userId,
        organisation_id: orgId,
        email: `owner-${label}@example.com`,
        name: `Owner ${label}`,
        password_hash: 'x',
        role_id: await refId(tx, 'user_role', 'owner'),
      })
      .execute();
  });
  return withTenant(db, orgId, async (tx) => {
    const client = await tx
      .insertInto('clients')
      .values({ organisation_id: orgId, name: `Client ${label}`, created_by: userId, updated_by: userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const platform = await refId(tx, 'platform', 'x');
    const campaign = await tx
      .insertInto('campaigns')
      .values({
        organisation_id: orgId,
        client_id: client.id,
        name: `Campaign ${label}`,
        platform_id: platform,
        start_date: '2026-01-01',
        end_date: '2026-02-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const post = await tx
      .insertInto('scheduled_posts')
      .values({ organisation_id: orgId, campaign_id: campaign.id, platform_id: platform, content: 'Hello' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { orgId, userId, clientId: client.id, campaignId: campaign.id, postId: post.id };
  });
}

export { withSystem, withTenant };
