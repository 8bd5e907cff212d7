import type { ChangeEvent } from '@chorus/shared';
import { ApiError, errorMessage } from '../api/client.ts';
import { realtime } from './realtime.svelte.ts';

type Entity = ChangeEvent['entity'];

/**
 * A list of one kind of resource kept current by the change feed: inserts that pass `filter`
 * are added, updates replace (or drop, when they no longer pass), deletes remove. A stale
 * update (lower `version` than what we hold) is ignored.
 */
export class LiveCollection<T extends { id: string; version: number }> {
  items = $state<T[]>([]);
  loading = $state(true);
  error = $state<string | null>(null);
  #off: () => void;

  constructor(
    readonly entity: Entity,
    private loader: () => Promise<T[]>,
    private filter: (item: T) => boolean = () => true,
  ) {
    this.#off = realtime.onChanges((batch) => this.apply(batch));
    void this.reload();
  }

  async reload() {
    try {
      this.items = await this.loader();
      this.error = null;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.loading = false;
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
  /** The loader answered 404: unknown, or not visible to this organisation. */
  notFound = $state(false);
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
        this.notFound = e instanceof ApiError && e.status === 404;
        this.error = errorMessage(e);
      },
    );
  }
  destroy() {
    this.#off();
  }
}
