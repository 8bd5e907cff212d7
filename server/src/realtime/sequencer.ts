import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { withSystem } from '../db/tenant.ts';

export const SEQUENCED_CHANNEL = 'chorus_changes';

// An arbitrary fixed key: only one numbering round runs at a time across every node.
const LOCK_KEY = 1130917747;
const BATCH = 5000;

/**
 * Numbers committed changes that have no seq yet, per organisation, in id order, continuing
 * each organisation's counter; then notifies the organisations it numbered. Rounds are
 * serialised by a transaction-level advisory lock, so numbers become visible in order and a
 * reader never sees seq N+1 before N. Returns the organisations that got new changes.
 */
export async function assignPending(db: Db): Promise<string[]> {
  return withSystem(db, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
    const { rows } = await sql<{ organisation_id: string }>`
      WITH pending AS (
        SELECT id, organisation_id,
               row_number() OVER (PARTITION BY organisation_id ORDER BY id) AS rn
        FROM changes WHERE seq IS NULL
        ORDER BY id LIMIT ${BATCH}
      ), counts AS (
        SELECT organisation_id, count(*) AS n FROM pending GROUP BY organisation_id
      ), bumped AS (
        INSERT INTO change_counters AS c (organisation_id, seq)
        SELECT organisation_id, n FROM counts
        ON CONFLICT (organisation_id) DO UPDATE SET seq = c.seq + excluded.seq
        RETURNING c.organisation_id, c.seq AS top
      )
      UPDATE changes ch SET seq = b.top - cnt.n + p.rn
      FROM pending p
      JOIN bumped b USING (organisation_id)
      JOIN counts cnt USING (organisation_id)
      WHERE ch.id = p.id
      RETURNING ch.organisation_id
    `.execute(tx);
    const orgs = [...new Set(rows.map((r) => r.organisation_id))];
    if (orgs.length) await sql`SELECT pg_notify(${SEQUENCED_CHANNEL}, o) FROM unnest(${orgs}::text[]) AS o`.execute(tx);
    return orgs;
  });
}

/** Runs numbering rounds on demand, never two at once, and once more if asked while running. */
export class Sequencer {
  private running = false;
  private again = false;
  private readonly db: Db;
  private readonly onNumbered: (orgs: string[]) => void;
  private readonly onError: (err: unknown) => void;

  constructor(db: Db, onNumbered: (orgs: string[]) => void, onError: (err: unknown) => void) {
    this.db = db;
    this.onNumbered = onNumbered;
    this.onError = onError;
  }

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void assignPending(this.db)
      .then((orgs) => {
        if (orgs.length) {
          this.onNumbered(orgs);
          this.again = true; // a full batch, or rows that committed meanwhile: look again
        }
      }, this.onError)
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }
}
