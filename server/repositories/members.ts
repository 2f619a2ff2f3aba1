import type { ActivityVia, Member, MemberStatus } from "../../schema/api.js";
import { effectivePermissions, type RoleLookup } from "../access.js";
import type { Db } from "../db/open.js";
import { iso, parseList, type MemberRow } from "./rows.js";
import { peopleFilterSql, type PeopleFilter } from "../people-filter.js";
import type { KeyPosition } from "../pagination.js";

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

/** MemberSearch narrows a members page: a people filter, a manager, stored activity before a time. */
export interface MemberSearch {
  filter: PeopleFilter;
  managed?: { managedBy: string | null };
  inactiveBefore?: number;
}

/** MemberSort is a sorted members page: by a column (seq breaks ties, so the order is total and stable), after a position. */
export interface MemberSort {
  key: MemberSortKey;
  desc: boolean;
  after?: KeyPosition;
}

/** MemberSortKey names what a members list may be sorted by. */
export type MemberSortKey = "email" | "role" | "joined";

const SORT_COLUMNS: Record<MemberSortKey, "email" | "role" | "joined_at"> = { email: "email", role: "role", joined: "joined_at" };

/** sortValue is the value of `row` that MemberSort `key` orders by (what a cursor carries). */
export function sortValue(row: MemberRow, key: MemberSortKey): string | number {
  return row[SORT_COLUMNS[key]];
}

/** searchSql renders a MemberSearch as a WHERE fragment (after the workspace) and its named parameters. */
function searchSql(narrow: MemberSearch): { sql: string; params: Record<string, string | number | null> } {
  const filter = peopleFilterSql(narrow.filter);
  const params: Record<string, string | number | null> = { ...filter.params };
  let sql = filter.sql;
  if (narrow.managed !== undefined) {
    sql += " AND managed_by IS @managedBy";
    params.managedBy = narrow.managed.managedBy;
  }
  if (narrow.inactiveBefore !== undefined) {
    sql += " AND coalesce(last_active_at, joined_at) < @cutoff";
    params.cutoff = narrow.inactiveBefore;
  }
  return { sql, params };
}

/** memberRepository reads and writes the members table; lists are ordered by `seq` (join order). */
export function memberRepository(db: Db) {
  const byId = db.prepare<[number, string], MemberRow>("SELECT * FROM members WHERE workspace_id = ? AND id = ?");
  const byEmail = db.prepare<[number, string], MemberRow>("SELECT * FROM members WHERE workspace_id = ? AND email = ?");
  const setManager = db.prepare<[string | null, string]>("UPDATE members SET managed_by = ? WHERE id = ?");
  const insert = db.prepare(
    `INSERT INTO members (id, workspace_id, email, role, permissions, joined_at, invited_by, version, managed_by, access_expires_at)
     VALUES (@id, @workspaceId, @email, @role, @permissions, @joinedAt, @invitedBy, 1, @managedBy, @accessExpiresAt)`,
  );
  const update = db.prepare<[string, string, number | null, string]>(
    "UPDATE members SET role = ?, permissions = ?, access_expires_at = ?, version = version + 1 WHERE id = ?",
  );
  const remove = db.prepare<[string]>("DELETE FROM members WHERE id = ?");
  const countRole = db.prepare<[number, string], { n: number }>(
    "SELECT count(*) AS n FROM members WHERE workspace_id = ? AND role = ?",
  );
  const withRole = db.prepare<[number, string], MemberRow>("SELECT * FROM members WHERE workspace_id = ? AND role = ? ORDER BY seq");
  const emails = db.prepare<[number], { email: string }>("SELECT email FROM members WHERE workspace_id = ?");
  const statements = new Map<string, ReturnType<typeof db.prepare>>();
  // one prepared statement per shape of search (which filters are present), made on first use
  const statement = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
  return {
    /**
     * search returns up to `limit` members after the one with `afterSeq`, in join order, narrowed by a people filter (server/people-filter.ts), a manager
     * (`managedBy`, null: unmanaged) and stored activity (or, never active, joining) before `inactiveBefore` (unflushed activity is the caller's to merge).
     */
    search(workspaceId: number, afterSeq: number, limit: number, narrow: MemberSearch): MemberRow[] {
      const { sql, params } = searchSql(narrow);
      return statement(`SELECT * FROM members WHERE workspace_id = @ws AND seq > @after ${sql} ORDER BY seq LIMIT @limit`).all({ ...params, ws: workspaceId, after: afterSeq, limit }) as MemberRow[];
    },
    /** sorted is search() in the order of `sort` (column, then seq), after its position; a keyset page, stable under inserts and removals. */
    sorted(workspaceId: number, limit: number, narrow: MemberSearch, sort: MemberSort): MemberRow[] {
      const { sql, params } = searchSql(narrow);
      const column = SORT_COLUMNS[sort.key];
      const [cmp, dir] = sort.desc ? ["<", "DESC"] : [">", "ASC"];
      const after = sort.after === undefined ? "" : `AND (${column} ${cmp} @afterValue OR (${column} = @afterValue AND seq ${cmp} @afterSeq))`;
      const position = sort.after === undefined ? {} : { afterValue: sort.after.value, afterSeq: sort.after.seq };
      return statement(`SELECT * FROM members WHERE workspace_id = @ws ${sql} ${after} ORDER BY ${column} ${dir}, seq ${dir} LIMIT @limit`).all({
        ...params,
        ...position,
        ws: workspaceId,
        limit,
      }) as MemberRow[];
    },
    /** count is how many members `search` finds over all pages. */
    count(workspaceId: number, narrow: MemberSearch): number {
      const { sql, params } = searchSql(narrow);
      return (statement(`SELECT count(*) AS n FROM members WHERE workspace_id = @ws ${sql}`).get({ ...params, ws: workspaceId }) as { n: number }).n;
    },
    byId: (workspaceId: number, id: string) => byId.get(workspaceId, id),
    byEmail: (workspaceId: number, email: string) => byEmail.get(workspaceId, email),
    insert: (m: NewMember) =>
      void insert.run({ ...m, managedBy: m.managedBy ?? null, accessExpiresAt: m.accessExpiresAt ?? null, permissions: JSON.stringify(m.permissions) }),
    /** setManager sets managedBy without bumping the version (the write that sets it bumps it once). */
    setManager: (id: string, managedBy: string | null) => void setManager.run(managedBy, id),
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
