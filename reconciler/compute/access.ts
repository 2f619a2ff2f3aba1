import type { Role } from "../../schema/api.js";
import { ADMIN_PERMISSION, BUILT_IN_ROLES, HIGH_RISK_PERMISSIONS, PERMISSION_IDS } from "../../schema/catalog.js";
import type { DesiredRole } from "../../schema/model.js";
import type { Access, Phase, Risk } from "../plan.js";

/**
 * Effective-permission arithmetic shared by computePlan and the safety rails.
 * A RoleTable maps a role name to its permissions; effective permissions of a person
 * are their role's permissions ∪ their extra grants (docs/access-yaml.md).
 */

/** RoleTable maps every role a person may hold (built-in and custom) to its permissions. */
export type RoleTable = ReadonlyMap<string, readonly string[]>;

/** ADMIN_ROLE is the built-in role that makes its holder an admin by itself. */
export const ADMIN_ROLE = "account-admin";

const RANK = new Map<string, number>(PERMISSION_IDS.map((p, i) => [p, i]));

/**
 * orderPermissions is catalog.sortPermissions for the hot path: distinct permissions in
 * catalog order, unknown ids last in code-point order (locale-independent, no per-item search).
 */
export function orderPermissions(permissions: readonly string[]): string[] {
  if (permissions.length === 0) return [];
  if (permissions.length === 1) return [permissions[0] as string];
  const rank = (p: string) => RANK.get(p) ?? PERMISSION_IDS.length;
  return [...new Set(permissions)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function builtInEntries(): [string, readonly string[]][] {
  return Object.entries(BUILT_IN_ROLES).map(([name, r]) => [name, r.permissions]);
}

/** liveRoleTable is the role table of the live workspace: built-ins and the live custom roles. */
export function liveRoleTable(roles: readonly Role[]): Map<string, readonly string[]> {
  const table = new Map<string, readonly string[]>(builtInEntries());
  for (const r of roles) if (!r.builtIn) table.set(r.name, orderPermissions(r.permissions));
  return table;
}

/**
 * desiredRoleTable is the role table after the plan: built-ins, the file's custom roles,
 * and live custom roles the file does not define (still held by someone until deleted).
 */
export function desiredRoleTable(desired: readonly DesiredRole[], live: readonly Role[]): Map<string, readonly string[]> {
  const table = liveRoleTable(live);
  for (const r of desired) table.set(r.name, orderPermissions(r.permissions));
  return table;
}

/** toAccess normalizes a role and grants: distinct grants in catalog order. */
export function toAccess(role: string, permissions: readonly string[]): Access {
  return { role, permissions: orderPermissions(permissions) };
}

/** sameAccess tells whether two accesses hold the same role and the same set of grants. */
export function sameAccess(a: Access, b: Access): boolean {
  return a.role === b.role && samePermissions(a.permissions, b.permissions);
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
  return orderPermissions([...(roles.get(access.role) ?? []), ...access.permissions]);
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

/**
 * riskOf is `high` when a change gains access:manage or billing:read, makes someone an
 * account-admin, or takes access:manage away (a removal, a revocation, a demotion, a role edit).
 */
export function riskOf(gained: readonly string[], before: Access | null, after: Access | null, lost: readonly string[] = []): Risk {
  if (gained.some((p) => (HIGH_RISK_PERMISSIONS as readonly string[]).includes(p))) return "high";
  if (lost.includes(ADMIN_PERMISSION)) return "high";
  if (after?.role === ADMIN_ROLE && before?.role !== ADMIN_ROLE) return "high";
  return "normal";
}

/**
 * updatePhase puts an update that takes nothing away with the grants, and any loss with
 * the demotions, except an update that makes an admin (gains access:manage): it always
 * runs early, so a workspace never has fewer admins mid-apply than before and after it,
 * and a demotion of an admin can wait on the promotion that replaces them.
 */
export function updatePhase(gained: readonly string[], lost: readonly string[], otherwise: Phase): Phase {
  if (gained.includes(ADMIN_PERMISSION)) return otherwise;
  return lost.length > 0 ? "demotions" : otherwise;
}
