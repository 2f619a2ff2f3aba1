import type { Workspace } from "../../schema/api.js";
import type { Db } from "../db/open.js";
import { iso, type WorkspaceRow } from "./rows.js";

/** workspaceRepository reads and writes the workspaces table. */
export function workspaceRepository(db: Db) {
  const byName = db.prepare<[string], WorkspaceRow>("SELECT * FROM workspaces WHERE name = ?");
  const byId = db.prepare<[number], WorkspaceRow>("SELECT * FROM workspaces WHERE id = ?");
  const insert = db.prepare<[string, string, number]>(
    "INSERT INTO workspaces (name, owner_email, revision, created_at) VALUES (?, ?, 1, ?)",
  );
  const bump = db.prepare<[number]>("UPDATE workspaces SET revision = revision + 1 WHERE id = ?");
  return {
    byName: (name: string) => byName.get(name),
    byId: (id: number) => byId.get(id),
    insert: (name: string, owner: string, now: number) => Number(insert.run(name, owner, now).lastInsertRowid),
    /** bumpRevision marks a change to the workspace; every changing request calls it once. */
    bumpRevision: (id: number) => void bump.run(id),
  };
}

/** toWorkspace is the API shape of a workspace row. */
export function toWorkspace(row: WorkspaceRow): Workspace {
  return { name: row.name, owner: row.owner_email, revision: row.revision, createdAt: iso(row.created_at) };
}
