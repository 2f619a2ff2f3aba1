import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { createClient } from "../../client/index.js";
import { DEFAULT_RETRY } from "../../client/retry.js";
import { applyPlan } from "../../reconciler/apply/index.js";
import { createPlan } from "../../reconciler/plan.js";
import { mulberry32 } from "../../server/faults.js";
import { change } from "../reconciler/plans.js";

/**
 * A dead server is given up in bounded time, every time: unreachability is shared by the
 * requests in flight, so once the client has seen only connection failures for
 * `giveUpAfterMs` (10 s by default) no request retries any more, apply starts no new
 * change, and the rest are reported not attempted. The worst case is tested, not the
 * average: a clock that only the client's own waits move, seeded jitter (and the
 * always-longest jitter), and a real port on loopback that refuses every connection.
 * GIVE_UP_SEED adds another seed.
 */

/** deadPort is a loopback port nobody listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** virtualTime is a clock that moves only when the client waits: elapsed() is the time a real run would have spent waiting. */
function virtualTime() {
  let t = 1_000_000;
  const start = t;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), elapsed: () => t - start };
}

const JITTERS: [string, () => () => number][] = [
  ["the longest jitter every time", () => () => 0.999999],
  ["seed 7", () => mulberry32(7)],
  ["seed 20261208", () => mulberry32(20261208)],
  [`seed ${process.env.GIVE_UP_SEED ?? 424242}`, () => mulberry32(Number(process.env.GIVE_UP_SEED ?? 424242))],
];

describe("giving up on a dead server", () => {
  it.each(JITTERS)("every request in flight stops retrying once 10 s of only connection failures have passed (%s)", async (_name, jitter) => {
    const time = virtualTime();
    const client = createClient({ baseUrl: `http://127.0.0.1:${await deadPort()}`, token: "ak_test", random: jitter(), sleep: time.sleep, now: time.now });
    try {
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.listMembers("acme")));
      expect(results.every((r) => r.status === "rejected" && (r.reason as { status: number }).status === 0)).toBe(true);
      expect(time.elapsed()).toBeLessThanOrEqual(DEFAULT_RETRY.giveUpAfterMs);
      expect(client.gaveUp()).toBe(true);
      // Given up: a new request is tried once (the server may be back) and not retried, with no wait.
      const retries = client.calls.retries;
      const before = time.elapsed();
      await expect(client.getWorkspace("acme")).rejects.toMatchObject({ status: 0 });
      expect([client.calls.retries, time.elapsed()]).toEqual([retries, before]);
    } finally {
      await client.close();
    }
  });

  it("the old per-request budget alone would wait longer than the bound (the test can fail)", () => {
    // 8 retries of full-jitter backoff capped at 5 s: the longest waits of one request.
    let worst = 0;
    for (let n = 1; n <= DEFAULT_RETRY.retries; n += 1) worst += Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (n - 1));
    expect(worst).toBeGreaterThan(DEFAULT_RETRY.giveUpAfterMs);
  });

  it.each(JITTERS)("apply starts no new change after giving up and reports the rest not attempted, within the bound (%s)", async (_name, jitter) => {
    const time = virtualTime();
    const client = createClient({ baseUrl: `http://127.0.0.1:${await deadPort()}`, token: "ak_test", random: jitter(), sleep: time.sleep, now: time.now });
    try {
      const changes = Array.from({ length: 40 }, (_, i) => change.invite(`p${String(i).padStart(2, "0")}@acme.io`));
      const plan = createPlan({ workspace: "acme", target: "http://127.0.0.1", mode: "authoritative", liveDigest: "d", liveRevision: 1, caller: "owner@acme.io", changes });
      // The breaker is set out of reach: giving up must come from the shared window alone.
      const result = await applyPlan(plan, client, { concurrency: 2, breakerThreshold: 1000 });
      expect(time.elapsed()).toBeLessThanOrEqual(DEFAULT_RETRY.giveUpAfterMs);
      expect(result.applied).toEqual([]);
      expect(result.failed.length + result.notAttempted.length).toBe(40);
      expect(result.notAttempted.length).toBeGreaterThan(0);
      expect(new Set(result.notAttempted.map((n) => n.reason))).toEqual(new Set(["unreachable"]));
    } finally {
      await client.close();
    }
  });
});
