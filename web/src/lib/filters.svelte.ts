import { goto } from '$app/navigation';
import { page } from '$app/state';

/**
 * List filters kept in the URL's query (`?status=in_review&platform=x`), so a filtered view
 * survives a reload and can be shared as a link. Reading is reactive; writing replaces the
 * history entry and keeps focus and scroll where they are.
 */
export function urlFilters<K extends string>(keys: readonly K[]) {
  const get = (k: K) => page.url.searchParams.get(k) ?? '';
  return {
    get,
    set(k: K, value: string) {
      const url = new URL(page.url.href);
      if (value) url.searchParams.set(k, value);
      else url.searchParams.delete(k);
      void goto(url, { replace: true, reset: false });
    },
    clear() {
      const url = new URL(page.url.href);
      for (const k of keys) url.searchParams.delete(k);
      void goto(url, { replace: true, reset: false });
    },
    get active() {
      return keys.some((k) => get(k) !== '');
    },
  };
}

/** Does an ISO time fall within the `from`/`to` days (YYYY-MM-DD, local, inclusive)? */
export function inDayRange(iso: string | null | undefined, from: string, to: string) {
  if (!from && !to) return true;
  if (!iso) return false;
  const d = new Date(iso);
  const key = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return (!from || key >= from) && (!to || key <= to);
}
