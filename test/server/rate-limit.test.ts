import { afterEach, describe, expect, it } from "vitest";
import { addressKey, RateLimiter } from "../../server/rate-limit.js";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Rate limiting: a token bucket per caller (the hash of its API token once
 * authenticated, else its client address), 429 rate_limited with Retry-After once
 * empty, in a bounded LRU map. Each attack of the security review has its test, with a
 * small limit so that the request counts stay small.
 */

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

  it("remembers at most maxKeys buckets, and a flood of 10,050 new keys does not free a caller that keeps calling", () => {
    const limiter = new RateLimiter({ perSecond: 0.001, burst: 2, maxKeys: 100 }, () => 0);
    const hot: number[] = [];
    for (let i = 0; i < 10_050; i++) {
      limiter.take(`junk-${i}`);
      if (i % 50 === 0) hot.push(limiter.take("hot"));
    }
    expect(hot).toEqual([0, 0, ...Array.from({ length: hot.length - 2 }, () => 1000)]);
    expect(limiter.size).toBe(100);
  });

  it("still limits a fresh key after 10,050 drained junk keys (the review's attack, at the default size)", () => {
    const limiter = new RateLimiter({ perSecond: 0.001, burst: 2 }, () => 0);
    for (let i = 0; i < 10_050; i++) for (let j = 0; j < 3; j++) limiter.take(`junk-${i}`);
    expect(Array.from({ length: 4 }, () => limiter.take("fresh"))).toEqual([0, 0, 1000, 1000]);
  });

  it("refills a drained bucket with time, before anything else", () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, maxKeys: 2 }, () => now);
    expect([limiter.take("a"), limiter.take("a")]).toEqual([0, 1]);
    now = 1000;
    expect(limiter.take("a")).toBe(0);
  });
});

describe("addressKey: the part of an address one caller controls", () => {
  it.each([
    ["IPv4 whole", "192.0.2.7", "192.0.2.7"],
    ["IPv4-mapped IPv6 is the IPv4 address", "::ffff:192.0.2.7", "192.0.2.7"],
    ["IPv6 by its /64", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["another address of the same /64 shares the key", "2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"],
    ["the next /64 does not", "2001:db8:1:3::1", "2001:db8:1:3::/64"],
    ["compressed and upper case", "2001:DB8:0:0::1", "2001:db8:0:0::/64"],
    ["unparsable as it is", "not-an-address", "not-an-address"],
  ])("%s", (_name, ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe("rate limiting over HTTP", () => {
  let ws: TestWorkspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });
  const tiny = { perSecond: 0.001, burst: 3, maxKeys: 20 };

  it("answers 429 rate_limited with Retry-After once a token's bucket is empty, per token", async () => {
    ws = await startWorkspace({ rateLimit: tiny });
    const secondToken = ws.tokenFor("founder@acme.io"); // the same member, another token: another bucket
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ws.call("GET", wsPath())).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await ws.call("GET", wsPath());
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await ws.call("GET", wsPath(), { token: secondToken })).status).toBe(200);
  });

  it("cannot be switched off by a flood of junk Authorization values: a fresh token is still limited", async () => {
    ws = await startWorkspace({ rateLimit: tiny });
    for (let i = 0; i < tiny.maxKeys * 3; i++) await ws.call("GET", wsPath(), { token: `junk-${i}` });
    const fresh = ws.tokenFor("founder@acme.io");
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await ws.call("GET", wsPath(), { token: fresh })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("limits junk tokens per client address", async () => {
    ws = await startWorkspace({ rateLimit: tiny });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await ws.call("GET", wsPath(), { token: `junk-${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it("does not multiply a token's limit by spelling Bearer in 64 casings", async () => {
    ws = await startWorkspace({ rateLimit: tiny });
    const casings = Array.from({ length: 64 }, (_, n) => [..."bearer"].map((c, i) => ((n >> i) & 1 ? c.toUpperCase() : c)).join(""));
    expect(new Set(casings).size).toBe(64);
    const statuses = [];
    for (const scheme of casings) {
      statuses.push((await ws.call("GET", wsPath(), { token: null, headers: { authorization: `${scheme} ${ws.ownerToken}` } })).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
  });

  it("limits POST /v1/invitations/accept per client address, whatever Authorization it carries", async () => {
    ws = await startWorkspace({ rateLimit: tiny });
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const token = i % 2 === 0 ? ws.tokenFor("founder@acme.io") : `junk-${i}`;
      statuses.push((await ws.call("POST", "/v1/invitations/accept", { token, body: { token: `aki_${"x".repeat(43)}` } })).status);
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
  });

  it("charges unknown routes and the dashboard to the client address too", async () => {
    ws = await startWorkspace({ rateLimit: tiny });
    const statuses = [];
    for (const path of ["/nope", "/", "/v1/nope", "/nope"]) statuses.push((await ws.call("GET", path, { token: null })).status);
    expect(statuses).toEqual([404, 200, 404, 429]);
  });

  it("can be turned off", async () => {
    ws = await startWorkspace({ rateLimit: false });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await ws.call("GET", wsPath(), { token: i % 2 === 0 ? ws.ownerToken : "junk" })).status);
    expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
  });

  it("has a generous default", async () => {
    ws = await startWorkspace({ rateLimit: undefined, limits: { maxConnectionsPerAddress: 1_000 } }); // 200 at once is past the connection cap, which is not what this measures
    const answers = await Promise.all(Array.from({ length: 200 }, () => ws!.call("GET", wsPath("/me"))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });
});
