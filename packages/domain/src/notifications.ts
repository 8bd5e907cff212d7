/**
 * What a member can be notified of. Who receives each kind is decided in one place on the
 * server (resources/notifications); docs/roles.md lists it in words.
 */
export const NOTIFICATION_TYPES = [
  'review_requested',
  'changes_requested',
  'approved',
  'mentioned',
  'replied',
  'publish_failed',
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
