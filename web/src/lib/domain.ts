import type { PostStatus } from './api/client.ts';

// Presentation only: the rules themselves (statuses, moves, roles, platform limits) come from
// @chorus/domain, which the server enforces.

/** Tailwind classes with AA contrast on their own background. */
export const STATUS_CLASS: Record<PostStatus, string> = {
  draft: 'bg-slate-200 text-slate-800',
  in_review: 'bg-amber-100 text-amber-900',
  changes_requested: 'bg-orange-100 text-orange-900',
  client_review: 'bg-yellow-100 text-yellow-900',
  approved: 'bg-emerald-100 text-emerald-900',
  scheduled: 'bg-sky-100 text-sky-900',
  publishing: 'bg-indigo-100 text-indigo-900',
  published: 'bg-green-200 text-green-900',
  failed: 'bg-red-100 text-red-900',
  cancelled: 'bg-zinc-200 text-zinc-700 line-through',
};

export const PLATFORM_CLASS: Record<string, string> = {
  x: 'bg-zinc-800 text-white',
  bluesky: 'bg-sky-600 text-white',
  mastodon: 'bg-violet-700 text-white',
  threads: 'bg-neutral-700 text-white',
  pinterest: 'bg-red-700 text-white',
  instagram: 'bg-pink-700 text-white',
  tiktok: 'bg-teal-800 text-white',
  linkedin: 'bg-blue-700 text-white',
  youtube: 'bg-red-600 text-white',
  facebook: 'bg-blue-800 text-white',
};

export function fmtDateTime(iso: string | null | undefined) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Local YYYY-MM-DD, the calendar's day key. */
export function dayKey(d: Date) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
