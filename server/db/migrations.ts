/**
 * MIGRATIONS is the schema history of the reference server's SQLite database, applied
 * in order inside one transaction each; `PRAGMA user_version` records how many ran.
 * Append only: never edit a migration that has shipped.
 *
 * Conventions: `seq` columns are the stable list order (monotonic, survive concurrent
 * inserts); times are integer milliseconds since the epoch; permission lists are JSON
 * arrays in catalog order; tokens are stored as SHA-256 hex only.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE workspaces (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    owner_email TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
  );
  CREATE TABLE members (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL,
    permissions  TEXT NOT NULL,
    joined_at    INTEGER NOT NULL,
    invited_by   TEXT,
    version      INTEGER NOT NULL,
    UNIQUE (workspace_id, email)
  );
  CREATE INDEX members_role ON members(workspace_id, role);
  CREATE TABLE api_tokens (
    hash       TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX api_tokens_member ON api_tokens(member_id);
  CREATE TABLE invitations (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL,
    permissions  TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'revoked')),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    send_count   INTEGER NOT NULL,
    last_sent_at INTEGER NOT NULL,
    invited_by   TEXT NOT NULL,
    version      INTEGER NOT NULL
  );
  CREATE INDEX invitations_email ON invitations(workspace_id, email);
  CREATE TABLE invitation_tokens (
    hash          TEXT PRIMARY KEY,
    invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
    current       INTEGER NOT NULL
  );
  CREATE INDEX invitation_tokens_invitation ON invitation_tokens(invitation_id);
  CREATE TABLE roles (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    permissions  TEXT NOT NULL,
    version      INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
  );
  CREATE TABLE audit_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target       TEXT NOT NULL,
    before       TEXT,
    after        TEXT,
    request_id   TEXT NOT NULL
  );
  CREATE INDEX audit_events_workspace ON audit_events(workspace_id, seq);
  CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    etag         TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  );
  `,
  // 2: the reason of an automatic change (invitations revoked with their sender's authority);
  // finding a sender's open invitations; purging expired idempotency records by age.
  `
  ALTER TABLE audit_events ADD COLUMN reason TEXT;
  CREATE INDEX invitations_sender ON invitations(workspace_id, invited_by) WHERE state = 'pending';
  CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
  `,
  // 3: the client that made each change (`antryk-access`, `dashboard`, `api`, `server`) and, for
  // antryk-access, its version; NULL on events recorded before (read as `unknown`).
  `
  ALTER TABLE audit_events ADD COLUMN client TEXT;
  ALTER TABLE audit_events ADD COLUMN client_version TEXT;
  `,
  // 4: who manages a member, an invitation or a custom role (`X-Antryk-Manager`; NULL: nobody), and
  // the manager each change was made for (NULL: none, or recorded before).
  `
  ALTER TABLE members ADD COLUMN managed_by TEXT;
  ALTER TABLE invitations ADD COLUMN managed_by TEXT;
  ALTER TABLE roles ADD COLUMN managed_by TEXT;
  ALTER TABLE audit_events ADD COLUMN manager TEXT;
  `,
  // 5: an open invitation's sponsor: whose access:manage keeps it valid (the sender, then whoever
  // last changed, resent or took it over); existing invitations start with their sender.
  `
  ALTER TABLE invitations ADD COLUMN sponsor TEXT NOT NULL DEFAULT '';
  UPDATE invitations SET sponsor = invited_by;
  CREATE INDEX invitations_sponsor ON invitations(workspace_id, sponsor) WHERE state = 'pending';
  `,
  // 6: access activity (server/activity.ts): when a member last used a token and through which client
  // (`dashboard`, `antryk-access`, `api`); NULL for a member never seen. Written in batches, at most once
  // per member per flush window, never bumping `version` (activity is not access).
  `
  ALTER TABLE members ADD COLUMN last_active_at INTEGER;
  ALTER TABLE members ADD COLUMN last_active_via TEXT;
  `,
  // 7: time-bound access (`accessExpiresAt`): when a member's access, or an invitation's future
  // member's, ends (epoch ms; NULL: never). Past it the member's tokens are refused and the invitation
  // cannot be accepted; an accepted invitation passes it on to its member.
  `
  ALTER TABLE members ADD COLUMN access_expires_at INTEGER;
  ALTER TABLE invitations ADD COLUMN access_expires_at INTEGER;
  `,
];
