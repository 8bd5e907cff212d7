import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

export const SEQUENCED_CHANNEL = 'chorus_changes';

const BATCH = 5000;
const ROUND_GAP_MS = 3;

/**
 * One numbering round: moves committed changes from the outbox into the feed, numbered per
 * organisation in outbox-id order, continuing each organisation's counter; then notifies the
 * organisations it numbered.
 * Rounds are serialised by a transaction-level advisory lock, so numbers become visible in
 * order and a reader never sees seq N+1 before N. The round is one SQL function
 * (migrations/0013), so it costs one round trip. Returns the organisations that got new changes.
 */
export async function assignPending(db: Db): Promise<string[]> {
  const { rows } = await sql<{ org: string }>`SELECT chorus_number_changes(${BATCH}) AS org`.execute(db);
  return rows.map((r) => r.org);
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

  private stopped = false;
  private round: Promise<void> = Promise.resolve();

  /** No new rounds; resolves once the current one has finished (before the pool closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.round;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    const started = performance.now();
    this.round = assignPending(this.db)
      .then((orgs) => {
        if (orgs.length) {
          this.onNumbered(orgs);
          this.again = true; // a full batch, or rows that committed meanwhile: look again
        }
      }, this.onError)
      .finally(() => {
        if (!this.again) {
          this.running = false;
          return;
        }
        this.again = false;
        // Back-to-back rounds start at most every ROUND_GAP_MS: a round is a transaction of its
        // own, and numbering a few more rows in it is far cheaper than another one. The first
        // commit after a quiet spell is still numbered at once.
        const next = () => {
          this.running = false;
          this.kick();
        };
        const wait = started + ROUND_GAP_MS - performance.now();
        if (wait > 0) setTimeout(next, wait);
        else next();
      });
  }
}
