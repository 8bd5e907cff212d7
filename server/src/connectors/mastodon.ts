import { readFile } from 'node:fs/promises';
import { validateForPlatform } from '@chorus/domain';
import { type OutboundAllow, OutboundRefused, outboundFetch } from '../net/outbound.ts';
import { assetPath } from '../resources/assets/storage.ts';
import { type Connector, type ConnectorAccount, type MetricsCounts, PublishError } from './types.ts';

const TIMEOUT_MS = 15_000;

function endpoint(account: ConnectorAccount): { base: string; token: string } {
  const token = account.credentials?.accessToken;
  if (!account.baseUrl || !token)
    throw new PublishError('The Mastodon account is not configured (instance URL and access token)', {
      transient: false,
    });
  return { base: account.baseUrl.replace(/\/+$/, ''), token };
}

/** 5xx, 429 and 408 are worth retrying; other refusals (401, 422 …) will not change by waiting. */
async function failure(res: Response, what: string): Promise<PublishError> {
  let detail = '';
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body.error === 'string') detail = `: ${body.error.slice(0, 300)}`;
  } catch {}
  const transient = res.status >= 500 || res.status === 429 || res.status === 408;
  return new PublishError(`Mastodon refused ${what} (${res.status})${detail}`, { transient });
}

type CallInit = { method?: string; headers?: Record<string, string>; body?: string | FormData };

async function call(
  allow: OutboundAllow,
  url: string,
  init: CallInit,
  what: string,
  signal?: AbortSignal,
): Promise<Response> {
  try {
    return await outboundFetch(url, allow, { ...init, timeoutMs: TIMEOUT_MS, maxResponseBytes: 1024 * 1024, signal });
  } catch (err) {
    if (err instanceof OutboundRefused) {
      throw new PublishError(`The Mastodon instance URL is refused: it ${err.message}`, {
        transient: false,
        cause: err,
      });
    }
    throw new PublishError(`Could not reach Mastodon for ${what}: ${(err as Error).message}`, {
      transient: true,
      cause: err,
    });
  }
}

/**
 * Mastodon's REST API. Statuses are posted with an Idempotency-Key header (the server returns
 * the status it already made for that key, for an hour), which is what lets the sweeper settle
 * an attempt whose node died: it posts again with the same key.
 */
export function mastodonConnector(allow: OutboundAllow): Connector {
  return {
    name: 'mastodon',
    validate: validateForPlatform,
    async publish(post, ctx) {
      const { base, token } = endpoint(ctx.account);
      const auth = { authorization: `Bearer ${token}` };
      const mediaIds: string[] = [];
      for (const asset of post.assets) {
        let bytes: Buffer;
        try {
          bytes = await readFile(assetPath(ctx.dataDir, asset.storageKey));
        } catch (err) {
          throw new PublishError(`The media file ${asset.fileName} is missing`, { transient: false, cause: err });
        }
        const form = new FormData();
        form.set('file', new Blob([new Uint8Array(bytes)], { type: asset.mediaType }), asset.fileName);
        const res = await call(
          allow,
          `${base}/api/v2/media`,
          { method: 'POST', headers: auth, body: form },
          'the media upload',
          ctx.signal,
        );
        if (!res.ok) throw await failure(res, `the media ${asset.fileName}`);
        const media = (await res.json()) as { id?: unknown };
        if (typeof media.id !== 'string')
          throw new PublishError('Mastodon answered a media upload without an id', { transient: true });
        mediaIds.push(media.id);
      }
      const res = await call(
        allow,
        `${base}/api/v1/statuses`,
        {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
          body: JSON.stringify({ status: post.content, media_ids: mediaIds, visibility: 'public' }),
        },
        'the post',
        ctx.signal,
      );
      if (!res.ok) throw await failure(res, 'the post');
      const status = (await res.json()) as { id?: unknown; url?: unknown; uri?: unknown; created_at?: unknown };
      if (typeof status.id !== 'string')
        throw new PublishError('Mastodon answered without a status id', { transient: true });
      // The instance's answer reaches the tenant as externalUrl: take only a plain http(s) URL.
      const linkOf = (v: unknown) =>
        typeof v === 'string' && v.length <= 2000 && /^https?:\/\/[^\s]+$/i.test(v) ? v : undefined;
      const url = linkOf(status.url) ?? linkOf(status.uri) ?? `${base}/statuses/${status.id}`;
      const at = typeof status.created_at === 'string' ? new Date(status.created_at) : undefined;
      return {
        externalId: status.id,
        externalUrl: url,
        publishedAt: at && !Number.isNaN(at.getTime()) ? at : undefined,
      };
    },
    async fetchMetrics(externalIds, ctx) {
      const { base, token } = endpoint(ctx.account);
      const out: MetricsCounts[] = [];
      for (const id of externalIds) {
        if (!/^[0-9A-Za-z_-]{1,64}$/.test(id)) continue;
        const res = await call(
          allow,
          `${base}/api/v1/statuses/${id}`,
          { headers: { authorization: `Bearer ${token}` } },
          'counts',
          ctx.signal,
        );
        if (!res.ok) {
          await res.body?.cancel();
          continue;
        }
        const s = (await res.json()) as Record<string, unknown>;
        const n = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : 0);
        // Mastodon has no impression count; favourites, boosts and replies are what it exposes.
        out.push({
          externalId: id,
          likes: n(s.favourites_count),
          shares: n(s.reblogs_count),
          comments: n(s.replies_count),
          impressions: 0,
        });
      }
      return out;
    },
  };
}
