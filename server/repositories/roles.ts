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
  const pageManaged = db.prepare<[number, string, string | null, number], RoleRow>(
    "SELECT * FROM roles WHERE workspace_id = ? AND name > ? AND managed_by IS ? ORDER BY name LIMIT ?",
  );
  const pageAfter = db.prepare<[number, string, number], RoleRow>("SELECT * FROM roles WHERE workspace_id = ? AND name > ? ORDER BY name LIMIT ?");
  const count = db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM roles WHERE workspace_id = ?");
  return {
    list: (workspaceId: number) => list.all(workspaceId),
    /** page returns up to `limit` custom roles named after `afterName` ("" for the first), by name; `managed` keeps one manager's (null: nobody's). */
    page: (workspaceId: number, afterName: string, limit: number, managed?: { managedBy: string | null }) =>
      managed === undefined ? pageAfter.all(workspaceId, afterName, limit) : pageManaged.all(workspaceId, afterName, managed.managedBy, limit),
    /** count is how many custom roles the workspace defines. */
    count: (workspaceId: number) => count.get(workspaceId)!.n,
    get: (workspaceId: number, name: string) => get.get(workspaceId, name),
    insert: (workspaceId: number, name: string, description: string, permissions: string[]) =>
      void insert.run(workspaceId, name, description, JSON.stringify(permissions)),
    update: (workspaceId: number, name: string, description: string, permissions: string[]) =>
      void update.run(description, JSON.stringify(permissions), workspaceId, name),
    remove: (workspaceId: number, name: string) => void remove.run(workspaceId, name),
    /** setManager sets managedBy without bumping the version (the write that sets it bumps it once). */
    setManager: (workspaceId: number, name: string, managedBy: string | null) => void setManager.run(managedBy, workspaceId, name),
    /** lookup resolves built-in and custom role names of a workspace, reading each custom role when first asked (never the whole list) and caching it for the lookup's lifetime. */
    lookup(workspaceId: number): RoleLookup {
      const custom = new Map<string, readonly string[] | undefined>();
      return (name) => {
        const builtIn = builtInPermissions(name);
        if (builtIn) return builtIn;
        if (!custom.has(name)) {
          const row = get.get(workspaceId, name);
          custom.set(name, row ? parseList(row.permissions) : undefined);
        }
        return custom.get(name);
      };
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
