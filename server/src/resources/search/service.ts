import { sql } from 'kysely';
import type { Tx } from '../../db/tenant.ts';

export interface SearchHit {
  entity: 'client' | 'campaign' | 'post' | 'note';
  id: string;
  title: string;
  snippet: string;
  postId: string | null;
  campaignId: string | null;
}

/** The words of a query, each matched by prefix ("caf" finds "Café"); at most eight. */
export function queryWords(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

/** Folds case and accents the way chorus_search_fold does, near enough to place a snippet. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function snippetOf(text: string, words: string[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= 160) return flat;
  const folded = fold(flat);
  const at = Math.max(
    0,
    ...words
      .map((w) => folded.indexOf(fold(w)))
      .filter((i) => i >= 0)
      .slice(0, 1),
  );
  const start = Math.max(0, at - 40);
  return `${start > 0 ? '…' : ''}${flat.slice(start, start + 160).trim()}${start + 160 < flat.length ? '…' : ''}`;
}

/**
 * Clients, campaigns, posts and notes matching every word by prefix, best first. Runs in the
 * caller's transaction, so row-level security decides what may be found (a client member
 * finds only its clients' work and client-visible notes). Each kind is ranked within its own
 * GIN-indexed match (migrations/0020_search.sql).
 */
export async function search(tx: Tx, q: string, limit: number): Promise<SearchHit[]> {
  const words = queryWords(q);
  if (words.length === 0) return [];
  const tsquery = words.map((w) => `${w}:*`).join(' & ');
  // Inline (not a CTE) so the planner folds it to a constant and picks each GIN index.
  const query = sql`to_tsquery('simple', chorus_search_fold(${tsquery}))`;
  const { rows } = await sql<{
    entity: SearchHit['entity'];
    id: string;
    title: string;
    body: string;
    post_id: string | null;
    campaign_id: string | null;
  }>`
    SELECT entity, id, title, body, post_id, campaign_id FROM (
      (SELECT 'client' AS entity, c.id, c.name AS title, coalesce(c.contact_name, '') AS body,
              NULL::uuid AS post_id, NULL::uuid AS campaign_id,
              ts_rank(chorus_search_vector(c.name), ${query}) + 1 AS rank
         FROM clients c WHERE chorus_search_vector(c.name) @@ ${query}
        ORDER BY rank DESC LIMIT ${limit})
      UNION ALL
      (SELECT 'campaign', c.id, c.name, cl.name, NULL, c.id,
              ts_rank(chorus_search_vector(c.name), ${query}) + 1
         FROM campaigns c JOIN clients cl ON cl.id = c.client_id WHERE chorus_search_vector(c.name) @@ ${query}
        ORDER BY 7 DESC LIMIT ${limit})
      UNION ALL
      (SELECT 'post', p.id, left(p.content, 80), p.content, p.id, p.campaign_id,
              ts_rank(p.search_vector, ${query})
         FROM scheduled_posts p WHERE p.search_vector @@ ${query}
        ORDER BY 7 DESC LIMIT ${limit})
      UNION ALL
      (SELECT 'note', n.id, left(n.body, 80), n.body, n.scheduled_post_id, n.campaign_id,
              ts_rank(n.search_vector, ${query})
         FROM notes n WHERE n.search_vector @@ ${query}
        ORDER BY 7 DESC LIMIT ${limit})
    ) hits
    ORDER BY rank DESC, entity, id
    LIMIT ${limit}`.execute(tx);
  return rows.map((r) => ({
    entity: r.entity,
    id: r.id,
    title: r.title.replace(/\s+/g, ' ').trim(),
    snippet: snippetOf(r.body, words),
    postId: r.post_id,
    campaignId: r.campaign_id,
  }));
}
