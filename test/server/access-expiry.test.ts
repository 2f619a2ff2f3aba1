import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWorkspace, testClock, wsPath, type TestClock, type TestWorkspace } from "./harness.js";

/**
 * Time-bound access (docs/api.md, "Time-bound access"): members and invitations carry
 * `accessExpiresAt`; past it, on the server's own (injected) clock, the member's tokens are
 * refused with 401 `access_expired`, the member reads as `status: expired` until removed, and
 * an invitation reads as expired and cannot be accepted or resent.
 */

const HOUR = 60 * 60 * 1000;
const END = "2027-01-02T00:00:00.000Z"; // the test clock starts at 2027-01-01T00:00:00Z
let ws: TestWorkspace;
let clock: TestClock;

beforeEach(async () => {
  clock = testClock();
  ws = await startWorkspace({ clock });
});
afterEach(async () => {
  await ws.close();
});

const invite = (body: Record<string, unknown>) => ws.call("POST", wsPath("/invitations"), { body: { role: "developer", ...body } });
const accept = (token: string) => ws.call("POST", "/v1/invitations/accept", { token: null, body: { token } });
const tokenOf = async (invitationId: string) => (await ws.outbox()).filter((m) => m.invitationId === invitationId).at(-1).token as string;

describe("time-bound access", () => {
  it("passes an invitation's accessExpiresAt on to its member; past it the token is refused and the member reads expired until removed", async () => {
    const created = await invite({ email: "eve@contractor.dev", accessExpiresAt: "2027-01-02T01:00:00+01:00" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "pending", accessExpiresAt: END });
    const joined = await accept(await tokenOf(created.body.id));
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ status: "active", accessExpiresAt: END });
    const token = ws.tokenFor("eve@contractor.dev");

    clock.advance(24 * HOUR - 1);
    expect((await ws.call("GET", wsPath("/me"), { token })).status).toBe(200);

    clock.advance(1);
    const refused = await ws.call("GET", wsPath("/me"), { token });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: "access_expired", message: expect.stringContaining(END) });
    const members = (await ws.call("GET", wsPath("/members"))).body.items;
    expect(members.map((m: any) => [m.email, m.status, m.accessExpiresAt])).toEqual([
      ["founder@acme.io", "active", null],
      ["eve@contractor.dev", "expired", END],
    ]);

    const removed = await ws.call("DELETE", wsPath(`/members/${joined.body.id}`));
    expect(removed.status).toBe(204);
    expect((await ws.call("GET", wsPath("/members"))).body.items.map((m: any) => m.email)).toEqual(["founder@acme.io"]);
  });

  it("extends or clears a member's access with PATCH, which gives the token back", async () => {
    const { member, token } = await ws.addMember("bob@acme.io", "developer");
    expect(member).toMatchObject({ status: "active", accessExpiresAt: null });
    const set = await ws.call("PATCH", wsPath(`/members/${member.id}`), { body: { accessExpiresAt: END } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ accessExpiresAt: END, version: member.version + 1 });
    clock.advance(25 * HOUR);
    expect((await ws.call("GET", wsPath("/me"), { token })).body.error.code).toBe("access_expired");
    const cleared = await ws.call("PATCH", wsPath(`/members/${member.id}`), { body: { accessExpiresAt: null } });
    expect(cleared.body).toMatchObject({ status: "active", accessExpiresAt: null });
    expect((await ws.call("GET", wsPath("/me"), { token })).status).toBe(200);
  });

  it("refuses to accept or resend an invitation whose access has ended, and lets the email be invited again", async () => {
    const created = await invite({ email: "eve@contractor.dev", accessExpiresAt: END });
    const token = await tokenOf(created.body.id);
    clock.advance(24 * HOUR);
    const read = await ws.call("GET", wsPath(`/invitations/${created.body.id}`));
    expect(read.body).toMatchObject({ status: "expired", accessExpiresAt: END });
    const accepted = await accept(token);
    expect(accepted.status).toBe(410);
    expect(accepted.body.error.code).toBe("access_expired");
    const resent = await ws.call("POST", wsPath(`/invitations/${created.body.id}/resend`));
    expect(resent.status).toBe(409);
    expect(resent.body.error.code).toBe("access_expired");
    expect((await ws.call("GET", wsPath("/invitations?status=expired"))).body.items.map((i: any) => i.id)).toEqual([created.body.id]);
    expect((await invite({ email: "eve@contractor.dev", accessExpiresAt: "2027-02-01T00:00:00Z" })).status).toBe(201);
  });

  it("changes a pending invitation's accessExpiresAt with PATCH", async () => {
    const created = await invite({ email: "eve@contractor.dev" });
    expect(created.body.accessExpiresAt).toBeNull();
    const patched = await ws.call("PATCH", wsPath(`/invitations/${created.body.id}`), { body: { accessExpiresAt: END } });
    expect(patched.body).toMatchObject({ accessExpiresAt: END, version: 2 });
    const same = await ws.call("PATCH", wsPath(`/invitations/${created.body.id}`), { body: { accessExpiresAt: END } });
    expect(same.body.version).toBe(2);
  });

  it.each([
    ["an instant already past on the server's clock", "2026-12-31T23:59:59Z"],
    ["the server's now itself", "2027-01-01T00:00:00Z"],
    ["a date without a time", "2027-01-02"],
    ["no offset", "2027-01-02T00:00:00"],
    ["a day that does not exist", "2027-02-30T00:00:00Z"],
    ["hour 24", "2027-01-02T24:00:00Z"],
    ["words", "tomorrow"],
  ])("refuses %s as accessExpiresAt (400 naming the field), changing nothing", async (_name, value) => {
    const before = ws.dump();
    const answer = await invite({ email: "eve@contractor.dev", accessExpiresAt: value });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "validation_failed", details: { field: "accessExpiresAt" } });
    expect(ws.dump()).toBe(before);
  });
});
