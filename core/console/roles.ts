export type ConsoleRole = 'viewer' | 'reviewer' | 'operator' | 'admin';

export const CONSOLE_ROLES: readonly ConsoleRole[] = ['viewer', 'reviewer', 'operator', 'admin'];

/** What a route needs: `read` (every role), or one of the write permissions. */
export type Permission = 'read' | 'review' | 'operate' | 'admin';

/** Who may do what. `viewer` is the auditor: everything read-only. */
const GRANTS: Record<ConsoleRole, readonly Permission[]> = {
  viewer: ['read'],
  reviewer: ['read', 'review'],
  operator: ['read', 'operate'],
  admin: ['read', 'review', 'operate', 'admin'],
};

export interface ConsolePrincipal {
  id: string;
  name: string;
  roles: ConsoleRole[];
  tenants: string[] | '*';
}

export function isConsoleRole(value: unknown): value is ConsoleRole {
  return typeof value === 'string' && (CONSOLE_ROLES as readonly string[]).includes(value);
}

export function may(principal: ConsolePrincipal, permission: Permission): boolean {
  return principal.roles.some((role) => GRANTS[role]?.includes(permission));
}

export function mayUseTenant(principal: ConsolePrincipal, tenant: string): boolean {
  return principal.tenants === '*' || principal.tenants.includes(tenant);
}
