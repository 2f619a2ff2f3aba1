import type { Invitation, InvitationStatus } from "../../schema/api.js";
import { invitationStatusAt } from "../../schema/invitation-status.js";
import type { Db } from "../db/open.js";
import { iso, parseList, type InvitationRow } from "./rows.js";
import { peopleFilterSql, type PeopleFilter } from "../people-filter.js";

/** NewInvitation is what inserting an invitation needs; `seq` and `version` are assigned. */
export interface NewInvitation {
  id: string;
  workspaceId: number;
  email: string;
  role: string;
  permissions: string[];
  createdAt: number;
  expiresAt: number;
  invitedBy: string;
  /** managedBy is the manager id that owns it; null or absent: nobody. */
  managedBy?: string | null;
  /** accessExpiresAt is when the access it grants ends; null or absent: never. */
  accessExpiresAt?: number | null;
}

/** INVITATION_STATUSES lists every status an invitation can read as. */
export const INVITATION_STATUSES: readonly InvitationStatus[] = ["pending", "accepted", "expired", "revoked"];

/** statusAt decides an invitation row's status at `now` by the shared rule (invitationStatusAt, schema/invitation-status.ts). */
export function statusAt(row: Pick<InvitationRow, "state" | "expires_at" | "access_expires_at">, now: number): InvitationStatus {
  return invitationStatusAt(row.state, row.expires_at, row.access_expires_at, now);
}

/** OPEN_SQL is statusAt's `pending` in SQL: neither the invitation nor the access it grants has expired at `now`. */
const OPEN_SQL = (now: string) => `state = 'pending' AND expires_at > ${now} AND coalesce(access_expires_at > ${now}, 1)`;

const STATUS_SQL: Record<InvitationStatus, string> = {
  pending: `(${OPEN_SQL("@now")})`,
  expired: `(state = 'pending' AND NOT (${OPEN_SQL("@now")}))`,
  accepted: "state = 'accepted'",
  revoked: "state = 'revoked'",
};

/** listSql renders a list query's narrowing as a WHERE fragment (after the workspace) and its named parameters (better-sqlite3 refuses unused ones). */
function listSql(
  statuses: readonly InvitationStatus[],
  now: number,
  managed: { managedBy: string | null } | undefined,
  people: PeopleFilter,
): { sql: string; params: Record<string, number | string | null> } {
  const search = peopleFilterSql(people);
  const params: Record<string, number | string | null> = { ...search.params };
  let sql = statuses.length === 0 ? "" : `AND (${statuses.map((s) => STATUS_SQL[s]).join(" OR ")})`;
  if (statuses.some((s) => s === "pending" || s === "expired")) params.now = now;
  if (managed !== undefined) {
    sql += " AND managed_by IS @managedBy";
    params.managedBy = managed.managedBy;
  }
  return { sql: `${sql} ${search.sql}`, params };
}

/** invitationRepository reads and writes invitations and their (hashed) tokens; lists are in creation order. */
export function invitationRepository(db: Db) {
  const byId = db.prepare<[number, string], InvitationRow>("SELECT * FROM invitations WHERE workspace_id = ? AND id = ?");
  const openByEmail = db.prepare<[{ ws: number; email: string; now: number }], InvitationRow>(
    `SELECT * FROM invitations WHERE workspace_id = @ws AND email = @email AND ${OPEN_SQL("@now")} LIMIT 1`,
  );
  const openEmails = db.prepare<[{ ws: number; now: number }], { email: string }>(`SELECT email FROM invitations WHERE workspace_id = @ws AND ${OPEN_SQL("@now")}`);
  const insert = db.prepare(
    `INSERT INTO invitations (id, workspace_id, email, role, permissions, state, created_at, expires_at,
       send_count, last_sent_at, invited_by, sponsor, version, managed_by, access_expires_at)
     VALUES (@id, @workspaceId, @email, @role, @permissions, 'pending', @createdAt, @expiresAt, 1, @createdAt, @invitedBy, @invitedBy, 1, @managedBy, @accessExpiresAt)`,
  );
  const update = db.prepare<[string, string, number | null, string, string]>(
    "UPDATE invitations SET role = ?, permissions = ?, access_expires_at = ?, sponsor = ?, version = version + 1 WHERE id = ?",
  );
  const resend = db.prepare<[number, number, string, string]>(
    `UPDATE invitations SET expires_at = ?, last_sent_at = ?, send_count = send_count + 1, sponsor = ?, version = version + 1
     WHERE id = ?`,
  );
  const setManager = db.prepare<[string | null, string]>("UPDATE invitations SET managed_by = ? WHERE id = ?");
  const setSponsor = db.prepare<[string, string]>("UPDATE invitations SET sponsor = ? WHERE id = ?");
  const setState = db.prepare<[string, string]>("UPDATE invitations SET state = ?, version = version + 1 WHERE id = ?");
  const retireTokens = db.prepare<[string]>("UPDATE invitation_tokens SET current = 0 WHERE invitation_id = ?");
  const insertToken = db.prepare<[string, string]>(
    "INSERT INTO invitation_tokens (hash, invitation_id, current) VALUES (?, ?, 1)",
  );
  const tokenLookup = db.prepare<[string], InvitationRow & { current: number }>(
    `SELECT i.*, t.current AS current FROM invitation_tokens t JOIN invitations i ON i.id = t.invitation_id
     WHERE t.hash = ?`,
  );
  const pendingWithRole = db.prepare<[{ ws: number; role: string; now: number }], { n: number }>(
    `SELECT count(*) AS n FROM invitations WHERE workspace_id = @ws AND role = @role AND ${OPEN_SQL("@now")}`,
  );
  const openBySponsor = db.prepare<[number, string], InvitationRow>(
    "SELECT * FROM invitations WHERE workspace_id = ? AND sponsor = ? AND state = 'pending' ORDER BY seq",
  );
  const statements = new Map<string, ReturnType<typeof db.prepare>>();
  // one prepared statement per shape of list query (which statuses and filters), made on first use
  const statement = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };

  return {
    byId: (workspaceId: number, id: string) => byId.get(workspaceId, id),
    /** openByEmail is the email's pending (unexpired) invitation, if any. */
    openByEmail: (workspaceId: number, email: string, now: number) => openByEmail.get({ ws: workspaceId, email, now }),
    /** openEmails lists the e-mails of pending (unexpired) invitations (the look-alike check of a new one). */
    openEmails: (workspaceId: number, now: number) => openEmails.all({ ws: workspaceId, now }).map((r) => r.email),
    /** page lists invitations after `afterSeq` whose status at `now` is one of `statuses`, narrowed by a manager and a people filter. */
    page(
      workspaceId: number,
      afterSeq: number,
      limit: number,
      statuses: readonly InvitationStatus[],
      now: number,
      managed?: { managedBy: string | null },
      people: PeopleFilter = {},
    ): InvitationRow[] {
      const { sql, params } = listSql(statuses, now, managed, people);
      return statement(`SELECT * FROM invitations WHERE workspace_id = @ws AND seq > @after ${sql} ORDER BY seq LIMIT @limit`).all({
        ...params,
        ws: workspaceId,
        after: afterSeq,
        limit,
      }) as InvitationRow[];
    },
    /** count is how many invitations `page` finds over all pages. */
    count(workspaceId: number, statuses: readonly InvitationStatus[], now: number, managed?: { managedBy: string | null }, people: PeopleFilter = {}): number {
      const { sql, params } = listSql(statuses, now, managed, people);
      return (statement(`SELECT count(*) AS n FROM invitations WHERE workspace_id = @ws ${sql}`).get({ ...params, ws: workspaceId }) as { n: number }).n;
    },
    insert: (i: NewInvitation) =>
      void insert.run({ ...i, managedBy: i.managedBy ?? null, accessExpiresAt: i.accessExpiresAt ?? null, permissions: JSON.stringify(i.permissions) }),
    /** setManager sets managedBy without bumping the version (the write that sets it bumps it once). */
    setManager: (id: string, managedBy: string | null) => void setManager.run(managedBy, id),
    /** update changes a pending invitation's access and its end; `sponsor` (who changed it) becomes its sponsor. */
    update: (id: string, role: string, permissions: string[], accessExpiresAt: number | null, sponsor: string) =>
      void update.run(role, JSON.stringify(permissions), accessExpiresAt, sponsor, id),
    /** resend issues a new expiry; `sponsor` (who resent it) becomes its sponsor. */
    resend: (id: string, expiresAt: number, now: number, sponsor: string) => void resend.run(expiresAt, now, sponsor, id),
    /** setSponsor hands an open invitation to another sponsor; what it grants is unchanged, so its version is too. */
    setSponsor: (id: string, sponsor: string) => void setSponsor.run(sponsor, id),
    setState: (id: string, state: "accepted" | "revoked") => void setState.run(state, id),
    /** setToken makes `hash` the invitation's only current token; earlier tokens are kept as superseded. */
    setToken(id: string, hash: string) {
      retireTokens.run(id);
      insertToken.run(hash, id);
    },
    /** byToken resolves an invitation token hash, telling whether it is the current one. */
    byToken: (hash: string) => tokenLookup.get(hash),
    /** openBySponsor is every invitation `email` sponsors that is still pending or expired (an expired one can be resent). */
    openBySponsor: (workspaceId: number, email: string) => openBySponsor.all(workspaceId, email),
    pendingWithRole: (workspaceId: number, role: string, now: number) => pendingWithRole.get({ ws: workspaceId, role, now })!.n,
  };
}

/** toInvitation is the API shape of an invitation row, its status decided at `now`. */
export function toInvitation(row: InvitationRow, now: number): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    permissions: parseList(row.permissions),
    status: statusAt(row, now),
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    sendCount: row.send_count,
    lastSentAt: iso(row.last_sent_at),
    invitedBy: row.invited_by,
    sponsor: row.sponsor,
    version: row.version,
    managedBy: row.managed_by,
    accessExpiresAt: row.access_expires_at === null ? null : iso(row.access_expires_at),
  };
}
