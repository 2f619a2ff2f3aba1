import type { ActivityVia, Member, MemberStatus } from "../../schema/api.js";
import { effectivePermissions, type RoleLookup } from "../access.js";
import type { Db } from "../db/open.js";
import { iso, parseList, type MemberRow } from "./rows.js";

/** NewMember is what inserting a member needs; `seq` and `version` are assigned. */
export interface NewMember {
  id: string;
  workspaceId: number;
  email: string;
  role: string;
  permissions: string[];
  joinedAt: number;
  invitedBy: string | null;
  /** managedBy is the manager id that owns it (an accepted invitation passes its own on); null or absent: nobody. */
  managedBy?: string | null;
  /** accessExpiresAt is when its access ends (an accepted invitation passes its own on); null or absent: never. */
  accessExpiresAt?: number | null;
}

/** memberRepository reads and writes the members table; lists are ordered by `seq` (join order). */
export function memberRepository(db: Db) {
  const byId = db.prepare<[number, string], MemberRow>("SELECT * FROM members WHERE workspace_id = ? AND id = ?");
  const byEmail = db.prepare<[number, string], MemberRow>("SELECT * FROM members WHERE workspace_id = ? AND email = ?");
  const page = db.prepare<[number, number, number], MemberRow>(
    "SELECT * FROM members WHERE workspace_id = ? AND seq > ? ORDER BY seq LIMIT ?",
  );
  const managedPage = db.prepare<[number, number, string | null, number], MemberRow>(
    "SELECT * FROM members WHERE workspace_id = ? AND seq > ? AND managed_by IS ? ORDER BY seq LIMIT ?",
  );
  const setManager = db.prepare<[string | null, string]>("UPDATE members SET managed_by = ? WHERE id = ?");
  const insert = db.prepare(
    `INSERT INTO members (id, workspace_id, email, role, permissions, joined_at, invited_by, version, managed_by, access_expires_at)
     VALUES (@id, @workspaceId, @email, @role, @permissions, @joinedAt, @invitedBy, 1, @managedBy, @accessExpiresAt)`,
  );
  const update = db.prepare<[string, string, number | null, string]>(
    "UPDATE members SET role = ?, permissions = ?, access_expires_at = ?, version = version + 1 WHERE id = ?",
  );
  const inactivePage = db.prepare<[number, number, number, number], MemberRow>(
    "SELECT * FROM members WHERE workspace_id = ? AND seq > ? AND coalesce(last_active_at, joined_at) < ? ORDER BY seq LIMIT ?",
  );
  const remove = db.prepare<[string]>("DELETE FROM members WHERE id = ?");
  const countRole = db.prepare<[number, string], { n: number }>(
    "SELECT count(*) AS n FROM members WHERE workspace_id = ? AND role = ?",
  );
  const withRole = db.prepare<[number, string], MemberRow>("SELECT * FROM members WHERE workspace_id = ? AND role = ? ORDER BY seq");
  const emails = db.prepare<[number], { email: string }>("SELECT email FROM members WHERE workspace_id = ?");
  return {
    byId: (workspaceId: number, id: string) => byId.get(workspaceId, id),
    byEmail: (workspaceId: number, email: string) => byEmail.get(workspaceId, email),
    /** page returns up to `limit` members after the one with `afterSeq`, in join order. */
    page: (workspaceId: number, afterSeq: number, limit: number) => page.all(workspaceId, afterSeq, limit),
    /** pageManagedBy is `page` narrowed to the members whose managedBy is `managedBy` (null: unmanaged). */
    pageManagedBy: (workspaceId: number, afterSeq: number, managedBy: string | null, limit: number) =>
      managedPage.all(workspaceId, afterSeq, managedBy, limit),
    insert: (m: NewMember) =>
      void insert.run({ ...m, managedBy: m.managedBy ?? null, accessExpiresAt: m.accessExpiresAt ?? null, permissions: JSON.stringify(m.permissions) }),
    /** setManager sets managedBy without bumping the version (the write that sets it bumps it once). */
    setManager: (id: string, managedBy: string | null) => void setManager.run(managedBy, id),
    /** inactivePage is page() of the members whose stored activity (or, never active, joining) is before `cutoff`; unflushed activity is the caller's to merge. */
    inactivePage: (workspaceId: number, afterSeq: number, cutoff: number, limit: number) => inactivePage.all(workspaceId, afterSeq, cutoff, limit),
    update: (id: string, role: string, permissions: string[], accessExpiresAt: number | null) =>
      void update.run(role, JSON.stringify(permissions), accessExpiresAt, id),
    /** remove deletes a member; its API tokens go with it (foreign key cascade). */
    remove: (id: string) => void remove.run(id),
    withRole: (workspaceId: number, role: string) => withRole.all(workspaceId, role),
    countWithRole: (workspaceId: number, role: string) => countRole.get(workspaceId, role)!.n,
    /** emails lists every member's e-mail (the look-alike check of a new invitation). */
    emails: (workspaceId: number) => emails.all(workspaceId).map((r) => r.email),
  };
}

/** accessExpired tells whether a member's (or an invitation's) access has ended at `now`: its accessExpiresAt is set and not after `now`. */
export function accessExpired(row: Pick<MemberRow, "access_expires_at">, now: number): boolean {
  return row.access_expires_at !== null && row.access_expires_at <= now;
}

/** memberStatusAt decides a member's status at `now`: `expired` once its access has ended, else `active`. */
export function memberStatusAt(row: Pick<MemberRow, "access_expires_at">, now: number): MemberStatus {
  return accessExpired(row, now) ? "expired" : "active";
}

/** toMember is the API shape of a member row at `now` with its stored activity (ActivityTracker.overlay merges the unflushed); `lookup` resolves its role's permissions. */
export function toMember(row: MemberRow, lookup: RoleLookup, now: number): Member {
  const permissions = parseList(row.permissions);
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    permissions,
    effectivePermissions: effectivePermissions(row.role, permissions, lookup),
    joinedAt: iso(row.joined_at),
    invitedBy: row.invited_by,
    version: row.version,
    managedBy: row.managed_by,
    lastActiveAt: row.last_active_at === null ? null : iso(row.last_active_at),
    lastActiveVia: row.last_active_at === null ? null : (row.last_active_via as ActivityVia),
    accessExpiresAt: row.access_expires_at === null ? null : iso(row.access_expires_at),
    status: memberStatusAt(row, now),
  };
}
