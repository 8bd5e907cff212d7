import type { Selectable } from 'kysely';
import type { SecretBox } from '../../connectors/secrets.ts';
import type { ConnectorAccounts, WebhookEndpoints } from '../../db/schema.ts';
import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import type { Actor } from '../common.ts';
import { referenceData } from '../reference-data/service.ts';

/**
 * Where an organisation's posts go out (connector accounts) and who hears about them (its
 * webhook endpoint). Secrets are sealed with the process's SecretBox before they reach SQL
 * and are never read back out through the API.
 */

const webhookDto = (r: Selectable<WebhookEndpoints>) => ({
  url: r.url,
  isActive: r.is_active,
  hasSecret: true as const,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function getWebhook(tx: Tx) {
  const row = await tx.selectFrom('webhook_endpoints').selectAll().executeTakeFirst();
  return row && webhookDto(row);
}

export async function putWebhook(
  tx: Tx,
  box: SecretBox,
  actor: Actor,
  input: { url: string; secret?: string; isActive?: boolean },
) {
  const existing = await tx.selectFrom('webhook_endpoints').select('id').forUpdate().executeTakeFirst();
  if (!existing && input.secret === undefined) {
    throw new Problem('validation_failed', 'A new webhook endpoint needs a signing secret', {
      errors: [{ path: 'secret', message: 'Required when no endpoint is configured yet' }],
    });
  }
  const values = {
    url: input.url,
    ...(input.secret !== undefined ? { secret: box.seal(input.secret) } : {}),
    ...(input.isActive !== undefined ? { is_active: input.isActive } : {}),
    updated_by: actor.userId,
  };
  const row = existing
    ? await tx
        .updateTable('webhook_endpoints')
        .set(values)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await tx
        .insertInto('webhook_endpoints')
        .values({
          ...values,
          secret: values.secret!,
          organisation_id: actor.organisationId,
          created_by: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
  return webhookDto(row);
}

export async function deleteWebhook(tx: Tx): Promise<boolean> {
  const res = await tx.deleteFrom('webhook_endpoints').executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

const accountDto = (r: Selectable<ConnectorAccounts>) => ({
  platform: r.platform,
  connector: r.connector as 'sandbox' | 'mastodon',
  baseUrl: r.base_url,
  hasCredentials: r.credentials !== null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function listConnectorAccounts(tx: Tx) {
  const rows = await tx.selectFrom('connector_accounts').selectAll().orderBy('platform').execute();
  return rows.map(accountDto);
}

export async function putConnectorAccount(
  tx: Tx,
  box: SecretBox,
  actor: Actor,
  platform: string,
  input: { connector: 'sandbox' | 'mastodon'; baseUrl?: string; accessToken?: string },
) {
  const ref = await referenceData(tx);
  // A platform the product knows, named like everywhere else (reference data).
  ref.id('platform', platform, 'platform');
  const existing = await tx
    .selectFrom('connector_accounts')
    .selectAll()
    .where('platform', '=', platform)
    .forUpdate()
    .executeTakeFirst();
  // The sandbox needs nothing; a mastodon account keeps what it had unless it is given anew.
  const mastodon = input.connector === 'mastodon';
  const kept = existing?.connector === 'mastodon' ? existing : undefined;
  const baseUrl = mastodon ? (input.baseUrl ?? kept?.base_url ?? null) : null;
  let credentials = mastodon ? (kept?.credentials ?? null) : null;
  if (mastodon && input.accessToken !== undefined)
    credentials = box.seal(JSON.stringify({ accessToken: input.accessToken }));
  if (mastodon) {
    const errors = [
      ...(baseUrl ? [] : [{ path: 'baseUrl', message: 'Required for a mastodon account' }]),
      ...(credentials ? [] : [{ path: 'accessToken', message: 'Required for a new mastodon account' }]),
    ];
    if (errors.length) throw new Problem('validation_failed', 'The mastodon account is incomplete', { errors });
  }
  const values = { connector: input.connector, base_url: baseUrl, credentials, updated_by: actor.userId };
  const row = existing
    ? await tx
        .updateTable('connector_accounts')
        .set(values)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await tx
        .insertInto('connector_accounts')
        .values({ ...values, organisation_id: actor.organisationId, platform, created_by: actor.userId })
        .returningAll()
        .executeTakeFirstOrThrow();
  return accountDto(row);
}

export async function deleteConnectorAccount(tx: Tx, platform: string): Promise<boolean> {
  const res = await tx.deleteFrom('connector_accounts').where('platform', '=', platform).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
