import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createClient } from "../client/index.js";
import { applyPlan } from "../reconciler/apply/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import { createPlan, type Change } from "../reconciler/plan.js";
import { initWorkspace, seedMembers } from "../server/admin.js";
import { startServer } from "../server/index.js";

/**
 * The apply benchmark, against the reference server on loopback (a SQLite file in a
 * temp folder, default rate limit, no faults):
 * - `apply1000Invitations`: fetch, then apply a plan of 1,000 invitations at the
 *   default concurrency; target exactly 1,000 writes plus the fetch's reads.
 * - `fetch10000Members`: fetchWorkspaceState of a 10,000-member workspace; target at
 *   most 25 reads (best and median of 5 runs).
 */
export async function run(): Promise<Record<string, unknown>> {
  return {
    apply1000Invitations: await benchApply(1_000),
    fetch10000Members: await benchFetch(10_000, 5),
  };
}

async function withWorkspace<T>(members: number, work: (url: string, token: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "antryk-bench-apply-"));
  const dbPath = join(dir, "workspace.db");
  try {
    const token = initWorkspace(dbPath, { workspace: "bench", owner: "owner@bench.io" });
    if (members > 0) {
      seedMembers(dbPath, { workspace: "bench", emails: Array.from({ length: members }, (_, i) => `member${i}@bench.io`) });
    }
    const server = await startServer({ dbPath });
    try {
      return await work(server.url, token);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchApply(count: number): Promise<Record<string, unknown>> {
  return withWorkspace(0, async (url, token) => {
    const client = createClient({ baseUrl: url, token });
    try {
      const started = performance.now();
      const live = await fetchWorkspaceState(client, "bench");
      const fetched = performance.now();
      const changes: Change[] = Array.from({ length: count }, (_, i) => ({
        kind: "inviteMember",
        key: `inviteMember:invitee${i}@bench.io`,
        phase: "grants",
        risk: "normal",
        gained: [],
        lost: [],
        reason: "bench",
        email: `invitee${i}@bench.io`,
        before: null,
        after: { role: "developer", permissions: [] },
      }));
      const plan = createPlan({
        workspace: "bench",
        target: url,
        mode: "authoritative",
        liveDigest: live.digest,
        liveRevision: live.workspace.revision,
        caller: live.caller.email,
        changes,
      });
      const result = await applyPlan(plan, client);
      const done = performance.now();
      const calls = client.calls;
      return {
        invitations: count,
        concurrency: 8,
        wallMs: round(done - started),
        fetchMs: round(fetched - started),
        applyMs: round(done - fetched),
        changesPerSecond: round((count / (done - fetched)) * 1000),
        applied: result.applied.length,
        failed: result.failed.length,
        calls,
        targetWrites: count,
        writesOnTarget: calls.writes === count,
      };
    } finally {
      await client.close();
    }
  });
}

async function benchFetch(members: number, runs: number): Promise<Record<string, unknown>> {
  return withWorkspace(members - 1, async (url, token) => {
    const client = createClient({ baseUrl: url, token });
    try {
      const times: number[] = [];
      let reads = 0;
      let size = 0;
      for (let i = 0; i < runs; i += 1) {
        client.resetCalls();
        const started = performance.now();
        const live = await fetchWorkspaceState(client, "bench");
        times.push(performance.now() - started);
        reads = client.calls.reads;
        size = live.members.length;
      }
      times.sort((a, b) => a - b);
      return {
        members: size,
        runs,
        bestMs: round(times[0]!),
        medianMs: round(times[Math.floor(times.length / 2)]!),
        reads,
        writes: client.calls.writes,
        targetMaxReads: 25,
        readsOnTarget: reads <= 25,
      };
    } finally {
      await client.close();
    }
  });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
