import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { issueToken, seedMembers } from "../server/admin.js";
import { ActivityTracker, sqliteActivityStore } from "../server/activity.js";
import { openDatabase } from "../server/db/open.js";
import { initWorkspace, startServer, type RunningServer } from "../server/index.js";

/**
 * The cost of access-activity tracking (server/activity.ts) on an authenticated read,
 * side by side in one run: two servers on equal databases, tracking on and off, each read
 * `GET /v1/workspaces/{ws}/me` by 200 members' tokens with 8 requests in flight, in
 * alternating rounds (on, off, on, off, …) so that the machine's drift hits both alike.
 * Target: at most 5% fewer reads per second with tracking on. Also the batched flush of
 * 10,000 members' activity (one statement), what the server does at most every 10 minutes.
 */

const WORKSPACE = "bench-activity";
const OWNER = "owner@bench.test";
const TOKENS = 200;
const ROUNDS = 5;
const READS_PER_ROUND = 2_000;
const IN_FLIGHT = 8;
const FLUSH_MEMBERS = 10_000;

/** run measures reads per second with tracking on and off, and the flush of 10,000 members, as JSON-serializable numbers. */
export async function run(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), "antryk-bench-activity-"));
  try {
    const on = await start(join(dir, "on.db"), true);
    const off = await start(join(dir, "off.db"), false);
    try {
      // warm both up (JIT, connections, statement caches) before measuring
      await reads(on, READS_PER_ROUND / 4);
      await reads(off, READS_PER_ROUND / 4);
      const onMs: number[] = [];
      const offMs: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        onMs.push(await reads(on, READS_PER_ROUND));
        offMs.push(await reads(off, READS_PER_ROUND));
      }
      const perSecond = (ms: number) => Math.round((READS_PER_ROUND / ms) * 1000);
      const bestOn = Math.min(...onMs);
      const bestOff = Math.min(...offMs);
      const overheadPercent = round(((bestOn - bestOff) / bestOff) * 100);
      return {
        read: "GET /v1/workspaces/{ws}/me",
        tokens: TOKENS,
        inFlight: IN_FLIGHT,
        readsPerRound: READS_PER_ROUND,
        rounds: ROUNDS,
        trackingOn: { bestPerSecond: perSecond(bestOn), bestMs: round(bestOn), runsMs: onMs.map(round) },
        trackingOff: { bestPerSecond: perSecond(bestOff), bestMs: round(bestOff), runsMs: offMs.map(round) },
        overheadPercent,
        targetPercent: 5,
        withinTarget: overheadPercent <= 5,
        flush: await flush(join(dir, "flush.db")),
        apiCalls: { GET: 2 * (ROUNDS * READS_PER_ROUND + READS_PER_ROUND / 4) },
      };
    } finally {
      await on.server.close();
      await off.server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Target {
  server: RunningServer;
  tokens: string[];
}

async function start(dbPath: string, tracking: boolean): Promise<Target> {
  initWorkspace(dbPath, { workspace: WORKSPACE, owner: OWNER });
  const emails = Array.from({ length: TOKENS }, (_, i) => `member${String(i).padStart(4, "0")}@bench.test`);
  seedMembers(dbPath, { workspace: WORKSPACE, emails });
  const tokens = emails.map((email) => issueToken(dbPath, { workspace: WORKSPACE, email }));
  const server = await startServer({ dbPath, port: 0, rateLimit: false, ...(tracking ? {} : { activity: false }) });
  return { server, tokens };
}

/** reads makes `count` authenticated reads, IN_FLIGHT at a time, cycling through the tokens; returns the elapsed milliseconds. */
async function reads(target: Target, count: number): Promise<number> {
  const url = `${target.server.url}/v1/workspaces/${WORKSPACE}/me`;
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(url, { headers: { authorization: `Bearer ${target.tokens[i % target.tokens.length]}`, "user-agent": "antryk-access/bench" } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`read ${i}: ${res.status}`);
    }
  };
  const startAt = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return performance.now() - startAt;
}

/** flush times one batched write of FLUSH_MEMBERS members' activity (the statement the server runs at most every window). */
async function flush(dbPath: string): Promise<Record<string, unknown>> {
  initWorkspace(dbPath, { workspace: WORKSPACE, owner: OWNER });
  seedMembers(dbPath, { workspace: WORKSPACE, emails: Array.from({ length: FLUSH_MEMBERS }, (_, i) => `m${i}@bench.test`) });
  const db = openDatabase(dbPath);
  try {
    const ids = (db.prepare("SELECT id FROM members").all() as { id: string }[]).map((r) => r.id);
    let now = Date.now();
    let statements = 0;
    const store = sqliteActivityStore(db);
    const tracker = new ActivityTracker({ write: (entries) => (statements++, store.write(entries)) }, () => now);
    const recordStart = performance.now();
    for (const id of ids) tracker.record(id, "api");
    const recordMs = performance.now() - recordStart;
    now += 1;
    const flushStart = performance.now();
    const written = tracker.flush();
    const flushMs = performance.now() - flushStart;
    const stored = (db.prepare("SELECT count(*) AS n FROM members WHERE last_active_at IS NOT NULL").get() as { n: number }).n;
    if (stored !== written) throw new Error(`flushed ${written}, stored ${stored}`);
    return { members: written, statements, recordAllMs: round(recordMs), flushMs: round(flushMs) };
  } finally {
    db.close();
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
