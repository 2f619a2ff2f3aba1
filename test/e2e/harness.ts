import { spawn, type ChildProcess } from "node:child_process";
import type { IncomingMessage } from "node:http";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type AccessClient } from "../../client/index.js";
import type { AuditAction } from "../../schema/api.js";
import { extend, offsetClock, startWorkspaceServer, type WorkspaceServer } from "../support/server.js";

/**
 * End-to-end harness: the shared workspace server (test/support/server.ts) in this process,
 * and the real CLI as a child process (`node dist/cli/main.js`, built by `npx tsc -p .` /
 * `npm test`). Every CLI output and every file the CLI writes is recorded so a suite can
 * assert that no token ever appears in any of them.
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

/** TestServer is the shared workspace server with a client acting as the owner, a clock, and the CLI's environment. */
export interface TestServer extends WorkspaceServer {
  owner$: AccessClient;
  /** clock is the server's injectable clock: it starts at real now and moves only when told. */
  clock: TestClock;
  /** env is the environment the CLI targets this server with, as `token`'s member (default the owner). */
  env(token?: string): NodeJS.ProcessEnv;
  /**
   * onRequest calls `listener` as each HTTP request arrives (before the API handles it),
   * so a test can act at an exact point of an apply (the 30th invitation) without polling.
   */
  onRequest(listener: (req: IncomingMessage) => void): void;
  /** kill drops every connection and stops listening at once, as a crashed server would. */
  kill(): void;
}

/** TestClock is the server's clock: real now plus what `advance` added. */
export type TestClock = ReturnType<typeof offsetClock>;

export interface ServerOptions {
  faults?: { fraction: number; seed: number };
  invitationTtlMs?: number;
}

/**
 * startTestServer starts the shared workspace server (test/support/server.ts) for workspace
 * acme-prod; every token it hands out is recorded for the leak checks, and a restart (with
 * other options: faults off) keeps the database and renews the owner's client.
 */
export async function startTestServer(
  options: ServerOptions & { workspace?: string; owner?: string } = {},
): Promise<TestServer> {
  const { workspace = "acme-prod", owner = "founder@acme.io", ...server } = options;
  const clock = offsetClock();
  // The server's default rate limit stays on, as in a user's `serve`.
  const switches = (next: ServerOptions) => ({ rateLimit: undefined, ...next });
  const ws = await startWorkspaceServer({ workspace, owner, prefix: "antryk-e2e-", now: clock.now, server: switches(server) });
  recorder.secrets.add(ws.ownerToken);
  const ownerClient = () => createClient({ baseUrl: ws.url, token: ws.ownerToken, retry: { retries: 0 } });
  let owner$ = ownerClient();
  const { close, restart, tokenFor } = ws;
  return extend(ws, {
    get owner$() {
      return owner$;
    },
    clock,
    async close() {
      await owner$.close();
      await close();
    },
    async restart(next: ServerOptions = {}) {
      await owner$.close();
      await restart(switches(next));
      owner$ = ownerClient();
    },
    env: (token = ws.ownerToken) => ({ ANTRYK_API_URL: ws.url, ANTRYK_TOKEN: token }),
    tokenFor(email: string) {
      const token = tokenFor(email);
      recorder.secrets.add(token);
      return token;
    },
    onRequest(listener: (req: IncomingMessage) => void) {
      ws.server.app.server.on("request", listener);
    },
    kill() {
      ws.server.app.server.close();
      ws.server.app.server.closeAllConnections();
    },
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
  members: { email: string; role: string; permissions?: string[]; expires?: string }[];
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
    if (m.expires !== undefined) lines.push(`    expires: ${m.expires}`);
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

/** TERMINAL_SCRIPT is util-linux `script`, which gives the CLI a real pseudo-TTY; suites skip without it. */
export const TERMINAL_SCRIPT = "/usr/bin/script";

/** APPLY_PROMPT is what apply asks on a terminal. */
export const APPLY_PROMPT = "Do you want to apply these changes? Only 'yes' will be accepted:";

/**
 * onTerminal runs the CLI in `cwd` under a pseudo-TTY, typing `answer` when apply asks
 * (after `beforeAnswer`, if given); the output is recorded for the secret-leak check.
 */
export function onTerminal(
  args: string[],
  answer: string,
  options: { env: NodeJS.ProcessEnv; cwd: string; beforeAnswer?: () => Promise<void> },
): Promise<{ code: number | null; output: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI, ...args].map(quote).join(" ");
  const child = spawn(TERMINAL_SCRIPT, ["-qec", command, "/dev/null"], { env: cleanEnv(options.env), cwd: options.cwd });
  let output = "";
  let answered = false;
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    output += d;
    if (!answered && output.includes(APPLY_PROMPT)) {
      answered = true;
      void (options.beforeAnswer ?? (async () => {}))().then(() => child.stdin.write(`${answer}\n`));
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      recorder.outputs.push(output);
      resolve({ code, output });
    });
  });
}
