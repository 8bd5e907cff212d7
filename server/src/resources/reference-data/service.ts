import type { Db } from '../../db/connect.ts';
import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';

export type RefCategory = 'user_role' | 'platform' | 'industry' | 'subscription_tier';

export interface RefItem {
  id: string;
  category: RefCategory;
  code: string;
  label: string;
  sortOrder: number;
  isActive: boolean;
}

export interface RefData {
  items: RefItem[];
  /** id → code */
  code(id: string | null): string | null;
  /** code → id, or a 400 naming the field when the code is unknown in that category */
  id(category: RefCategory, code: string, field: string): string;
}

// Reference data changes only through migrations, so one read per process is enough.
const cache = new WeakMap<object, Promise<RefData>>();

export function referenceData(db: Db | Tx): Promise<RefData> {
  let p = cache.get(db);
  if (!p) {
    p = load(db);
    cache.set(db, p);
    p.catch(() => cache.delete(db));
  }
  return p;
}

async function load(db: Db | Tx): Promise<RefData> {
  const rows = await db
    .selectFrom('reference_data')
    .select(['id', 'category', 'code', 'label', 'sort_order', 'is_active'])
    .orderBy('category')
    .orderBy('sort_order')
    .execute();
  const items: RefItem[] = rows.map((r) => ({
    id: r.id,
    category: r.category as RefCategory,
    code: r.code,
    label: r.label,
    sortOrder: r.sort_order,
    isActive: r.is_active,
  }));
  const byId = new Map(items.map((i) => [i.id, i]));
  const byCode = new Map(items.map((i) => [`${i.category}:${i.code}`, i]));
  return {
    items,
    code: (id) => (id ? (byId.get(id)?.code ?? null) : null),
    id: (category, code, field) => {
      const item = byCode.get(`${category}:${code}`);
      if (!item?.isActive) {
        const allowed = items.filter((i) => i.category === category && i.isActive).map((i) => i.code);
        throw new Problem('validation_failed', `Unknown ${field} "${code}"`, {
          errors: [{ path: field, message: `Must be one of: ${allowed.join(', ')}` }],
        });
      }
      return item.id;
    },
  };
}
