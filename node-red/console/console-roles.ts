import type { ConsoleRole } from '../../core/console';

/** The package's own permission scopes, one per console role; `read` is the viewer (auditor). */
export const CONSOLE_SCOPES: Record<ConsoleRole, string> = {
  viewer: 'incident-intake.read',
  reviewer: 'incident-intake.review',
  operator: 'incident-intake.operate',
  admin: 'incident-intake.admin',
};

/**
 * Node-RED's own rule (editor-api auth/permissions.js), restated because it is not part of the node API:
 * `*` grants everything, `read` / `*.read` every `….read` scope, `write` / `*.write` every `….write` scope,
 * anything else only itself; a list grants what any entry grants.
 */
export function scopeGrants(scope: unknown, permission: string): boolean {
  if (Array.isArray(scope)) return scope.some((entry) => scopeGrants(entry, permission));
  if (typeof scope !== 'string') return false;
  if (scope === '*' || scope === permission) return true;
  if (scope === 'read' || scope === '*.read') return /^(.+\.)?read$/.test(permission);
  if (scope === 'write' || scope === '*.write') return /^(.+\.)?write$/.test(permission);
  return false;
}

/**
 * The console roles a Node-RED user's permissions grant. `incident-intake.write` (which Node-RED's `write`
 * grants, like the package's mapping preview) stands for every write role: whoever may deploy flows may
 * already do anything the console does.
 */
export function consoleRolesFor(scope: unknown): ConsoleRole[] {
  if (scopeGrants(scope, 'incident-intake.write')) return ['admin'];
  return (Object.keys(CONSOLE_SCOPES) as ConsoleRole[]).filter((role) => scopeGrants(scope, CONSOLE_SCOPES[role]));
}
