import type { Role } from "../../schema/api.js";
import { BUILT_IN_ROLES, HIGH_RISK_PERMISSIONS, sortPermissions } from "../../schema/catalog.js";
import type { DesiredRole } from "../../schema/model.js";
import type { Access, Phase, Risk } from "../plan.js";

/**
 * Effective-permission arithmetic shared by computePlan and the safety rails.
 * A RoleTable maps a role name to its permissions; effective permissions of a person
 * are their role's permissions ∪ their extra grants (design §1).
 */

/** RoleTable maps every role a person may hold (built-in and custom) to its permissions. */
export type RoleTable = ReadonlyMap<string, readonly string[]>;

/** ADMIN_ROLE is the built-in role that makes its holder an admin by itself. */
export const ADMIN_ROLE = "account-admin";

/** builtInRoleTable holds the built-in roles only. */
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

/** samePermissions compares two permission lists as sets. */
export function samePermissions(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const p of sa) if (!sb.has(p)) return false;
  return true;
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

/** riskOf is `high` when a change gains access:manage or billing:read, or makes someone an account-admin. */
export function riskOf(gained: readonly string[], before: Access | null, after: Access | null): Risk {
  if (gained.some((p) => (HIGH_RISK_PERMISSIONS as readonly string[]).includes(p))) return "high";
  if (after?.role === ADMIN_ROLE && before?.role !== ADMIN_ROLE) return "high";
  return "normal";
}

/** updatePhase puts an update that takes nothing away with the grants, and any loss with the demotions. */
export function updatePhase(lost: readonly string[], otherwise: Phase): Phase {
  return lost.length > 0 ? "demotions" : otherwise;
}
