import {
  BUILT_IN_ROLES,
  OWNER_ONLY_PERMISSIONS,
  isBuiltInRole,
  isPermission,
  type Permission,
} from "../schema/catalog.js";
import { sortPermissions } from "../schema/order.js";
import { invalid } from "./http-error.js";

/**
 * The access rules of the reference server as pure functions: effective permissions and
 * validation of role names and grants. The grant rule: a caller holding access:manage
 * (checked by the route's guard) may assign every role, built-in or custom, and grant
 * every permission except the owner-only ones, which nobody can grant (checkGrants);
 * the owner is never changed (the member routes). What the caller itself holds does
 * not limit what it may give.
 */

/** RoleLookup resolves a role name (built-in or custom) to its permissions, or undefined when unknown. */
export type RoleLookup = (name: string) => readonly string[] | undefined;

/** builtInPermissions is the permissions of a built-in role, or undefined for a custom name. */
export function builtInPermissions(name: string): readonly string[] | undefined {
  return isBuiltInRole(name) ? BUILT_IN_ROLES[name].permissions : undefined;
}

/** effectivePermissions is role permissions ∪ extra grants, in catalog order. A role that no longer exists contributes nothing. */
export function effectivePermissions(role: string, grants: readonly string[], lookup: RoleLookup): string[] {
  return sortPermissions([...(lookup(role) ?? []), ...grants]);
}

/** checkAssignableRole throws a validation error unless `role` exists and may be given to a member or invitation. */
export function checkAssignableRole(role: string, lookup: RoleLookup, field = "role"): void {
  if (role === "owner") throw invalid(field, "the owner role is not assignable", "owner_role");
  if (lookup(role) === undefined) throw invalid(field, `unknown role "${role}"`, "unknown_role", { value: role });
}

/** checkGrants validates a list of extra grants (or a custom role's permissions) and returns it normalized. */
export function checkGrants(permissions: readonly string[], field = "permissions"): Permission[] {
  permissions.forEach((p, i) => {
    if (!isPermission(p)) throw invalid(`${field}[${i}]`, `unknown permission "${p}"`, "unknown_permission", { value: p });
    if ((OWNER_ONLY_PERMISSIONS as readonly string[]).includes(p)) {
      throw invalid(`${field}[${i}]`, `"${p}" is owner-only and cannot be granted`, "owner_only", { value: p });
    }
  });
  return sortPermissions(permissions as Permission[]);
}
