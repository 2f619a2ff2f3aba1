import type { Role } from "../schema/api.js";
import { BUILT_IN_ROLES } from "../schema/catalog.js";
import type { DesiredRole } from "../schema/model.js";
import { sortPermissions } from "../schema/order.js";
import type { Access, RoleBody } from "./plan.js";

/**
 * Effective-permission arithmetic, one definition each, shared by computePlan, the
 * safety rails, apply's conflict checks, the review and the renderers.
 * A RoleTable maps a role name to its permissions; effective permissions of a person
 * are their role's permissions ∪ their extra grants.
 */

/** RoleTable maps every role a person may hold (built-in and custom) to its permissions. */
export type RoleTable = ReadonlyMap<string, readonly string[]>;

function builtInEntries(): [string, readonly string[]][] {
  return Object.entries(BUILT_IN_ROLES).map(([name, r]) => [name, r.permissions]);
}

/** liveRoleTable is the role table of the live workspace: built-ins and the live custom roles. */
export function liveRoleTable(roles: readonly Role[]): Map<string, readonly string[]> {
  const table = new Map<string, readonly string[]>(builtInEntries());
  for (const r of roles) if (!r.builtIn) table.set(r.name, sortPermissions(r.permissions));
  return table;
}

/**
 * desiredRoleTable is the role table after the plan: built-ins, the file's custom roles,
 * and live custom roles the file does not define (still held by someone until deleted).
 */
export function desiredRoleTable(desired: readonly DesiredRole[], live: readonly Role[]): Map<string, readonly string[]> {
  const table = liveRoleTable(live);
  for (const r of desired) table.set(r.name, sortPermissions(r.permissions));
  return table;
}

/** toAccess normalizes a role and grants: distinct grants in catalog order. */
export function toAccess(role: string, permissions: readonly string[]): Access {
  return { role, permissions: sortPermissions(permissions) };
}

/** sameAccess tells whether two accesses hold the same role and the same set of grants. */
export function sameAccess(a: Access, b: Access): boolean {
  return a.role === b.role && samePermissions(a.permissions, b.permissions);
}

/** sameRoleBody tells whether two custom-role definitions have the same description and the same set of permissions. */
export function sameRoleBody(a: RoleBody, b: RoleBody): boolean {
  return a.description === b.description && samePermissions(a.permissions, b.permissions);
}

/** samePermissions compares two permission lists as sets. */
export function samePermissions(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 && b.length === 0) return true;
  if (a.length === b.length && a.every((p, i) => p === b[i])) return true;
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const p of sa) if (!sb.has(p)) return false;
  return true;
}

/** holds tells whether an access includes a permission under a role table, without building the whole set. */
export function holds(access: Access | null, roles: RoleTable, permission: string): boolean {
  return access !== null && ((roles.get(access.role) ?? []).includes(permission) || access.permissions.includes(permission));
}

/** effective is a person's effective permissions under a role table (catalog order); an unknown role grants nothing. */
export function effective(access: Access | null, roles: RoleTable): string[] {
  if (access === null) return [];
  return sortPermissions([...(roles.get(access.role) ?? []), ...access.permissions]);
}

/** PermissionDelta is what a change adds to and takes from someone's effective permissions. */
export interface PermissionDelta {
  gained: string[];
  lost: string[];
}

/** delta compares effective permissions before and after (both catalog-ordered results). */
export function delta(before: readonly string[], after: readonly string[]): PermissionDelta {
  const b = new Set(before);
  const a = new Set(after);
  return {
    gained: after.filter((p) => !b.has(p)),
    lost: before.filter((p) => !a.has(p)),
  };
}
