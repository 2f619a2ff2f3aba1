/** Row types: the columns of the reference server's tables as better-sqlite3 returns them. */

/** WorkspaceRow is a row of `workspaces`. */
export interface WorkspaceRow {
  id: number;
  name: string;
  owner_email: string;
  revision: number;
  created_at: number;
}

/** MemberRow is a row of `members`; `permissions` is a JSON array of extra grants. */
export interface MemberRow {
  seq: number;
  id: string;
  workspace_id: number;
  email: string;
  role: string;
  permissions: string;
  joined_at: number;
  invited_by: string | null;
  version: number;
  /** managed_by is the manager id that owns the member (null: nobody; migration 4). */
  managed_by: string | null;
  /** last_active_at is when the member's token was last used, as flushed (null: never, or not yet flushed; migration 6). */
  last_active_at: number | null;
  /** last_active_via is the client of that request (`dashboard`, `antryk-access`, `api`). */
  last_active_via: string | null;
  /** access_expires_at is when the member's access ends (null: never; migration 7). */
  access_expires_at: number | null;
}

/** InvitationRow is a row of `invitations`; `state` is stored, the status (with expiry) is decided at read time. */
export interface InvitationRow {
  seq: number;
  id: string;
  workspace_id: number;
  email: string;
  role: string;
  permissions: string;
  state: "pending" | "accepted" | "revoked";
  created_at: number;
  expires_at: number;
  send_count: number;
  last_sent_at: number;
  invited_by: string;
  /** sponsor is the member whose access:manage keeps the invitation valid (docs/api.md, "Sponsors"). */
  sponsor: string;
  version: number;
  /** managed_by is the manager id that owns the invitation (null: nobody; migration 4). */
  managed_by: string | null;
  /** access_expires_at is when the access it grants ends (null: never; migration 7); past it, it cannot be accepted. */
  access_expires_at: number | null;
}

/** RoleRow is a custom role of `roles`. */
export interface RoleRow {
  seq: number;
  workspace_id: number;
  name: string;
  description: string;
  permissions: string;
  version: number;
  /** managed_by is the manager id that owns the role (null: nobody; migration 4). */
  managed_by: string | null;
}

/** AuditRow is a row of `audit_events`; `before` and `after` are JSON or null. */
export interface AuditRow {
  seq: number;
  id: string;
  workspace_id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
  request_id: string;
  /** reason explains a change the server made on its own (null for a change the actor asked for). */
  reason: string | null;
  /** client is the AuditClient that made the change (null: recorded before migration 3). */
  client: string | null;
  client_version: string | null;
  /** manager is the `X-Antryk-Manager` the change was made for (null: none, or recorded before migration 4). */
  manager: string | null;
}

/** IdempotencyRow is a stored first answer of `idempotency_keys`. */
export interface IdempotencyRow {
  scope: string;
  key: string;
  request_hash: string;
  status: number;
  body: string;
  etag: string | null;
  created_at: number;
}

/** iso renders a stored millisecond time as the API's ISO 8601 string. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** parseList reads a stored JSON array of strings. */
export function parseList(json: string): string[] {
  return JSON.parse(json) as string[];
}
