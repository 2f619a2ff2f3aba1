import type { Role } from "../../schema/api.js";
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLES } from "../../schema/catalog.js";
import { builtInPermissions, type RoleLookup } from "../access.js";
import type { Db } from "../db/open.js";
import { parseList, type RoleRow } from "./rows.js";

/** roleRepository reads and writes a workspace's custom roles (built-in roles live in schema/catalog.ts). */
export function roleRepository(db: Db) {
  const list = db.prepare<[number], RoleRow>("SELECT * FROM roles WHERE workspace_id = ? ORDER BY name");
  const get = db.prepare<[number, string], RoleRow>("SELECT * FROM roles WHERE workspace_id = ? AND name = ?");
  const insert = db.prepare<[number, string, string, string]>(
    "INSERT INTO roles (workspace_id, name, description, permissions, version) VALUES (?, ?, ?, ?, 1)",
  );
  const update = db.prepare<[string, string, number, string]>(
    "UPDATE roles SET description = ?, permissions = ?, version = version + 1 WHERE workspace_id = ? AND name = ?",
  );
  const setManager = db.prepare<[string | null, number, string]>("UPDATE roles SET managed_by = ? WHERE workspace_id = ? AND name = ?");
  const remove = db.prepare<[number, string]>("DELETE FROM roles WHERE workspace_id = ? AND name = ?");
  return {
    list: (workspaceId: number) => list.all(workspaceId),
    get: (workspaceId: number, name: string) => get.get(workspaceId, name),
    insert: (workspaceId: number, name: string, description: string, permissions: string[]) =>
      void insert.run(workspaceId, name, description, JSON.stringify(permissions)),
    update: (workspaceId: number, name: string, description: string, permissions: string[]) =>
      void update.run(description, JSON.stringify(permissions), workspaceId, name),
    remove: (workspaceId: number, name: string) => void remove.run(workspaceId, name),
    /** setManager sets managedBy without bumping the version (the write that sets it bumps it once). */
    setManager: (workspaceId: number, name: string, managedBy: string | null) => void setManager.run(managedBy, workspaceId, name),
    /** lookup resolves built-in and custom role names of a workspace; one query per call, cached for its lifetime. */
    lookup(workspaceId: number): RoleLookup {
      const custom = new Map(list.all(workspaceId).map((r) => [r.name, parseList(r.permissions)]));
      return (name) => builtInPermissions(name) ?? custom.get(name);
    },
  };
}

/** builtInRoles is the API shape of the built-in roles, most privileged first. */
export function builtInRoles(): Role[] {
  return BUILT_IN_ROLE_NAMES.map((name) => ({
    name,
    description: BUILT_IN_ROLES[name].description,
    permissions: [...BUILT_IN_ROLES[name].permissions],
    builtIn: true,
  }));
}

/** toRole is the API shape of a custom role row. */
export function toRole(row: RoleRow): Role {
  return {
    name: row.name,
    description: row.description,
    permissions: parseList(row.permissions),
    builtIn: false,
    version: row.version,
    managedBy: row.managed_by,
  };
}
