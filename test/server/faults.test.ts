import { afterEach, describe, expect, it } from "vitest";
import { FaultPlan, mulberry32, type Fault } from "../../server/faults.js";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/** Fault injection: reproducible from a seed, before or after the commit, never on the dev outbox. */

let ws: TestWorkspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const describeFault = (f: Fault | null) => (f ? `${f.phase}:${f.kind}` : "ok");

/** seedFor finds a seed whose first decisions at `fraction` are `wanted` (searching is cheap and keeps the test honest about the PRNG). */
function seedFor(fraction: number, wanted: string[]): number {
  for (let seed = 1; seed < 100_000; seed++) {
    const plan = new FaultPlan({ fraction, seed });
    if (wanted.every((w) => describeFault(plan.next()) === w)) return seed;
  }
  throw new Error(`no seed gives ${wanted.join(", ")}`);
}

/** outcome sends one request and names what came back: a status, or "drop" for a lost connection. */
async function outcome(url: string, init?: RequestInit): Promise<string> {
  try {
    const res = await fetch(url, init);
    await res.text();
    return String(res.status);
  } catch {
    return "drop";
  }
}

describe("FaultPlan", () => {
  it("is reproducible from its seed and differs across seeds", () => {
    const run = (seed: number) => {
      const plan = new FaultPlan({ fraction: 0.3, seed });
      return Array.from({ length: 200 }, () => describeFault(plan.next())).join(",");
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });

  it.each([0, 0.1, 0.5, 1])("fails close to fraction %d of requests, with every kind and both phases", (fraction) => {
    const plan = new FaultPlan({ fraction, seed: 9 });
    const decisions = Array.from({ length: 10_000 }, () => plan.next());
    const faults = decisions.filter((d): d is Fault => d !== null);
    expect(Math.abs(faults.length / decisions.length - fraction)).toBeLessThan(0.02);
    if (fraction > 0) {
      expect(new Set(faults.map((f) => f.kind))).toEqual(new Set(["500", "503", "429", "drop"]));
      expect(new Set(faults.map((f) => f.phase))).toEqual(new Set(["before", "after"]));
    }
  });

  it("rejects a fraction outside 0..1", () => {
    expect(() => new FaultPlan({ fraction: 1.5, seed: 1 })).toThrow(RangeError);
  });

  it("mulberry32 gives floats in [0, 1)", () => {
    const next = mulberry32(123);
    for (let i = 0; i < 1000; i++) {
      const x = next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

describe("fault injection over HTTP", () => {
  it("fails the same requests the same way for the same seed, as the plan says", async () => {
    const plan = new FaultPlan({ fraction: 0.5, seed: 7 });
    const expected = Array.from({ length: 30 }, () => {
      const f = plan.next();
      return f === null ? "200" : f.kind === "drop" ? "drop" : f.kind;
    });
    for (let round = 0; round < 2; round++) {
      ws = await startWorkspace({ faults: { fraction: 0.5, seed: 7 } });
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) seen.push(await outcome(ws.url + wsPath(), { headers: { authorization: `Bearer ${ws.ownerToken}` } }));
      expect(seen).toEqual(expected);
      await ws.close();
      ws = undefined;
    }
  });

  it("answers 429 and 503 with Retry-After and the error shape", async () => {
    ws = await startWorkspace({ faults: { fraction: 1, seed: seedFor(1, ["before:429", "after:503"]) } });
    const first = await ws.call("GET", wsPath());
    const second = await ws.call("GET", wsPath());
    expect([first.status, first.headers.get("retry-after"), first.body.error.code]).toEqual([429, "1", "rate_limited"]);
    expect([second.status, second.headers.get("retry-after"), second.body.error.code]).toEqual([503, "1", "unavailable"]);
    expect(second.headers.get("etag")).toBeNull();
  });

  it("commits a change whose answer is lost after the commit; the retry with the same key does not duplicate it", async () => {
    ws = await startWorkspace({ faults: { fraction: 0.5, seed: seedFor(0.5, ["after:drop", "ok"]) } });
    const init = {
      method: "POST",
      headers: { authorization: `Bearer ${ws.ownerToken}`, "content-type": "application/json", "idempotency-key": "invite-eve" },
      body: JSON.stringify({ email: "eve@acme.io", role: "developer" }),
    };
    expect(await outcome(ws.url + wsPath("/invitations"), init)).toBe("drop");
    expect((await ws.outbox()).map((m) => m.email)).toEqual(["eve@acme.io"]);
    const retry = await fetch(ws.url + wsPath("/invitations"), init);
    expect([retry.status, retry.headers.get("idempotent-replayed")]).toEqual([201, "true"]);
    expect((await ws.outbox()).length).toBe(1);
    expect(ws.dump().match(/"email":"eve@acme.io"/g)?.length).toBe(1);
  });

  it("replaces the answer of a committed change with a 500", async () => {
    ws = await startWorkspace({ faults: { fraction: 0.5, seed: seedFor(0.5, ["after:500"]) } });
    const answer = await ws.call("POST", wsPath("/invitations"), { body: { email: "x@acme.io", role: "developer" } });
    expect([answer.status, answer.body.error.code, answer.body.error.details]).toEqual([500, "internal", { injected: true }]);
    expect((await ws.outbox()).length).toBe(1);
  });

  it("does nothing for a request failed before the work", async () => {
    ws = await startWorkspace({ faults: { fraction: 0.5, seed: seedFor(0.5, ["before:drop", "before:500"]) } });
    const before = ws.dump();
    const post = () => outcome(ws!.url + wsPath("/invitations"), {
      method: "POST",
      headers: { authorization: `Bearer ${ws!.ownerToken}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "y@acme.io", role: "developer" }),
    });
    expect([await post(), await post()]).toEqual(["drop", "500"]);
    expect(ws.dump()).toBe(before);
    expect(await ws.outbox()).toEqual([]);
  });

  it("never faults the dev outbox", async () => {
    ws = await startWorkspace({ faults: { fraction: 1, seed: 3 } });
    const headers = { authorization: `Bearer ${ws.ownerToken}` };
    for (let i = 0; i < 20; i++) expect(await outcome(ws.url + wsPath("/dev/outbox"), { headers })).toBe("200");
  });
});
