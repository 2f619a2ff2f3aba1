import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { createClient, type CallCounts } from "../client/index.js";
import { planWorkspaces } from "../reconciler/plan-many.js";
import { findFiles, loadWorkspaceFiles, type WorkspaceFile } from "../schema/library/files.js";
import { seedMembers } from "../server/admin.js";
import { initWorkspace } from "../server/index.js";
import { startLatencyProxy } from "./support/latency-proxy.js";

/**
 * One repository, many workspaces: 50 converged workspaces of 1,000 people each, every file
 * importing one shared library of 20 custom roles, planned as one folder (load every file,
 * then fetch and plan every workspace concurrently, as `plan -f folder/` does) against the
 * sum of 50 single-workspace plans (each loading its own file, as `plan -f file` does) and
 * the slowest one. Reads must equal the sum of the
 * single plans' reads. Target (issue 14): the folder plans in at most 1.5× the slowest
 * single plan plus the time to load the files. The reference server runs in this process
 * (one thread, one SQLite file): its work for 50 workspaces is serial whatever the client
 * does, which bounds how close to the slowest single plan the folder can get here: the
 * server runs as a child process (`antryk-access serve`), so its thread and the CLI's are
 * two, but it is still one thread for all 50 workspaces: measured, the sum of the reads'
 * latencies grows about eightfold with 8 workspaces in flight while their wall time stays
 * that of one at a time, so here the folder costs about the sum of the single plans. Against
 * an API that serves workspaces in parallel the same code overlaps them.
 * `folderOneAtATime` is the same folder with one workspace in flight, for comparison.
 * `acrossNetwork` plans the same folder through a proxy adding NETWORK_RTT_MS per round trip
 * (a client's view of a remote API): there the waits dominate and overlap, which is what
 * concurrent planning buys; the 1.5× target still needs the server's and the client's CPU
 * for 50,000 people to fit in half a single plan, which two cores cannot give (reported,
 * not hidden: `targets.folderUnder1_5xSlowestPlusLoad`).
 */

const WORKSPACES = 50;
const PEOPLE = 1_000;
const ROLES = 20;
const OWNER = "owner@bench.test";
const NETWORK_RTT_MS = 50;
const CLI = fileURLToPath(new URL("../cli/main.js", import.meta.url));

const roleName = (r: number) => `shared-role-${String(r).padStart(2, "0")}`;
const PERMS = ["deployments:read", "logs:read", "config:read", "deployments:create", "environments:configure", "domains:manage"];

export async function run(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), "antryk-bench-workspaces-"));
  const dbPath = join(dir, "workspace.db");
  const folder = join(dir, "access");
  try {
    await mkdir(join(folder, "shared"), { recursive: true });
    const library = ["version: 1", "kind: library", "roles:"];
    for (let r = 0; r < ROLES; r += 1) library.push(`  ${roleName(r)}:`, `    description: Shared role ${r}`, `    permissions: [${PERMS.slice(0, 1 + (r % PERMS.length)).join(", ")}]`);
    await writeFile(join(folder, "shared/roles.yaml"), `${library.join("\n")}\n`);
    const names = Array.from({ length: WORKSPACES }, (_, w) => `bench-ws-${String(w).padStart(2, "0")}`);
    const tokens = new Map<string, string>();
    for (const ws of names) {
      tokens.set(ws, initWorkspace(dbPath, { workspace: ws, owner: OWNER }));
      const lines = ["version: 1", `workspace: ${ws}`, `owner: ${OWNER}`, "imports: [shared/roles.yaml]", "members:"];
      for (let r = 0; r < ROLES; r += 1) {
        const emails = Array.from({ length: (PEOPLE - 1) / 27 | 0 }, (_, i) => `p${r}-${i}@bench.test`);
        seedMembers(dbPath, { workspace: ws, emails, role: roleName(r) });
        for (const e of emails) lines.push(`  - email: ${e}`, `    role: ${roleName(r)}`);
      }
      const rest = PEOPLE - 1 - ROLES * ((PEOPLE - 1) / 27 | 0);
      const devs = Array.from({ length: rest }, (_, i) => `dev-${i}@bench.test`);
      seedMembers(dbPath, { workspace: ws, emails: devs, role: "developer" });
      for (const e of devs) lines.push(`  - email: ${e}`, "    role: developer");
      await writeFile(join(folder, `${ws}.yaml`), `${lines.join("\n")}\n`);
    }
    const server = await startChildServer(dbPath);
    try {
      // The roles, created through the API as an apply would (converged from then on).
      for (const ws of names) {
        const client = createClient({ baseUrl: server.url, token: tokens.get(ws)! });
        for (let r = 0; r < ROLES; r += 1) {
          await client.putRole(ws, roleName(r), { description: `Shared role ${r}`, permissions: PERMS.slice(0, 1 + (r % PERMS.length)) });
        }
        await client.close();
      }

      // Warm-up: one single plan, so module loading and JIT do not count against the first measure.
      const files0 = await loadWorkspaceFiles(await findFiles([folder]));
      await planSingle(files0[0]!, server.url, tokens);

      // Best of three of each (the machine is shared; the first run also warms the server's caches).
      const best = <T extends { wholeMs: number }>(runs: T[]) => runs.reduce((a, b) => (b.wholeMs < a.wholeMs ? b : a));
      const folderRun = best([await planFolder(folder, server.url, tokens), await planFolder(folder, server.url, tokens), await planFolder(folder, server.url, tokens)]);
      const oneAtATime = best([await planFolder(folder, server.url, tokens, 1), await planFolder(folder, server.url, tokens, 1), await planFolder(folder, server.url, tokens, 1)]);
      const singles = [];
      for (const file of folderRun.files) {
        const tries = [await planSingle(file, server.url, tokens), await planSingle(file, server.url, tokens), await planSingle(file, server.url, tokens)];
        singles.push(tries.reduce((a, b) => (b.ms < a.ms ? b : a)));
      }
      const sumMs = round(singles.reduce((n, s) => n + s.ms, 0));
      const slowestMs = round(Math.max(...singles.map((s) => s.ms)));
      const sumReads = singles.reduce((n, s) => n + reads(s.calls), 0);
      const cliWallMs = await cliWall(folder, server.url, tokens);
      const acrossNetwork = await planAcrossNetwork(folder, folderRun.files, server.url, tokens);
      return {
        workspaces: WORKSPACES,
        peoplePerWorkspace: PEOPLE,
        sharedRoles: ROLES,
        folder: { wholeMs: folderRun.wholeMs, loadMs: folderRun.loadMs, planMs: folderRun.planMs, reads: reads(folderRun.calls), writes: writes(folderRun.calls), changes: folderRun.changes },
        singles: { sumMs, slowestMs, reads: sumReads, medianMs: round(singles.map((s) => s.ms).sort((a, b) => a - b)[Math.floor(singles.length / 2)]!) },
        folderOneAtATime: { wholeMs: oneAtATime.wholeMs, planMs: oneAtATime.planMs },
        runs: 3,
        cliWallMs,
        acrossNetwork,
        ratios: { folderVsSum: round(folderRun.wholeMs / sumMs), folderPlanVsSlowest: round(folderRun.planMs / slowestMs) },
        targets: {
          readsEqualSumOfSingles: reads(folderRun.calls) === sumReads,
          noWrites: writes(folderRun.calls) === 0,
          noChanges: folderRun.changes === 0,
          folderUnder1_5xSlowestPlusLoad: folderRun.wholeMs <= 1.5 * slowestMs + folderRun.loadMs,
          folderFasterThanSum: folderRun.wholeMs < sumMs,
        },
      };
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** planFolder loads the folder and plans every workspace concurrently, as `plan -f folder/` does (cli/run-plan-set.ts → reconciler/plan-many.ts). */
async function planFolder(folder: string, baseUrl: string, tokens: Map<string, string>, concurrency?: number) {
  const t0 = performance.now();
  const files = await loadWorkspaceFiles(await findFiles([folder]));
  const t1 = performance.now();
  const clients = files.map((f) => createClient({ baseUrl, token: tokens.get(f.desired.workspace)! }));
  try {
    const targets = files.map((file, i) => ({ file, client: clients[i]!, target: clients[i]!.baseUrl }));
    const planned = await planWorkspaces(targets, { allowSelfChange: false, ...(concurrency !== undefined ? { concurrency } : {}) });
    const t2 = performance.now();
    const changes = planned.reduce((n, p) => n + ("plan" in p ? p.plan.changes.length : Number.NaN), 0);
    return { files, wholeMs: round(t2 - t0), loadMs: round(t1 - t0), planMs: round(t2 - t1), changes, calls: sumCalls(clients.map((c) => c.calls)) };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/**
 * planAcrossNetwork measures the folder, the folder one workspace at a time, and each single
 * plan through a proxy adding NETWORK_RTT_MS per round trip (one run each: the waits dominate).
 */
async function planAcrossNetwork(folder: string, files: readonly WorkspaceFile[], url: string, tokens: Map<string, string>) {
  const proxy = await startLatencyProxy(url, NETWORK_RTT_MS);
  try {
    const together = await planFolder(folder, proxy.url, tokens);
    const oneAtATime = await planFolder(folder, proxy.url, tokens, 1);
    const singles: number[] = [];
    for (const file of files) singles.push((await planSingle(file, proxy.url, tokens)).ms);
    const slowestMs = round(Math.max(...singles));
    return {
      rttMs: NETWORK_RTT_MS,
      folder: { wholeMs: together.wholeMs, loadMs: together.loadMs, planMs: together.planMs, reads: reads(together.calls) },
      folderOneAtATime: { wholeMs: oneAtATime.wholeMs, planMs: oneAtATime.planMs },
      singles: { sumMs: round(singles.reduce((a, b) => a + b, 0)), slowestMs },
      ratios: { folderPlanVsOneAtATime: round(together.planMs / oneAtATime.planMs), folderPlanVsSlowest: round(together.planMs / slowestMs) },
    };
  } finally {
    await proxy.close();
  }
}

/** planSingle plans one workspace alone as `plan -f file` does: load its file (and library), fetch, plan, attribute. */
async function planSingle(loaded: WorkspaceFile, baseUrl: string, tokens: Map<string, string>) {
  const client = createClient({ baseUrl, token: tokens.get(loaded.desired.workspace)! });
  try {
    const t0 = performance.now();
    const [file] = await loadWorkspaceFiles({ workspaces: [loaded.accessFile.path], libraries: [], ignored: [], problems: [] });
    const [planned] = await planWorkspaces([{ file: file!, client, target: client.baseUrl }], { allowSelfChange: false });
    if (planned === undefined || !("plan" in planned)) throw new Error(`bench: ${loaded.desired.workspace} could not be planned`);
    if (planned.plan.changes.length > 0) throw new Error(`bench: ${loaded.desired.workspace} is not converged (${planned.plan.changes.length} changes)`);
    return { ms: performance.now() - t0, calls: client.calls };
  } finally {
    await client.close();
  }
}

/** cliWall times `node dist/cli/main.js plan -f folder --detailed-exitcode` (exit 0: no changes), tokens per workspace in ANTRYK_TOKEN_<WORKSPACE>. */
function cliWall(folder: string, baseUrl: string, tokens: Map<string, string>): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, ANTRYK_API_URL: baseUrl, NO_COLOR: "1" };
  delete env.ANTRYK_TOKEN;
  for (const [ws, token] of tokens) env[`ANTRYK_TOKEN_${ws.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`] = token;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, "plan", "-f", folder, "--detailed-exitcode"], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(round(performance.now() - started)) : reject(new Error(`bench: plan exited ${code}: ${stderr.trim().slice(0, 500)}`))));
  });
}

function sumCalls(all: readonly CallCounts[]): CallCounts {
  const out: Record<string, number> = {};
  for (const c of all) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + (v as number);
  return out as unknown as CallCounts;
}

function reads(c: CallCounts): number {
  return c.reads;
}

function writes(c: CallCounts): number {
  return c.writes;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** startChildServer runs the reference server as `antryk-access serve` in a child process on 127.0.0.1:0, and stops that process (by its pid) on close. */
function startChildServer(dbPath: string): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, [CLI, "serve", "--db", dbPath, "--port", "0", "--rate-limit", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return new Promise((resolve, reject) => {
    let out = "";
    child.on("error", reject);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, close: async () => void (child.kill("SIGTERM"), await exited) });
    });
    void exited.then(() => reject(new Error(`bench: the server exited before listening: ${out}`)));
  });
}
