import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createClient } from "../client/index.js";
import { computePlan } from "../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import { attributeChanges } from "../reconciler/history.js";
import { buildReview, readReview, REVIEW_HISTORY_PAGE_CAP, renderReviewCsv, renderReviewJson, renderReviewMarkdown } from "../reconciler/review/index.js";
import type { AuditClient } from "../schema/api.js";
import { loadAccessFile } from "../schema/load.js";
import { seedAuditEvents, seedMembers } from "../server/admin.js";
import { initWorkspace, startServer } from "../server/index.js";

/**
 * History in context at scale: 10,000 members and 50,000 access-history events (every
 * member changed about five times, the clients mixed). Measures `review` (its reads, the
 * history pages it needed, and the time of reading, building and each format), an
 * attributed plan (100 members changed by hand: computePlan, then attributeChanges' pages
 * and time) beside the converged plan, which must read no history at all.
 * Targets: review reads at most 16 lists + the history page cap, never one request per
 * person, and stops once everyone's newest event is found (about 10 pages here); the
 * converged plan reads no history.
 */

const MEMBERS = 10_000;
const EVENTS = 50_000;
const CHANGED = 100;
const WORKSPACE = "bench-review";
const OWNER = "owner@bench.test";
const CLIENTS: Exclude<AuditClient, "unknown">[] = ["dashboard", "api", "antryk-access"];

export async function run(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), "antryk-bench-review-"));
  const dbPath = join(dir, "workspace.db");
  try {
    const token = initWorkspace(dbPath, { workspace: WORKSPACE, owner: OWNER });
    const emails = Array.from({ length: MEMBERS - 1 }, (_, i) => `member${String(i).padStart(5, "0")}@bench.test`);
    seedMembers(dbPath, { workspace: WORKSPACE, emails, role: "developer" });
    const start = Date.parse("2026-01-01T00:00:00Z");
    seedAuditEvents(dbPath, {
      workspace: WORKSPACE,
      events: Array.from({ length: EVENTS }, (_, k) => ({
        at: start + k * 60_000,
        actor: OWNER,
        action: "member.updated" as const,
        target: emails[k % emails.length] as string,
        before: null,
        after: null,
        requestId: `req_bench_${k}`,
        client: CLIENTS[k % CLIENTS.length] as Exclude<AuditClient, "unknown">,
      })),
    });
    const converged = join(dir, "converged.yaml");
    const drifted = join(dir, "drifted.yaml");
    await writeFile(converged, accessFileFor(emails, 0));
    await writeFile(drifted, accessFileFor(emails, CHANGED));
    const server = await startServer({ dbPath, port: 0, rateLimit: false });
    const client = createClient({ baseUrl: server.url, token });
    try {
      const review = await reviewOnce(client, drifted);
      const attributed = await planOnce(client, drifted);
      const convergedPlan = await planOnce(client, converged);
      return {
        members: MEMBERS,
        events: EVENTS,
        review,
        attributedPlan: attributed,
        convergedPlan,
        targets: {
          reviewReadsBounded: review.reads.GET <= 16 + REVIEW_HISTORY_PAGE_CAP,
          reviewHistoryStopsWhenEveryoneIsFound: review.history.pagesRead <= Math.ceil(MEMBERS / 1000),
          attributedEveryChange: attributed.unexplained === 0,
          convergedPlanReadsNoHistory: convergedPlan.historyReads === 0,
        },
      };
    } finally {
      await client.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function reviewOnce(client: ReturnType<typeof createClient>, file: string) {
  const { desired } = await loadAccessFile(file);
  client.resetCalls();
  const t0 = performance.now();
  const reads = await readReview(client, WORKSPACE);
  const t1 = performance.now();
  const review = buildReview({ ...reads, target: client.baseUrl, desired, accessFile: "access.yaml", now: new Date(), internalDomains: ["bench.test"] });
  const t2 = performance.now();
  const markdown = renderReviewMarkdown(review);
  const t3 = performance.now();
  const csv = renderReviewCsv(review);
  const t4 = performance.now();
  const json = renderReviewJson(review);
  const t5 = performance.now();
  return {
    reads: client.calls,
    history: review.history,
    readMs: round(t1 - t0),
    buildMs: round(t2 - t1),
    markdownMs: round(t3 - t2),
    markdownChars: markdown.length,
    csvMs: round(t4 - t3),
    csvBytes: Buffer.byteLength(csv),
    jsonMs: round(t5 - t4),
    jsonBytes: Buffer.byteLength(json),
    drift: review.summary.drift,
  };
}

async function planOnce(client: ReturnType<typeof createClient>, file: string) {
  const { desired } = await loadAccessFile(file);
  if (desired === null) throw new Error(`bench: ${file} does not validate`);
  client.resetCalls();
  const t0 = performance.now();
  const live = await fetchWorkspaceState(client, WORKSPACE);
  const t1 = performance.now();
  const plan = computePlan(desired, live, { target: client.baseUrl });
  const t2 = performance.now();
  const before = client.calls.GET;
  const attributed = await attributeChanges(plan, client);
  const t3 = performance.now();
  return {
    changes: plan.changes.length,
    fetchMs: round(t1 - t0),
    computeMs: round(t2 - t1),
    attributeMs: round(t3 - t2),
    historyReads: client.calls.GET - before,
    unexplained: attributed.changes.filter((c) => c.liveSince === null).length,
    reads: client.calls,
  };
}

/** accessFileFor names every member as a developer, except the first `promoted`, whom the file makes account-admins. */
function accessFileFor(emails: string[], promoted: number): string {
  const lines = ["version: 1", `workspace: ${WORKSPACE}`, `owner: ${OWNER}`, "members:"];
  emails.forEach((email, i) => lines.push(`  - email: ${email}`, `    role: ${i < promoted ? "account-admin" : "developer"}`));
  return `${lines.join("\n")}\n`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
