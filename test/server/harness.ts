import { dumpDatabase, extend, startWorkspaceServer, type Answer, type Call, type StartOptions, type TestClock, type WorkspaceServer } from "../support/server.js";

export { dumpDatabase, testClock, type Answer, type Call, type TestClock } from "../support/server.js";

/**
 * The server suites' harness: the shared workspace server (test/support/server.ts) for
 * workspace "acme" owned by founder@acme.io, with the answer of each request as data.
 */

export const WORKSPACE = "acme";
export const OWNER = "founder@acme.io";

/** TestWorkspace is a started test workspace. */
export interface TestWorkspace extends WorkspaceServer {
  /** call sends one request; the owner's token unless `token` says otherwise (null: no Authorization). */
  call(method: string, path: string, call?: Call): Promise<Answer>;
  /** addMember invites and accepts `email` with the owner's token, returning the new member and a token for it. */
  addMember(email: string, role: string, permissions?: string[]): Promise<{ member: any; token: string }>;
  /** outbox lists the dev outbox of the test workspace (as the owner), loosely typed for the suites' probing. */
  outbox(): Promise<any[]>;
  /** dump is every row of every table, for "the database did not change" checks. */
  dump(): string;
}

/** startWorkspace creates a workspace in a fresh temp database and starts a server on it (dev outbox on, rate limit off unless given). */
export async function startWorkspace(options: StartOptions & { clock?: TestClock } = {}): Promise<TestWorkspace> {
  const { clock, ...server } = options;
  const ws = await startWorkspaceServer({ workspace: WORKSPACE, owner: OWNER, prefix: "antryk-server-", server, ...(clock ? { now: clock.now } : {}) });
  return extend(ws, {
    call: ws.request,
    addMember: async (email: string, role: string, permissions?: string[]) => ({ member: await ws.join(email, role, permissions), token: ws.tokenFor(email) }),
    dump: () => dumpDatabase(ws.dbPath),
  });
}

/** wsPath is the path of the test workspace plus `rest`. */
export function wsPath(rest = ""): string {
  return `/v1/workspaces/${WORKSPACE}${rest}`;
}
