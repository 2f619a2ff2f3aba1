import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { createClient } from "../client/index.js";
import { computePlan } from "../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import { renderText } from "../reconciler/render/index.js";
import { loadAccessFile } from "../schema/load.js";
import { seedMembers } from "../server/admin.js";
import { initWorkspace, startServer } from "../server/index.js";

/**
 * The `plan` command on a converged workspace of 10,000 members: its wall time and API
 * calls, and the time of its parts (file load, fetch, computePlan, render). The
 * pipeline is run in-process exactly as cli/plan.ts runs it, against the reference
 * server on 127.0.0.1:0; the CLI as a child process is timed as well (that includes
 * Node's start-up and module loading, which the 2× target does not count).
 * Targets: at most 25 reads and no write; the whole plan under 2× (fetch + file load).
 */

const MEMBERS = 10_000;
const RUNS = 3;
const WORKSPACE = "bench-cli";
const OWNER = "owner@bench.test";
const CLI = fileURLToPath(new URL("../cli/main.js", import.meta.url));

export async function run(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), "antryk-bench-cli-"));
  const dbPath = join(dir, "workspace.db");
  const file = join(dir, "access.yaml");
  try {
    const token = initWorkspace(dbPath, { workspace: WORKSPACE, owner: OWNER });
    const emails = Array.from({ length: MEMBERS - 1 }, (_, i) => `member${String(i).padStart(5, "0")}@bench.test`);
    seedMembers(dbPath, { workspace: WORKSPACE, emails, role: "developer" });
    await writeFile(file, accessFileFor(emails));
    const server = await startServer({ dbPath, port: 0, rateLimit: false });
    try {
      const runs = [];
      for (let i = 0; i < RUNS; i += 1) runs.push(await planOnce(file, server.url, token));
      const best = runs.reduce((a, b) => (b.wholeMs < a.wholeMs ? b : a));
      const cliWallMs = await cliWall(file, server.url, token);
      return {
        members: MEMBERS,
        runs: RUNS,
        best,
        cliWallMs,
        targets: {
          readsAtMost25: best.calls.reads <= 25,
          noWrites: best.calls.writes === 0,
          noChanges: best.changes === 0,
          wholeUnder2xFetchPlusLoad: best.wholeMs < 2 * (best.fetchMs + best.loadMs),
          computePlanUnder100ms: best.computeMs < 100,
        },
      };
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** planOnce runs load → fetch → computePlan → renderText with a fresh client and times each part. */
async function planOnce(file: string, baseUrl: string, token: string) {
  const t0 = performance.now();
  const { desired } = await loadAccessFile(file);
  const t1 = performance.now();
  if (desired === null) throw new Error(`bench: ${file} does not validate`);
  const client = createClient({ baseUrl, token });
  try {
    const live = await fetchWorkspaceState(client, desired.workspace);
    const t2 = performance.now();
    const plan = computePlan(desired, live, { target: client.baseUrl });
    const t3 = performance.now();
    const text = renderText(plan, { color: false });
    const t4 = performance.now();
    return {
      wholeMs: round(t4 - t0),
      loadMs: round(t1 - t0),
      fetchMs: round(t2 - t1),
      computeMs: round(t3 - t2),
      renderMs: round(t4 - t3),
      changes: plan.changes.length,
      outputBytes: Buffer.byteLength(text),
      calls: client.calls,
    };
  } finally {
    await client.close();
  }
}

/** cliWall times `node dist/cli/main.js plan` as a user runs it (exit 0 expected: no changes). */
function cliWall(file: string, baseUrl: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, "plan", "-f", file, "--detailed-exitcode"], {
      env: { ...process.env, ANTRYK_API_URL: baseUrl, ANTRYK_TOKEN: token, NO_COLOR: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`bench: plan exited ${code}: ${stderr.trim()}`));
      else resolve(round(performance.now() - started));
    });
  });
}

function accessFileFor(emails: string[]): string {
  const lines = ["version: 1", `workspace: ${WORKSPACE}`, `owner: ${OWNER}`, "members:"];
  for (const email of emails) lines.push(`  - email: ${email}`, "    role: developer");
  return `${lines.join("\n")}\n`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
