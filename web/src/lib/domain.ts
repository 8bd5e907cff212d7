import type { PostStatus } from './api/client.ts';

export const PLATFORM_LIMITS: Record<string, number> = {
  x: 280,
  bluesky: 300,
  mastodon: 500,
  threads: 500,
  pinterest: 500,
  instagram: 2200,
  tiktok: 2200,
  linkedin: 3000,
  youtube: 5000,
  facebook: 63206,
};
export const PLATFORMS = Object.keys(PLATFORM_LIMITS);

export const STATUS_LABEL: Record<PostStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  published: 'Published',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Tailwind classes with AA contrast on their own background. */
export const STATUS_CLASS: Record<PostStatus, string> = {
  draft: 'bg-slate-200 text-slate-800',
  in_review: 'bg-amber-100 text-amber-900',
  changes_requested: 'bg-orange-100 text-orange-900',
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

type Move = { to: PostStatus; label: string; perm: 'post:edit' | 'campaign:write' };
/** CONTRACT §3 post status moves, with the permission each needs. */
const MOVES: Record<PostStatus, Move[]> = {
  draft: [
    { to: 'in_review', label: 'Submit for review', perm: 'post:edit' },
    { to: 'cancelled', label: 'Cancel', perm: 'campaign:write' },
  ],
  in_review: [
    { to: 'approved', label: 'Approve', perm: 'campaign:write' },
    { to: 'changes_requested', label: 'Request changes', perm: 'campaign:write' },
    { to: 'draft', label: 'Withdraw to draft', perm: 'post:edit' },
    { to: 'cancelled', label: 'Cancel', perm: 'campaign:write' },
  ],
  changes_requested: [
    { to: 'in_review', label: 'Resubmit', perm: 'post:edit' },
    { to: 'cancelled', label: 'Cancel', perm: 'campaign:write' },
  ],
  approved: [
    { to: 'scheduled', label: 'Schedule', perm: 'campaign:write' },
    { to: 'draft', label: 'Back to draft', perm: 'post:edit' },
    { to: 'cancelled', label: 'Cancel', perm: 'campaign:write' },
  ],
  scheduled: [
    { to: 'draft', label: 'Back to draft', perm: 'post:edit' },
    { to: 'cancelled', label: 'Cancel', perm: 'campaign:write' },
  ],
  publishing: [],
  published: [],
  failed: [
    { to: 'scheduled', label: 'Reschedule', perm: 'campaign:write' },
    { to: 'cancelled', label: 'Cancel', perm: 'campaign:write' },
  ],
  cancelled: [{ to: 'draft', label: 'Restore to draft', perm: 'post:edit' }],
};

export function movesFor(status: PostStatus, permissions: string[]): Move[] {
  return MOVES[status].filter((m) => permissions.includes(m.perm));
}

export function fmtDateTime(iso: string | null | undefined) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Local YYYY-MM-DD, the calendar's day key. */
export function dayKey(d: Date) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
