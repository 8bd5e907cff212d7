import type { ChangeEvent } from '@chorus/shared';
import type { Listed } from '../api/client.ts';
import { realtime } from './realtime.svelte.ts';

type Entity = ChangeEvent['entity'];

/**
 * A list of one kind of resource kept current by the change feed: inserts that pass `filter`
 * are added, updates replace (or drop, when they no longer pass), deletes remove. A stale
 * update (lower `version` than what we hold) is ignored.
 *
 * Changes that arrive while the list loads are held, then applied on top of the loaded list,
 * skipping those the list already reflects (seq up to the head it was read at): a change made
 * between the read and the answer is never lost, and none is applied twice.
 */
export class LiveCollection<T extends { id: string; version: number }> {
  items = $state<T[]>([]);
  loading = $state(true);
  error = $state<string | null>(null);
  #off: () => void;
  #held: ChangeEvent[] | null = null;
  #generation = 0;

  constructor(
    readonly entity: Entity,
    private loader: () => Promise<Listed<T>>,
    private filter: (item: T) => boolean = () => true,
  ) {
    this.#off = realtime.onChanges((batch) => {
      if (this.#held) this.#held.push(...batch);
      else this.apply(batch);
    });
    void this.reload();
  }

  /** Shows another slice of the resource (say, another calendar month): loads it, then keeps it live. */
  show(loader: () => Promise<Listed<T>>, filter: (item: T) => boolean) {
    this.loader = loader;
    this.filter = filter;
    this.loading = true;
    return this.reload();
  }

  async reload() {
    const generation = ++this.#generation;
    this.#held = [];
    try {
      const items = await this.loader();
      // A newer load (the view moved on) owns the list now.
      if (generation !== this.#generation) return;
      const held = this.#held;
      this.#held = null;
      this.items = items;
      this.apply(items.seq === undefined ? held : held.filter((c) => c.seq > items.seq!));
      this.error = null;
    } catch (e) {
      if (generation !== this.#generation) return;
      this.#held = null;
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  apply(batch: ChangeEvent[]) {
    let items = this.items;
    let touched = false;
    for (const c of batch) {
      if (c.entity !== this.entity) continue;
      const at = items.findIndex((x) => x.id === c.id);
      if (c.op === 'delete' || !c.data) {
        if (at >= 0) {
          items = items.filter((x) => x.id !== c.id);
          touched = true;
        }
        continue;
      }
      const data = c.data as T;
      const keep = this.filter(data);
      if (at >= 0) {
        const current = items[at] as T;
        if (data.version < current.version) continue;
        items = keep ? items.with(at, data) : items.filter((x) => x.id !== c.id);
        touched = true;
      } else if (keep) {
        items = [...items, data];
        touched = true;
      }
    }
    if (touched) this.items = items;
  }

  destroy() {
    this.#off();
  }
}

/** One resource kept current by the change feed. */
export class LiveItem<T extends { id: string; version: number }> {
  value = $state<T | null>(null);
  error = $state<string | null>(null);
  deleted = $state(false);
  #off: () => void;

  constructor(
    readonly entity: Entity,
    readonly id: string,
    loader: () => Promise<T>,
  ) {
    this.#off = realtime.onChanges((batch) => {
      for (const c of batch) {
        if (c.entity !== entity || c.id !== id) continue;
        if (c.op === 'delete') this.deleted = true;
        else if (c.data && (!this.value || (c.data as T).version >= this.value.version)) this.value = c.data as T;
      }
    });
    loader().then(
      (v) => {
        if (!this.value || v.version >= this.value.version) this.value = v;
      },
      (e) => {
        this.error = e instanceof Error ? e.message : String(e);
      },
    );
  }
  destroy() {
    this.#off();
  }
}
