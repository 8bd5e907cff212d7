import { can, type Permission, type Role } from './roles.ts';

/** Post statuses and every move between them; docs/api-rules.md explains them in words. */

export const POST_STATUSES = [
  'draft',
  'in_review',
  'client_review',
  'changes_requested',
  'approved',
  'scheduled',
  'publishing',
  'published',
  'failed',
  'cancelled',
] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const APPROVAL_POLICIES = ['team', 'team_and_client'] as const;
/** Per client: whether the team's approval is final or the client approves after it. */
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];

/** Who may make a move: a permission, a client member, or only the publisher itself. */
export type Mover = Permission | 'client' | 'system';

export interface Move {
  from: PostStatus;
  to: PostStatus;
  by: Mover;
  /** What the UI's button says. */
  label: string;
  /** Only for posts whose client has this approval policy; absent: always. */
  policy?: ApprovalPolicy;
}

// Any status but published (and cancelled itself) may be cancelled.
const CANCELLABLE = POST_STATUSES.filter((s) => s !== 'published' && s !== 'cancelled');

/** Every move a post may make. Nothing else in the code base defines one. */
export const MOVES: readonly Move[] = [
  { from: 'draft', to: 'in_review', by: 'post:edit', label: 'Submit for review' },
  { from: 'in_review', to: 'approved', by: 'campaign:write', label: 'Approve', policy: 'team' },
  {
    from: 'in_review',
    to: 'client_review',
    by: 'campaign:write',
    label: 'Approve and send to client',
    policy: 'team_and_client',
  },
  { from: 'in_review', to: 'changes_requested', by: 'campaign:write', label: 'Request changes' },
  { from: 'in_review', to: 'draft', by: 'post:edit', label: 'Withdraw to draft' },
  { from: 'client_review', to: 'approved', by: 'client', label: 'Approve' },
  { from: 'client_review', to: 'changes_requested', by: 'client', label: 'Request changes' },
  { from: 'changes_requested', to: 'in_review', by: 'post:edit', label: 'Resubmit' },
  { from: 'approved', to: 'scheduled', by: 'campaign:write', label: 'Schedule' },
  { from: 'approved', to: 'draft', by: 'post:edit', label: 'Back to draft' },
  { from: 'scheduled', to: 'draft', by: 'post:edit', label: 'Back to draft' },
  { from: 'scheduled', to: 'publishing', by: 'system', label: 'Publish' },
  { from: 'publishing', to: 'published', by: 'system', label: 'Published' },
  { from: 'publishing', to: 'failed', by: 'system', label: 'Failed' },
  { from: 'failed', to: 'scheduled', by: 'campaign:write', label: 'Reschedule' },
  { from: 'cancelled', to: 'draft', by: 'post:edit', label: 'Restore to draft' },
  ...CANCELLABLE.map((from): Move => ({ from, to: 'cancelled', by: 'campaign:write', label: 'Cancel' })),
];

/** The move from → to under the given policy, if the table has one. */
export function findMove(from: PostStatus, to: PostStatus, policy: ApprovalPolicy): Move | undefined {
  return MOVES.find((m) => m.from === from && m.to === to && (!m.policy || m.policy === policy));
}

/** Whether someone acting as `actor` (a member's role, or the publisher) may make the move. */
export function mayMake(actor: Role | string | 'system', move: Move): boolean {
  if (move.by === 'system') return actor === 'system';
  if (move.by === 'client') return actor === 'client';
  return actor !== 'system' && can(actor, move.by);
}

/** The moves a member with this role may make from a status: what the UI offers. */
export function movesFor(status: PostStatus, role: Role | string, policy: ApprovalPolicy): Move[] {
  return MOVES.filter((m) => m.from === status && (!m.policy || m.policy === policy) && mayMake(role, m));
}

/** Statuses whose content can no longer change: what went out, or is going out, stays. */
export const FROZEN_STATUSES: ReadonlySet<PostStatus> = new Set(['publishing', 'published', 'cancelled']);
export function isFrozen(status: PostStatus | string): boolean {
  return FROZEN_STATUSES.has(status as PostStatus);
}

/** Frozen statuses that take no edit at all, not even a new time: the post has gone out, or is going. */
export const LOCKED_STATUSES: ReadonlySet<PostStatus> = new Set(['publishing', 'published']);
export function isLocked(status: PostStatus | string): boolean {
  return LOCKED_STATUSES.has(status as PostStatus);
}

/** Statuses a change of what would be published (text, platform, media) sends back to review. */
export const BACK_TO_REVIEW: ReadonlySet<PostStatus> = new Set(['approved', 'client_review', 'scheduled']);

/** Moves into these statuses check the platform's content rules (a draft may break them). */
export const CHECKS_RULES: ReadonlySet<PostStatus> = new Set(['in_review', 'scheduled']);

/** Statuses whose reason (`statusReason`) is kept from the move's `reason`. */
export const KEEPS_REASON: ReadonlySet<PostStatus> = new Set(['changes_requested', 'cancelled']);

export const STATUS_LABEL: Record<PostStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  client_review: 'Client review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  published: 'Published',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Why the live editor is read-only for a frozen status, in plain words. */
export const FROZEN_REASON: Partial<Record<PostStatus, string>> = {
  publishing: 'This post is being published; its text can no longer change.',
  published: 'This post has been published; its text stays as it went out.',
  cancelled: 'This post is cancelled; restore it to draft to edit it.',
};
