import type { Role } from './sessions.ts';

/**
 * CONTRACT §3's roles table, as data. Everyone reads everything in their organisation and may
 * write notes; the rest is listed here, and every route asks `can()`.
 */
export const PERMISSIONS = {
  /** Edit posts, submit for review (and withdraw/resubmit), upload assets. */
  'post:edit': ['owner', 'admin', 'manager', 'editor'],
  /** Create/edit clients and campaigns; approve, request changes, schedule, cancel; ingest metrics. */
  'campaign:write': ['owner', 'admin', 'manager'],
  /** Delete clients and campaigns; invite, change roles, deactivate (not owners). */
  'org:manage': ['owner', 'admin'],
  /** Edit the organisation; make or demote owners. */
  'org:own': ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const ROLES: readonly Role[] = ['owner', 'admin', 'manager', 'editor', 'viewer'];

/** The permissions a role holds, as `GET /me` reports them. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}
