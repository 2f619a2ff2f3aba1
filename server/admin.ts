import { ConfigError } from "../errors.js";
import { normalizeEmail } from "../schema/catalog.js";
import { openDatabase, type Db } from "./db/open.js";
import { escapeInvisible, parseEmail } from "../schema/identity.js";
import { WORKSPACE_NAME_PATTERN } from "./names.js";
import type { NewAuditEvent } from "./repositories/audit.js";
import { toWorkspace } from "./repositories/workspaces.js";
import { createRepositories, type Repositories } from "./repositories/index.js";
import { API_TOKEN_PREFIX, hashSecret, newId, newSecret } from "./secrets.js";

/**
 * Administration of the workspace database outside the API: creating a workspace with
 * its owner, and issuing API tokens. These are what `antryk-access serve init` and
 * `serve token` run; tokens are returned once and only their hashes are stored.
 */

/** WorkspaceExistsError: initWorkspace was asked to create a workspace the database already holds (nothing was changed). */
export class WorkspaceExistsError extends ConfigError {}

/** initWorkspace creates the database if needed and the workspace with its owner, returning the owner's API token. An existing workspace is an error that changes nothing. */
export function initWorkspace(dbPath: string, options: { workspace: string; owner: string; now?: () => Date }): string {
  const parsedOwner = parseEmail(options.owner);
  if (!WORKSPACE_NAME_PATTERN.test(options.workspace)) {
    throw new ConfigError(`invalid workspace name "${options.workspace}": use letters, digits, ".", "_" and "-" (up to 100)`);
  }
  if (!parsedOwner.ok) throw new ConfigError(`invalid owner email "${escapeInvisible(options.owner)}": it ${parsedOwner.reason}`);
  const owner = parsedOwner.value;
  return withDatabase(dbPath, (repos) => {
    const now = (options.now?.() ?? new Date()).getTime();
    return repos.db
      .transaction(() => {
        if (repos.workspaces.byName(options.workspace)) {
          throw new WorkspaceExistsError(`workspace "${options.workspace}" already exists in ${dbPath}; nothing was changed`);
        }
        const wsId = repos.workspaces.insert(options.workspace, owner, now);
        const memberId = newId("mem_");
        repos.members.insert({ id: memberId, workspaceId: wsId, email: owner, role: "owner", permissions: [], joinedAt: now, invitedBy: null });
        repos.audit.append({
          workspaceId: wsId,
          at: now,
          actor: owner,
          action: "workspace.created",
          target: options.workspace,
          before: null,
          after: toWorkspace(repos.workspaces.byId(wsId)!),
          requestId: "cli",
          client: "server",
        });
        return issue(repos, memberId, now);
      })
      .immediate();
  });
}

/** workspaceNames lists the workspaces a database holds, sorted (the embedded workspace refuses a name it does not hold yet, a likely typo). */
export function workspaceNames(dbPath: string): string[] {
  return withDatabase(dbPath, (repos) =>
    (repos.db.prepare("SELECT name FROM workspaces ORDER BY name").all() as { name: string }[]).map((r) => r.name),
  );
}

/** issueToken returns a new API token for an existing member of an existing workspace. */
export function issueToken(dbPath: string, options: { workspace: string; email: string }): string {
  const email = normalizeEmail(options.email);
  return withDatabase(dbPath, (repos) => {
    const ws = repos.workspaces.byName(options.workspace);
    if (!ws) throw new ConfigError(`workspace "${options.workspace}" does not exist in ${dbPath}`);
    const member = repos.members.byEmail(ws.id, email);
    if (!member) throw new ConfigError(`${email} is not a member of workspace "${options.workspace}"`);
    return issue(repos, member.id, Date.now());
  });
}

/**
 * seedMembers inserts members straight into the database in one transaction, without
 * audit events or a revision bump: for tests and benchmarks that need thousands of
 * members fast. Not part of the API and not exported from the library.
 */
export function seedMembers(
  dbPath: string,
  options: { workspace: string; emails: readonly string[]; role?: string; now?: number },
): void {
  withDatabase(dbPath, (repos) => {
    const ws = repos.workspaces.byName(options.workspace);
    if (!ws) throw new ConfigError(`workspace "${options.workspace}" does not exist in ${dbPath}`);
    const now = options.now ?? Date.now();
    repos.db.transaction(() => {
      for (const email of options.emails) {
        repos.members.insert({
          id: newId("mem_"),
          workspaceId: ws.id,
          email: normalizeEmail(email),
          role: options.role ?? "developer",
          permissions: [],
          joinedAt: now,
          invitedBy: ws.owner_email,
        });
      }
    })();
  });
}

/**
 * seedAuditEvents appends access-history events straight to the database, oldest first, in
 * one transaction (benches and tests: a long history without making every change through
 * the API). The workspace must exist; nothing else is checked or changed.
 */
export function seedAuditEvents(dbPath: string, options: { workspace: string; events: readonly Omit<NewAuditEvent, "workspaceId">[] }): void {
  withDatabase(dbPath, (repos) => {
    const ws = repos.workspaces.byName(options.workspace);
    if (!ws) throw new ConfigError(`workspace "${options.workspace}" does not exist in ${dbPath}`);
    repos.db.transaction(() => {
      for (const e of options.events) repos.audit.append({ ...e, workspaceId: ws.id });
    })();
  });
}

function issue(repos: Repositories, memberId: string, now: number): string {
  const token = newSecret(API_TOKEN_PREFIX);
  repos.tokens.insert(hashSecret(token), memberId, now);
  return token;
}

function withDatabase<T>(dbPath: string, work: (repos: Repositories) => T): T {
  let db: Db | undefined;
  try {
    db = openDatabase(dbPath);
    return work(createRepositories(db));
  } finally {
    db?.close();
  }
}
