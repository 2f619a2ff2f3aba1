import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { requestHash } from "../../server/change.js";
import { startServer } from "../../server/index.js";
import { startWorkspace, testClock, wsPath, type TestClock, type TestWorkspace } from "./harness.js";

/**
 * Idempotency records are kept for a bounded time (24 h unless told otherwise), decided
 * by the server's injectable clock: within it a repeat replays the first answer; after
 * it the same key is a new request, and expired records are purged. Bodies are compared
 * canonically (key order does not matter); a body that cannot be hashed is a 400.
 */

const HOUR = 60 * 60 * 1000;
let ws: TestWorkspace | undefined;
let clock: TestClock;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const invite = (email: string, key: string) =>
  ws!.call("POST", wsPath("/invitations"), { body: { email, role: "developer" }, headers: { "idempotency-key": key } });
const storedKeys = () => {
  const db = new Database(ws!.dbPath, { readonly: true });
  try {
    return (db.prepare("SELECT key FROM idempotency_keys ORDER BY key").all() as { key: string }[]).map((r) => r.key);
  } finally {
    db.close();
  }
};

describe("idempotency retention", () => {
  it("replays within 24 h by default, and treats the same key after that as a new request", async () => {
    clock = testClock();
    ws = await startWorkspace({ clock });
    const first = await invite("a@acme.io", "k");
    clock.advance(24 * HOUR - 1);
    const replay = await invite("a@acme.io", "k");
    expect([replay.status, replay.headers.get("idempotent-replayed"), replay.body.id]).toEqual([201, "true", first.body.id]);
    clock.advance(1);
    // a different body under the expired key is no longer 422: it is a new request
    const other = await invite("b@acme.io", "k");
    expect([other.status, other.headers.get("idempotent-replayed"), other.body.email]).toEqual([201, null, "b@acme.io"]);
  });

  it("runs a replay after expiry as a new request: a person revoked and re-invited gets a new invitation", async () => {
    clock = testClock();
    ws = await startWorkspace({ clock, idempotencyTtlMs: HOUR });
    const first = await invite("bob@acme.io", "invite-bob");
    expect((await ws.call("POST", wsPath(`/invitations/${first.body.id}/revoke`))).status).toBe(200);
    const early = await invite("bob@acme.io", "invite-bob");
    expect([early.status, early.body.id, early.body.status]).toEqual([201, first.body.id, "pending"]); // the stored first answer
    clock.advance(HOUR);
    const again = await invite("bob@acme.io", "invite-bob");
    expect([again.status, again.headers.get("idempotent-replayed")]).toEqual([201, null]);
    expect(again.body.id).not.toBe(first.body.id);
    expect((await ws.call("GET", wsPath("/invitations?status=pending"))).body.items.map((i: any) => i.id)).toEqual([again.body.id]);
  });

  it("purges expired records as new ones are stored", async () => {
    clock = testClock();
    ws = await startWorkspace({ clock, idempotencyTtlMs: HOUR });
    for (const n of [1, 2, 3]) await invite(`p${n}@acme.io`, `old-${n}`);
    clock.advance(HOUR / 2);
    await invite("q@acme.io", "young");
    expect(storedKeys()).toEqual(["old-1", "old-2", "old-3", "young"]);
    clock.advance(HOUR / 2);
    await invite("r@acme.io", "new");
    expect(storedKeys()).toEqual(["new", "young"]);
  });

  it("purges what expired while it was stopped when it starts", async () => {
    clock = testClock();
    ws = await startWorkspace({ clock, idempotencyTtlMs: HOUR });
    await invite("p@acme.io", "old");
    await ws.server.close();
    clock.advance(HOUR);
    const restarted = await startServer({ dbPath: ws.dbPath, now: clock.now, idempotencyTtlMs: HOUR });
    try {
      expect(storedKeys()).toEqual([]);
    } finally {
      await restarted.close();
    }
  });

  it("refuses a TTL that is not a positive whole number of milliseconds", async () => {
    await expect(startWorkspace({ idempotencyTtlMs: 0 })).rejects.toThrow(/idempotencyTtlMs/);
  });
});

describe("canonical body comparison", () => {
  it("replays a repeat whose JSON keys come in another order, and still refuses a different body", async () => {
    ws = await startWorkspace();
    const headers = { "content-type": "application/json", "idempotency-key": "k" };
    const first = await ws.call("POST", wsPath("/invitations"), { rawBody: '{"email":"a@acme.io","role":"developer","permissions":["logs:read"]}', headers });
    const reordered = await ws.call("POST", wsPath("/invitations"), { rawBody: '{ "permissions": ["logs:read"], "role": "developer", "email": "a@acme.io" }', headers });
    expect([first.status, reordered.status, reordered.headers.get("idempotent-replayed"), reordered.body.id]).toEqual([201, 201, "true", first.body.id]);
    const different = await ws.call("POST", wsPath("/invitations"), { rawBody: '{"email":"a@acme.io","role":"developer"}', headers });
    expect([different.status, different.body.error.code]).toEqual([422, "idempotency_key_reused"]);
  });

  it.each([
    [{ b: 1, a: [{ d: 2, c: null }] }, { a: [{ c: null, d: 2 }], b: 1 }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: "1" }, { a: 1 }, false],
  ])("hashes %j and %j alike: %s", (x, y, same) => {
    const request = (body: unknown) => ({ method: "POST", url: "/v1/x", body });
    expect(requestHash(request(x)) === requestHash(request(y))).toBe(same);
  });

  it("answers 400 for a body too deep to hash, never 500", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(() => requestHash({ method: "POST", url: "/v1/x", body: deep })).toThrow(expect.objectContaining({ status: 400, code: "bad_request" }));
  });
});

describe("resend and revoke take no body", () => {
  it.each(["resend", "revoke"])("%s: a 100,000-deep JSON body with an Idempotency-Key is 400, an empty object or no body is fine", async (action) => {
    ws = await startWorkspace({ limits: { bodyLimitBytes: 1024 * 1024 } }); // the deep bodies are past the default body limit (413)
    const created = await ws.call("POST", wsPath("/invitations"), { body: { email: "a@acme.io", role: "developer" } });
    const path = wsPath(`/invitations/${created.body.id}/${action}`);
    const headers = { "content-type": "application/json", "idempotency-key": "deep" };
    for (const rawBody of ["[".repeat(100_000) + "]".repeat(100_000), '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000), '{"x":1}']) {
      const answer = await ws.call("POST", path, { rawBody, headers });
      expect([answer.status, answer.body.error.code]).toEqual([400, "validation_failed"]);
    }
    expect((await ws.call("POST", path, { rawBody: "{}", headers: { "content-type": "application/json" } })).status).toBe(200);
  });
});
