import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Member, OutboxMessage } from "../../schema/api.js";
import { initWorkspace, issueToken, seedMembers } from "../../server/admin.js";
import { startServer, type RunningServer, type ServerOptions } from "../../server/index.js";

/**
 * The one way the suites start a workspace server: a fresh temp folder, a real SQLite
 * file in it, a workspace with its owner (initWorkspace), the real reference server on
 * 127.0.0.1:0, tokens for members, invite-and-accept through the dev outbox, a restart
 * over the same file, and close (server stopped, folder removed). The suites' harnesses
 * (test/server, test/client, test/e2e, test/dashboard, test/provider) add only their own.
 */

/** StartOptions are the startServer options a suite may set (the database is the harness's). */
export type StartOptions = Partial<Omit<ServerOptions, "dbPath" | "now">>;

/** WorkspaceServerOptions: who owns which workspace, the clock, and how the server starts. */
export interface WorkspaceServerOptions {
  workspace?: string;
  owner?: string;
  /** prefix names the temp folder (`antryk-<suite>-`), so a leftover tells whose it is. */
  prefix?: string;
  /** dbName is the SQLite file's name in the folder (default workspace.db). */
  dbName?: string;
  /** now is the clock of initWorkspace and of every start, restarts included. */
  now?: () => Date;
  /** seed adds these emails as developers straight into the database before the first start. */
  seed?: readonly string[];
  /** server: the first start's options over the defaults (127.0.0.1:0, dev outbox on, rate limit off). */
  server?: StartOptions;
  /** onStart sees every started server, restarts included (to count connections, say). */
  onStart?: (server: RunningServer) => void;
}

/** Answer is one HTTP answer as the suites look at it: status, headers and the parsed JSON (or the text). */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** Call is one request: a bearer token (default the owner's; null for none), a JSON body or a raw one, extra headers. */
export interface Call {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** WorkspaceServer is a started workspace; `url` and `server` follow restarts. */
export interface WorkspaceServer {
  readonly dir: string;
  readonly dbPath: string;
  readonly workspace: string;
  readonly owner: string;
  readonly ownerToken: string;
  readonly url: string;
  readonly server: RunningServer;
  /** tokenFor issues a new token for an existing member. */
  tokenFor(email: string): string;
  /** request sends one request to the server and never throws on a status. */
  request(method: string, path: string, call?: Call): Promise<Answer>;
  /** outbox lists the dev outbox of the workspace, as the owner. */
  outbox(): Promise<OutboxMessage[]>;
  /** acceptFromOutbox accepts the newest invitation message sent to `email`, as the invitee would. */
  acceptFromOutbox(email: string): Promise<Member>;
  /** join invites `email` as `role` (with `permissions`) as the owner and accepts; returns the new member. */
  join(email: string, role: string, permissions?: string[]): Promise<Member>;
  /** restart stops the server and serves the same file again with `options` over the defaults (not the first start's). */
  restart(options?: StartOptions): Promise<void>;
  /** expectServerErrors tells close() that this test provokes a 5xx on purpose (otherwise any 5xx not injected by faults fails it). */
  expectServerErrors(): void;
  /** close stops the server and removes the folder, then fails if the server answered a 5xx that was neither injected nor expected. */
  close(): Promise<void>;
}

/** TestClock is a settable clock for the server's `now` option. */
export interface TestClock {
  now: () => Date;
  set(date: Date | string): void;
  advance(ms: number): void;
}

/** testClock starts at `start` and moves only when told to. */
export function testClock(start: Date | string = "2027-01-01T00:00:00.000Z"): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (d) => void (current = new Date(d).getTime()),
    advance: (ms) => void (current += ms),
  };
}

/** offsetClock is the real clock plus whatever `advance` added: a server that a browser or a CLI talks to in real time, moved forward on demand. */
export function offsetClock(): Pick<TestClock, "now" | "advance"> {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (ms) => void (offsetMs += ms),
  };
}

/** startWorkspaceServer creates the folder, the database and the workspace, and starts the server on it. */
export async function startWorkspaceServer(options: WorkspaceServerOptions = {}): Promise<WorkspaceServer> {
  const { workspace = "acme", owner = "founder@acme.io", now } = options;
  const dir = await mkdtemp(join(tmpdir(), options.prefix ?? "antryk-test-"));
  const dbPath = join(dir, options.dbName ?? "workspace.db");
  const ownerToken = initWorkspace(dbPath, { workspace, owner, ...(now ? { now } : {}) });
  if (options.seed?.length) seedMembers(dbPath, { workspace, emails: options.seed });

  // A 5xx is a bug unless --faults injected it (or it is a deliberate 503 with Retry-After): every one is kept and fails close().
  const serverErrors: string[] = [];
  let serverErrorsExpected = false;
  const start = async (switches: StartOptions = {}): Promise<RunningServer> => {
    const started = await startServer({ dbPath, host: "127.0.0.1", port: 0, devOutbox: true, rateLimit: false, ...(now ? { now } : {}), ...switches });
    const injecting = (switches.faults?.fraction ?? 0) > 0;
    started.app.server.on("request", (req, res) => {
      res.once("finish", () => {
        const shed = res.statusCode === 503 && res.hasHeader("retry-after");
        if (res.statusCode >= 500 && !injecting && !shed) serverErrors.push(`${req.method} ${req.url} → ${res.statusCode}`);
      });
    });
    options.onStart?.(started);
    return started;
  };
  let running = await start(options.server);

  const request = async (method: string, path: string, c: Call = {}): Promise<Answer> => {
    const token = c.token === undefined ? ownerToken : c.token;
    const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
    let body: string | undefined;
    if (c.rawBody !== undefined) body = c.rawBody;
    else if (c.body !== undefined) {
      body = JSON.stringify(c.body);
      headers["content-type"] = "application/json";
    }
    const res = await fetch(running.url + path, { method, headers: { ...headers, ...c.headers }, body });
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
  const expectStatus = (what: string, answer: Answer, status: number): Answer => {
    if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  };

  const accept = async (email: string, sentFor: (m: OutboxMessage) => boolean): Promise<Member> => {
    const message = (await ws.outbox()).filter(sentFor).at(-1);
    if (!message) throw new Error(`no invitation message to ${email} in the dev outbox`);
    const accepted = await request("POST", "/v1/invitations/accept", { token: null, body: { token: message.token } });
    return expectStatus(`accept ${email}`, accepted, 201).body as Member;
  };

  const ws: WorkspaceServer = {
    dir,
    dbPath,
    workspace,
    owner,
    ownerToken,
    get url() {
      return running.url;
    },
    get server() {
      return running;
    },
    tokenFor: (email) => issueToken(dbPath, { workspace, email }),
    request,
    async outbox() {
      return expectStatus("dev outbox", await request("GET", `/v1/workspaces/${workspace}/dev/outbox`), 200).body.items as OutboxMessage[];
    },
    acceptFromOutbox: (email) => accept(email, (m) => m.email === email),
    async join(email, role, permissions) {
      const body = { email, role, ...(permissions ? { permissions } : {}) };
      const invitation = expectStatus(`invite ${email}`, await request("POST", `/v1/workspaces/${workspace}/invitations`, { body }), 201);
      return accept(email, (m) => m.invitationId === invitation.body.id);
    },
    async restart(switches = {}) {
      await running.close();
      running = await start(switches);
    },
    expectServerErrors() {
      serverErrorsExpected = true;
    },
    async close() {
      await running.close();
      await rm(dir, { recursive: true, force: true });
      if (serverErrors.length > 0 && !serverErrorsExpected) {
        throw new Error(`the server answered 5xx without an injected fault (a bug):\n${serverErrors.join("\n")}`);
      }
    },
  };
  return ws;
}

/** extend adds a suite's own members to a started workspace, getters kept as getters (Object.assign would read them once). */
export function extend<W extends WorkspaceServer, E extends object>(ws: W, extra: E): W & E {
  return Object.defineProperties(ws, Object.getOwnPropertyDescriptors(extra)) as W & E;
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
