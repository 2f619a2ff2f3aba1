import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createClient } from "../client/index.js";
import { applyPlan } from "../reconciler/apply/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import { computePlan } from "../reconciler/compute/index.js";
import { createPlan, type Change } from "../reconciler/plan.js";
import { verifyApplied } from "../reconciler/verify.js";
import { DEFAULTS, type DesiredMember, type DesiredState } from "../schema/model.js";
import { initWorkspace, seedMembers } from "../server/admin.js";
import { startServer } from "../server/index.js";

/**
 * The apply benchmark, against the reference server on loopback (a SQLite file in a
 * temp folder, default rate limit, no faults):
 * - `apply1000Invitations`: fetch, then apply a plan of 1,000 invitations at the
 *   default concurrency; target exactly 1,000 writes plus the fetch's reads.
 * - `fetch10000Members`: fetchWorkspaceState of a 10,000-member workspace; target at
 *   most 25 reads (best and median of 5 runs).
 * - `verifiedApply10000Members`: what the CLI's apply costs on a 10,000-member workspace,
 *   split into the plan's reads, the change writes and the verification's extra reads
 *   (one fetchWorkspaceState), once for 100 new invitations and once converged (no change:
 *   no write and no verification read).
 */
export async function run(): Promise<Record<string, unknown>> {
  return {
    apply1000Invitations: await benchApply(1_000),
    fetch10000Members: await benchFetch(10_000, 5),
    verifiedApply10000Members: await benchVerifiedApply(10_000, 100),
  };
}

async function benchVerifiedApply(members: number, invitations: number): Promise<Record<string, unknown>> {
  return withWorkspace(members - 1, async (url, token) => {
    const client = createClient({ baseUrl: url, token });
    const source = { file: "access.yaml", line: 1, column: 1, path: [] };
    const person = (email: string): DesiredMember => ({ email, role: "developer", permissions: [], source });
    const desired: DesiredState = {
      file: "access.yaml",
      version: 1,
      workspace: "bench",
      owner: "owner@bench.io",
      mode: "authoritative",
      safety: { maxRemovals: DEFAULTS.maxRemovals, minAdmins: 0, requiredAdmins: [], preserve: [] },
      invitations: { resendExpired: true, maxResends: 3 },
      roles: [],
      members: [
        ...Array.from({ length: members - 1 }, (_, i) => person(`member${i}@bench.io`)),
        ...Array.from({ length: invitations }, (_, i) => person(`invitee${i}@bench.io`)),
      ],
      expiredMembers: [],
    };
    const once = async () => {
      client.resetCalls();
      const started = performance.now();
      const live = await fetchWorkspaceState(client, "bench");
      const plan = computePlan(desired, live, { target: url });
      const planReads = client.calls.reads;
      const planned = performance.now();
      const result = await applyPlan(plan, client);
      const writes = client.calls.writes;
      const applied = performance.now();
      const verification = plan.changes.length === 0 ? { status: "verified" } : await verifyApplied(client, desired, plan, live, new Set(result.applied.map((a) => a.key)));
      const done = performance.now();
      return {
        changes: plan.changes.length,
        applied: result.applied.length,
        verification: verification.status,
        planReads,
        writes,
        verificationReads: client.calls.reads - planReads,
        planMs: round(planned - started),
        applyMs: round(applied - planned),
        verifyMs: round(done - applied),
      };
    };
    try {
      return { members, withInvitations: await once(), converged: await once() };
    } finally {
      await client.close();
    }
  });
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
