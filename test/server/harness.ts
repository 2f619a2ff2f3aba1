import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { initWorkspace, issueToken } from "../../server/admin.js";
import { startServer, type RunningServer, type ServerOptions } from "../../server/index.js";

/**
 * The server suites' harness: a real reference server on 127.0.0.1:0 over a real SQLite
 * file in a fresh temp folder, and a tiny HTTP helper (fetch) that returns status,
 * headers and the parsed JSON body.
 */

export const WORKSPACE = "acme";
export const OWNER = "founder@acme.io";

/** Answer is one HTTP answer as the suites look at it. */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** Call is one request: a bearer token (or null for none), a JSON body, extra headers. */
export interface Call {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** TestClock is a settable clock for the server's `now` option. */
export interface TestClock {
  now: () => Date;
  set(date: Date | string): void;
  advance(ms: number): void;
}

/** testClock starts at `start` and moves only when told to. */
export function testClock(start = "2027-01-01T00:00:00.000Z"): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (d) => void (current = new Date(d).getTime()),
    advance: (ms) => void (current += ms),
  };
}

/** Workspace is a started test workspace. */
export interface TestWorkspace {
  dir: string;
  dbPath: string;
  server: RunningServer;
  url: string;
  ownerToken: string;
  /** call sends one request; the owner's token unless `token` says otherwise (null: no Authorization). */
  call(method: string, path: string, call?: Call): Promise<Answer>;
  tokenFor(email: string): string;
  /** invite invites and accepts `email` with the owner's token, returning the new member and a token for it. */
  addMember(email: string, role: string, permissions?: string[]): Promise<{ member: any; token: string }>;
  /** outbox lists the dev outbox of the test workspace (as the owner). */
  outbox(): Promise<any[]>;
  /** dump is every row of every table, for "the database did not change" checks. */
  dump(): string;
  close(): Promise<void>;
}

/** startWorkspace creates a workspace in a fresh temp database and starts a server on it (dev outbox on, rate limit off unless given). */
export async function startWorkspace(options: Partial<Omit<ServerOptions, "dbPath">> & { clock?: TestClock } = {}): Promise<TestWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), "antryk-server-"));
  const dbPath = join(dir, "workspace.db");
  const { clock, ...serverOptions } = options;
  const ownerToken = initWorkspace(dbPath, { workspace: WORKSPACE, owner: OWNER, now: clock?.now });
  const server = await startServer({
    dbPath,
    devOutbox: true,
    rateLimit: false,
    ...(clock ? { now: clock.now } : {}),
    ...serverOptions,
  });
  const call = async (method: string, path: string, c: Call = {}): Promise<Answer> => {
    const token = c.token === undefined ? ownerToken : c.token;
    const headers: Record<string, string> = { ...(token === null ? {} : { authorization: `Bearer ${token}` }) };
    let body: string | undefined;
    if (c.rawBody !== undefined) body = c.rawBody;
    else if (c.body !== undefined) {
      body = JSON.stringify(c.body);
      headers["content-type"] = "application/json";
    }
    const res = await fetch(server.url + path, { method, headers: { ...headers, ...c.headers }, body });
    const text = await res.text();
    let parsed: unknown = null;
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const ws: TestWorkspace = {
    dir,
    dbPath,
    server,
    url: server.url,
    ownerToken,
    call,
    tokenFor: (email) => issueToken(dbPath, { workspace: WORKSPACE, email }),
    async addMember(email, role, permissions) {
      const inv = await call("POST", `/v1/workspaces/${WORKSPACE}/invitations`, { body: { email, role, ...(permissions ? { permissions } : {}) } });
      if (inv.status !== 201) throw new Error(`invite ${email}: ${inv.status} ${JSON.stringify(inv.body)}`);
      const message = (await ws.outbox()).filter((m) => m.invitationId === inv.body.id).at(-1);
      const accepted = await call("POST", "/v1/invitations/accept", { token: null, body: { token: message.token } });
      if (accepted.status !== 201) throw new Error(`accept ${email}: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      return { member: accepted.body, token: ws.tokenFor(email) };
    },
    async outbox() {
      return (await call("GET", wsPath("/dev/outbox"))).body.items;
    },
    dump: () => dumpDatabase(dbPath),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return ws;
}

/** dumpDatabase renders every row of every table of a database file (read through a second connection). */
export function dumpDatabase(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    return tables.map(({ name }) => `${name}: ${JSON.stringify(db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all())}`).join("\n");
  } finally {
    db.close();
  }
}

/** ws is the path of the test workspace plus `rest`. */
export function wsPath(rest = ""): string {
  return `/v1/workspaces/${WORKSPACE}${rest}`;
}
