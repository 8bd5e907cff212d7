import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './connect.ts';

/** A short name shared by every node on this database and by no other (migrations/0014). */
export async function clusterName(db: Db): Promise<string> {
  const { rows } = await sql<{ key: string }>`SELECT chorus_cluster_key() AS key`.execute(db);
  return createHash('sha256').update(rows[0]!.key).digest('hex').slice(0, 16);
}
