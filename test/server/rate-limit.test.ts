import { afterEach, describe, expect, it } from "vitest";
import { RateLimiter } from "../../server/rate-limit.js";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/** Rate limiting per token: a token bucket, 429 with Retry-After once empty, other tokens unaffected. */

describe("RateLimiter", () => {
  it.each([
    // [perSecond, burst, request times in ms, expected waits]
    [10, 2, [0, 0, 0], [0, 0, 1]],
    [10, 2, [0, 0, 100], [0, 0, 0]],
    [1, 1, [0, 500, 1000], [0, 1, 0]],
    [0.5, 1, [0, 0], [0, 2]],
  ])("perSecond %d, burst %d, at %j waits %j", (perSecond, burst, times, waits) => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond, burst }, () => now);
    const seen = times.map((t) => {
      now = t;
      return limiter.take("k");
    });
    expect(seen).toEqual(waits);
  });

  it("keeps one bucket per key", () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, () => 0);
    expect([limiter.take("a"), limiter.take("b"), limiter.take("a")]).toEqual([0, 0, 1]);
  });
});

describe("rate limiting over HTTP", () => {
  let ws: TestWorkspace | undefined;
  afterEach(async () => {
    await ws?.close();
  });

  it("answers 429 rate_limited with Retry-After once a token's bucket is empty, per token", async () => {
    ws = await startWorkspace({ rateLimit: { perSecond: 0.01, burst: 3 } });
    const secondToken = ws.tokenFor("founder@acme.io"); // the same member, another token: another bucket
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ws.call("GET", wsPath())).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await ws.call("GET", wsPath());
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await ws.call("GET", wsPath(), { token: secondToken })).status).toBe(200);
  });

  it("has a generous default and can be turned off", async () => {
    ws = await startWorkspace({ rateLimit: undefined });
    const answers = await Promise.all(Array.from({ length: 200 }, () => ws!.call("GET", wsPath("/me"))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });
});
