/**
 * Roles and what each may do. Everyone in an organisation reads what it may see and may write
 * notes; every other write asks `can()`. The table is explained in docs/roles.md.
 */

export const ROLES = ['owner', 'admin', 'manager', 'editor', 'viewer', 'client'] as const;
export type Role = (typeof ROLES)[number];

/** The agency's own members, in descending order of power (`client` is an outside member). */
export const TEAM_ROLES = ['owner', 'admin', 'manager', 'editor', 'viewer'] as const satisfies readonly Role[];

export const ROLE_LABEL: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  editor: 'Editor',
  viewer: 'Viewer',
  client: 'Client',
};

export const PERMISSIONS = {
  /** Edit posts, submit for review (and withdraw/resubmit), upload assets. */
  'post:edit': ['owner', 'admin', 'manager', 'editor'],
  /** Create/edit clients and campaigns; approve, request changes, schedule, cancel; ingest metrics. */
  'campaign:write': ['owner', 'admin', 'manager'],
  /** Delete clients and campaigns; invite, change roles, deactivate (not owners); edit others' names. */
  'org:manage': ['owner', 'admin'],
  /** Edit the organisation; make or demote owners. */
  'org:own': ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | string, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly string[]).includes(role);
}

/** The permissions a role holds, as `GET /me` reports them. */
export function permissionsOf(role: Role | string): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}

/** Whether a role may change a post's text or a note's body in the live editor. */
export function mayEditText(role: Role | string): boolean {
  return can(role, 'post:edit');
}
