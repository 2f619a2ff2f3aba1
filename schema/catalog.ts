import type { PermissionInfo } from "./api.js";
import { canonicalEmail } from "./identity.js";

/**
 * The permission catalog and the built-in roles of an Antryk workspace.
 * Ids are the contract shared by access.yaml, the Access API and the reference server;
 * wording follows Antryk's "Members & Access Management" docs.
 */

/** PERMISSIONS lists every permission id with the docs' wording, in catalog order. */
export const PERMISSIONS = [
  { id: "billing:read", description: "Read billing information" },
  { id: "billing:manage", description: "Manage billing" },
  { id: "ownership:transfer", description: "Modify account ownership" },
  { id: "access:manage", description: "Manage account access: invite, change roles and permissions, revoke, review access history" },
  { id: "resources:manage", description: "Manage resources" },
  { id: "deployments:read", description: "View deployments" },
  { id: "deployments:create", description: "Deploy services" },
  { id: "logs:read", description: "View logs" },
  { id: "settings:manage", description: "Access and change workspace settings" },
  { id: "infrastructure:configure", description: "Configure infrastructure" },
  { id: "domains:manage", description: "Manage domains and redirects" },
  { id: "config:read", description: "Access application configuration" },
  { id: "environments:configure", description: "Environment configuration" },
] as const;

/** Permission is a catalog permission id. */
export type Permission = (typeof PERMISSIONS)[number]["id"];

/** PERMISSION_IDS is the catalog's ids in catalog order (the canonical sort order of permission lists). */
export const PERMISSION_IDS: readonly Permission[] = PERMISSIONS.map((p) => p.id);

/** OWNER_ONLY_PERMISSIONS may be held only through the owner role: no custom role or grant may contain them. */
export const OWNER_ONLY_PERMISSIONS: readonly Permission[] = ["billing:manage", "ownership:transfer"];

/** BuiltInRoleName is a role every workspace has; `owner` is held by exactly one member and is never assignable. */
export type BuiltInRoleName = "owner" | "account-admin" | "developer";

/** BUILT_IN_ROLES maps each built-in role to its permissions, in catalog order. */
export const BUILT_IN_ROLES: Readonly<Record<BuiltInRoleName, { description: string; permissions: readonly Permission[] }>> = {
  owner: {
    description: "The workspace owner: every permission, including billing and ownership",
    permissions: PERMISSION_IDS,
  },
  "account-admin": {
    description: "Manages workspace infrastructure, operational settings and account access",
    permissions: [
      "billing:read",
      "access:manage",
      "resources:manage",
      "deployments:read",
      "logs:read",
      "settings:manage",
      "infrastructure:configure",
      "domains:manage",
    ],
  },
  developer: {
    description: "Manages application resources with limited administrative permissions",
    permissions: ["resources:manage", "deployments:read", "deployments:create", "logs:read", "config:read"],
  },
};

/** BUILT_IN_ROLE_NAMES lists the built-in roles, most privileged first. */
export const BUILT_IN_ROLE_NAMES: readonly BuiltInRoleName[] = ["owner", "account-admin", "developer"];

/** ASSIGNABLE_BUILT_IN_ROLES are the built-in roles a member may be given (never `owner`). */
export const ASSIGNABLE_BUILT_IN_ROLES: readonly BuiltInRoleName[] = ["account-admin", "developer"];

/** CUSTOM_ROLE_NAME_PATTERN lives with the identity grammar (schema/identity.ts); re-exported for the catalog's users. */
export { CUSTOM_ROLE_NAME_PATTERN } from "./identity.js";

/**
 * ADMIN_PERMISSION (access:manage) is the one name of the admin permission: every change
 * call of the Access API needs it, a member whose effective permissions include it counts
 * toward minAdmins, and its loss revokes the invitations its holder sent. Served to the
 * dashboard as `admin: true` in GET /permissions.
 */
export const ADMIN_PERMISSION: Permission = "access:manage";

/** HIGH_RISK_PERMISSIONS make a change high risk when gained. */
export const HIGH_RISK_PERMISSIONS: readonly Permission[] = ["access:manage", "billing:read"];

/** REVIEW_HIGH_RISK_PERMISSIONS are the permissions `review` marks as high risk (docs/review.md), catalog order. */
export const REVIEW_HIGH_RISK_PERMISSIONS: readonly Permission[] = ["billing:read", "access:manage", "settings:manage", "infrastructure:configure"];

/** permissionCatalog is the catalog as GET /permissions serves it: every permission in catalog order, with the facts a client must not copy. */
export function permissionCatalog(): PermissionInfo[] {
  return PERMISSIONS.map((p) => ({
    id: p.id,
    description: p.description,
    ownerOnly: OWNER_ONLY_PERMISSIONS.includes(p.id),
    admin: p.id === ADMIN_PERMISSION,
    reviewHighRisk: REVIEW_HIGH_RISK_PERMISSIONS.includes(p.id),
  }));
}

/** isPermission tells whether a string is a catalog permission id. */
export function isPermission(value: string): value is Permission {
  return (PERMISSION_IDS as readonly string[]).includes(value);
}

/** isBuiltInRole tells whether a role name is built in. */
export function isBuiltInRole(name: string): name is BuiltInRoleName {
  return (BUILT_IN_ROLE_NAMES as readonly string[]).includes(name);
}

/** normalizeEmail is the identity of an email everywhere: identity.ts's canonical form (trimmed, NFC, lower-cased, ASCII domain). */
export function normalizeEmail(email: string): string {
  return canonicalEmail(email);
}
