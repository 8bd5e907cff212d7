import type { Permission } from '../../auth/permissions.ts';

export type PostStatus =
  | 'draft'
  | 'in_review'
  | 'changes_requested'
  | 'approved'
  | 'scheduled'
  | 'publishing'
  | 'published'
  | 'failed'
  | 'cancelled';

/** Who may make a move: a permission, or only the publisher itself. */
type Mover = Permission | 'system';

// CONTRACT §3's status machine. Approve, request changes, schedule and cancel need
// campaign:write (managers and above); submit, resubmit and withdraw to draft need post:edit
// (editors and above); publishing and its outcome are the scheduler's alone.
export const TRANSITIONS: Record<PostStatus, Partial<Record<PostStatus, Mover>>> = {
  draft: { in_review: 'post:edit', cancelled: 'campaign:write' },
  in_review: {
    approved: 'campaign:write',
    changes_requested: 'campaign:write',
    draft: 'post:edit',
    cancelled: 'campaign:write',
  },
  changes_requested: { in_review: 'post:edit', cancelled: 'campaign:write' },
  approved: { scheduled: 'campaign:write', draft: 'post:edit', cancelled: 'campaign:write' },
  scheduled: { publishing: 'system', draft: 'post:edit', cancelled: 'campaign:write' },
  publishing: { published: 'system', failed: 'system', cancelled: 'campaign:write' },
  failed: { scheduled: 'campaign:write', cancelled: 'campaign:write' },
  cancelled: { draft: 'post:edit' },
  published: {},
};

/** Moves after which the platform's content rules must hold. */
export const CHECKS_RULES = new Set<PostStatus>(['in_review', 'scheduled']);
