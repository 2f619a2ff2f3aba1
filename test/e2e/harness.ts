import { spawn, type ChildProcess } from "node:child_process";
import type { IncomingMessage } from "node:http";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type AccessClient } from "../../client/index.js";
import type { AuditAction } from "../../schema/api.js";
import { initWorkspace, issueToken, startServer } from "../../server/index.js";

/**
 * End-to-end harness: the real reference server in this process on 127.0.0.1:0 over a
 * SQLite file in a per-test temp folder, and the real CLI as a child process
 * (`node dist/cli/main.js`, built by `npx tsc -p .` / `npm test`). Every CLI output
 * and every file the CLI writes is recorded so a suite can assert that no token ever
 * appears in any of them.
 */

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = join(ROOT, "dist/cli/main.js");

/** assertBuilt fails early with a clear message when dist/ is missing. */
export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -p .\` (npm test builds first)`);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Recorder keeps every output and secret seen by a suite, for the no-token-leak assertions. */
export class Recorder {
  readonly outputs: string[] = [];
  readonly secrets = new Set<string>();
  readonly files = new Set<string>();

  /** leaks returns a description of each recorded output or file holding a secret. */
  async leaks(): Promise<string[]> {
    const found: string[] = [];
    const texts = [...this.outputs];
    for (const f of this.files) if (existsSync(f)) texts.push(await readFile(f, "utf8"));
    for (const secret of this.secrets) {
      texts.forEach((t, i) => {
        if (t.includes(secret)) found.push(`output #${i} holds a token`);
      });
    }
    return found;
  }
}

export const recorder = new Recorder();

/** TestServer is a running reference server, its database, the owner's token and a client acting as the owner. */
export interface TestServer {
  url: string;
  dir: string;
  dbPath: string;
  workspace: string;
  owner: string;
  ownerToken: string;
  owner$: AccessClient;
  clock: TestClock;
  close(): Promise<void>;
  /** restart stops the server and starts it again on the same database with other options. */
  restart(options?: ServerOptions): Promise<void>;
  /** env is the environment the CLI targets this server with, as `token`'s member (default the owner). */
  env(token?: string): NodeJS.ProcessEnv;
  tokenFor(email: string): string;
  /**
   * onRequest calls `listener` as each HTTP request arrives (before the API handles it),
   * so a test can act at an exact point of an apply (the 30th invitation) without polling.
   */
  onRequest(listener: (req: IncomingMessage) => void): void;
  /** kill drops every connection and stops listening at once, as a crashed server would. */
  kill(): void;
}

/** TestClock is the server's injectable clock: it starts at real now and moves only when told. */
export class TestClock {
  private offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface ServerOptions {
  faults?: { fraction: number; seed: number };
  invitationTtlMs?: number;
}

/** startTestServer creates a temp folder, a workspace with an owner, and starts the server on 127.0.0.1:0 with the dev outbox. */
export async function startTestServer(
  options: ServerOptions & { workspace?: string; owner?: string } = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), "antryk-e2e-"));
  const dbPath = join(dir, "workspace.db");
  const workspace = options.workspace ?? "acme-prod";
  const owner = options.owner ?? "founder@acme.io";
  const clock = new TestClock();
  const ownerToken = await initWorkspace(dbPath, { workspace, owner });
  recorder.secrets.add(ownerToken);
  let running = await launch(dbPath, clock, options);
  let owner$ = createClient({ baseUrl: running.url, token: ownerToken, retry: { retries: 0 } });
  const server: TestServer = {
    get url() {
      return running.url;
    },
    dir,
    dbPath,
    workspace,
    owner,
    ownerToken,
    get owner$() {
      return owner$;
    },
    clock,
    async close() {
      await owner$.close();
      await running.close();
      await rm(dir, { recursive: true, force: true });
    },
    async restart(next = {}) {
      await owner$.close();
      await running.close();
      running = await launch(dbPath, clock, next);
      owner$ = createClient({ baseUrl: running.url, token: ownerToken, retry: { retries: 0 } });
    },
    env(token = ownerToken) {
      return { ANTRYK_API_URL: running.url, ANTRYK_TOKEN: token };
    },
    tokenFor(email) {
      const token = issueToken(dbPath, { workspace, email });
      recorder.secrets.add(token);
      return token;
    },
    onRequest(listener) {
      running.app.server.on("request", listener);
    },
    kill() {
      running.app.server.close();
      running.app.server.closeAllConnections();
    },
  };
  return server;
}

async function launch(dbPath: string, clock: TestClock, options: ServerOptions) {
  return startServer({
    dbPath,
    host: "127.0.0.1",
    port: 0,
    devOutbox: true,
    now: clock.now,
    ...(options.invitationTtlMs !== undefined ? { invitationTtlMs: options.invitationTtlMs } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
  });
}

/** cleanEnv is the parent's environment without any target variable, plus NO_COLOR. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ANTRYK_API_URL;
  delete env.ANTRYK_TOKEN;
  delete env.ANTRYK_WORKSPACE;
  return { ...env, NO_COLOR: "1", ...extra };
}

/** startCli spawns the built CLI; `done` resolves when it exits. The caller may kill `child`. */
export function startCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {},
): { child: ChildProcess; done: Promise<CliResult>; output(): string } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin!.end(options.stdin ?? "");
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      recorder.outputs.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, output: () => stdout + stderr };
}

/** runCli runs the built CLI to completion. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** writeAccessFile writes an access.yaml into `dir` and returns its path. */
export async function writeAccessFile(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** accessYaml builds an access.yaml text from a few fields (two-space YAML, emails as given). */
export function accessYaml(options: {
  workspace?: string;
  owner?: string;
  mode?: "authoritative" | "additive";
  safety?: string[];
  invitations?: string[];
  roles?: string[];
  members: { email: string; role: string; permissions?: string[] }[];
}): string {
  const lines = ["version: 1", `workspace: ${options.workspace ?? "acme-prod"}`];
  if (options.owner) lines.push(`owner: ${options.owner}`);
  if (options.mode) lines.push(`mode: ${options.mode}`);
  if (options.safety) lines.push("safety:", ...options.safety.map((l) => `  ${l}`));
  if (options.invitations) lines.push("invitations:", ...options.invitations.map((l) => `  ${l}`));
  if (options.roles) lines.push("roles:", ...options.roles.map((l) => `  ${l}`));
  lines.push(options.members.length === 0 ? "members: []" : "members:");
  for (const m of options.members) {
    lines.push(`  - email: ${m.email}`, `    role: ${m.role}`);
    if (m.permissions?.length) lines.push(`    permissions: [${m.permissions.join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

/** people returns n emails `<prefix>0001@example.test` …, zero-padded so they sort naturally. */
export function people(n: number, prefix = "user"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, "0")}@example.test`);
}

/** auditCount counts the workspace's access-history events (all of them, or one action). */
export async function auditCount(server: TestServer, action?: AuditAction): Promise<number> {
  return (await server.owner$.listAllAudit(server.workspace, action ? { action } : {})).length;
}

/** acceptAll accepts every invitation the dev outbox holds for `emails` (the newest message of each), as the invitee would. */
export async function acceptAll(server: TestServer, emails: readonly string[]): Promise<void> {
  const wanted = new Set(emails.map((e) => e.toLowerCase()));
  const newest = new Map<string, string>();
  for (const m of await server.owner$.devOutbox(server.workspace)) if (wanted.has(m.email)) newest.set(m.email, m.token);
  for (const token of newest.values()) {
    recorder.secrets.add(token);
    await server.owner$.acceptInvitation(token);
  }
}

/** tempDir makes a per-test temp folder. */
export function tempDir(prefix = "antryk-cli-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** listFiles lists the files of a folder recursively (for the leak check of what the CLI wrote). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}
