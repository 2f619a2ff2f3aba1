import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { seedMembers } from "../server/admin.js";
import { initWorkspace, startServer } from "../server/index.js";

/**
 * The reference server under load, over real HTTP on 127.0.0.1:0 (rate limit off):
 * - paging all members of a 10,000-member workspace at limit 1000 (time, bytes, requests);
 * - invitations created per second, sequentially and with 8 requests in flight
 *   (each one a transaction: the invitation, its token, the audit event, the revision).
 */

const MEMBERS = 10_000;
const LIMIT = 1000;
const PAGE_RUNS = 3;
const INVITES = 1_000;
const CONCURRENCY = 8;
const WORKSPACE = "bench-server";
const OWNER = "owner@bench.test";

/** run measures paging and invitation throughput and returns them as JSON-serializable numbers. */
export async function run(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), "antryk-bench-server-"));
  const dbPath = join(dir, "workspace.db");
  try {
    const token = initWorkspace(dbPath, { workspace: WORKSPACE, owner: OWNER });
    seedMembers(dbPath, { workspace: WORKSPACE, emails: Array.from({ length: MEMBERS - 1 }, (_, i) => `member${String(i).padStart(5, "0")}@bench.test`) });
    const server = await startServer({ dbPath, port: 0, rateLimit: false });
    try {
      const headers = { authorization: `Bearer ${token}` };
      const pages = [];
      for (let i = 0; i < PAGE_RUNS; i++) pages.push(await pageAll(server.url, headers));
      const best = pages.reduce((a, b) => (b.ms < a.ms ? b : a));

      const sequential = await invite(server.url, token, INVITES / 2, 1, "s");
      const concurrent = await invite(server.url, token, INVITES / 2, CONCURRENCY, "c");
      return {
        members: MEMBERS,
        pageAllMembers: { limit: LIMIT, requests: best.requests, members: best.members, bytes: best.bytes, bestMs: round(best.ms), runsMs: pages.map((p) => round(p.ms)) },
        invitations: {
          sequential: { created: INVITES / 2, perSecond: Math.round((INVITES / 2 / sequential) * 1000), ms: round(sequential) },
          concurrent: { created: INVITES / 2, inFlight: CONCURRENCY, perSecond: Math.round((INVITES / 2 / concurrent) * 1000), ms: round(concurrent) },
        },
        apiCalls: { GET: best.requests * PAGE_RUNS, POST: INVITES },
      };
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function pageAll(url: string, headers: Record<string, string>) {
  const start = performance.now();
  let cursor: string | null = null;
  let requests = 0;
  let bytes = 0;
  let members = 0;
  do {
    const res = await fetch(`${url}/v1/workspaces/${WORKSPACE}/members?limit=${LIMIT}${cursor ? `&cursor=${cursor}` : ""}`, { headers });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`page ${requests}: ${res.status} ${text}`);
    const page = JSON.parse(text) as { items: unknown[]; nextCursor: string | null };
    requests++;
    bytes += Buffer.byteLength(text);
    members += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  if (members !== MEMBERS) throw new Error(`paged ${members} members, expected ${MEMBERS}`);
  return { ms: performance.now() - start, requests, bytes, members };
}

async function invite(url: string, token: string, count: number, inFlight: number, prefix: string): Promise<number> {
  let next = 0;
  const start = performance.now();
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${url}/v1/workspaces/${WORKSPACE}/invitations`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": `${prefix}-${i}` },
        body: JSON.stringify({ email: `invitee-${prefix}-${i}@bench.test`, role: "developer" }),
      });
      if (res.status !== 201) throw new Error(`invite ${i}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return performance.now() - start;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
