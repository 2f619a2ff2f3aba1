import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWorkspace, testClock, wsPath, type TestClock, type TestWorkspace } from "./harness.js";

/** The invitation lifecycle end to end: invite → outbox → accept → member; expiry at read time; resend; revoke; 410s; 409s. */

const DAY = 24 * 60 * 60 * 1000;
let ws: TestWorkspace;
let clock: TestClock;

beforeEach(async () => {
  clock = testClock();
  ws = await startWorkspace({ clock });
});
afterEach(async () => {
  await ws.close();
});

const invite = (email: string, role = "developer", permissions?: string[]) =>
  ws.call("POST", wsPath("/invitations"), { body: { email, role, ...(permissions ? { permissions } : {}) } });
const accept = (token: string) => ws.call("POST", "/v1/invitations/accept", { token: null, body: { token } });
const tokenOf = async (invitationId: string) => (await ws.outbox()).filter((m) => m.invitationId === invitationId).at(-1).token as string;

describe("invitation lifecycle", () => {
  it("invites, shows the e-mail in the outbox, and turns into a member on accept", async () => {
    const created = await invite("  Eve@Contractor.dev ", "developer", ["domains:manage"]);
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe('"1"');
    expect(created.body).toEqual({
      id: expect.stringMatching(/^inv_/),
      email: "eve@contractor.dev",
      role: "developer",
      permissions: ["domains:manage"],
      status: "pending",
      createdAt: "2027-01-01T00:00:00.000Z",
      expiresAt: "2027-01-08T00:00:00.000Z",
      sendCount: 1,
      lastSentAt: "2027-01-01T00:00:00.000Z",
      invitedBy: "founder@acme.io",
      sponsor: "founder@acme.io",
      version: 1,
      managedBy: null,
      accessExpiresAt: null,
    });
    const outbox = await ws.outbox();
    expect(outbox).toEqual([
      { workspace: "acme", email: "eve@contractor.dev", invitationId: created.body.id, token: expect.stringMatching(/^aki_[\w-]{43}$/), sentAt: "2027-01-01T00:00:00.000Z" },
    ]);
    clock.advance(60_000);
    const member = await accept(outbox[0].token);
    expect(member.status).toBe(201);
    expect(member.body).toMatchObject({
      email: "eve@contractor.dev",
      role: "developer",
      permissions: ["domains:manage"],
      effectivePermissions: ["resources:manage", "deployments:read", "deployments:create", "logs:read", "domains:manage", "config:read"],
      joinedAt: "2027-01-01T00:01:00.000Z",
      invitedBy: "founder@acme.io",
      version: 1,
    });
    const members = (await ws.call("GET", wsPath("/members"))).body.items.map((m: any) => m.email);
    expect(members).toEqual(["founder@acme.io", "eve@contractor.dev"]);
    const after = await ws.call("GET", wsPath(`/invitations/${created.body.id}`));
    expect(after.body.status).toBe("accepted");
    expect((await accept(outbox[0].token)).body.error.code).toBe("invitation_used");
    expect((await accept(outbox[0].token)).status).toBe(410);
  });

  it("reads a pending invitation past its expiry as expired, with no background job", async () => {
    const created = await invite("late@acme.io");
    clock.advance(7 * DAY - 1);
    expect((await ws.call("GET", wsPath(`/invitations/${created.body.id}`))).body.status).toBe("pending");
    clock.advance(1);
    expect((await ws.call("GET", wsPath(`/invitations/${created.body.id}`))).body.status).toBe("expired");
    const answer = await accept(await tokenOf(created.body.id));
    expect([answer.status, answer.body.error.code]).toEqual([410, "invitation_expired"]);
    expect((await ws.call("GET", wsPath("/invitations?status=expired"))).body.items.map((i: any) => i.id)).toEqual([created.body.id]);
    expect((await ws.call("GET", wsPath("/invitations?status=pending"))).body.items).toEqual([]);
  });

  it("resends an expired invitation with a new token, a new expiry and sendCount + 1; the old token no longer works", async () => {
    const created = await invite("again@acme.io");
    const firstToken = await tokenOf(created.body.id);
    clock.advance(8 * DAY);
    const resent = await ws.call("POST", wsPath(`/invitations/${created.body.id}/resend`));
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: "pending", sendCount: 2, lastSentAt: "2027-01-09T00:00:00.000Z", expiresAt: "2027-01-16T00:00:00.000Z", version: 2 });
    const secondToken = await tokenOf(created.body.id);
    expect(secondToken).not.toBe(firstToken);
    const old = await accept(firstToken);
    expect([old.status, old.body.error.code]).toEqual([410, "invitation_expired"]);
    expect((await accept(secondToken)).status).toBe(201);
  });

  it("revokes: accepting a revoked invitation is 410 invitation_revoked, and it cannot be resent or revoked again", async () => {
    const created = await invite("nope@acme.io");
    const revoked = await ws.call("POST", wsPath(`/invitations/${created.body.id}/revoke`));
    expect([revoked.status, revoked.body.status, revoked.body.version]).toEqual([200, "revoked", 2]);
    const answer = await accept(await tokenOf(created.body.id));
    expect([answer.status, answer.body.error.code]).toEqual([410, "invitation_revoked"]);
    expect((await ws.call("POST", wsPath(`/invitations/${created.body.id}/resend`))).status).toBe(409);
    expect((await ws.call("POST", wsPath(`/invitations/${created.body.id}/revoke`))).status).toBe(409);
    expect((await ws.call("PATCH", wsPath(`/invitations/${created.body.id}`), { body: { role: "account-admin" } })).status).toBe(409);
    // a revoked invitation does not block a fresh one
    expect((await invite("nope@acme.io")).status).toBe(201);
  });

  it("changes a pending invitation's role and grants in place", async () => {
    const created = await invite("p@acme.io");
    const patched = await ws.call("PATCH", wsPath(`/invitations/${created.body.id}`), { body: { role: "account-admin", permissions: ["config:read"] } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ role: "account-admin", permissions: ["config:read"], version: 2, sendCount: 1 });
    const member = await accept(await tokenOf(created.body.id));
    expect(member.body.role).toBe("account-admin");
  });

  it.each([
    ["an active member", "already_member"],
    ["an email with a pending invitation", "invitation_pending"],
  ])("answers 409 for inviting %s", async (what, code) => {
    if (what === "an active member") await ws.addMember("taken@acme.io", "developer");
    else await invite("taken@acme.io");
    const answer = await invite("TAKEN@acme.io");
    expect([answer.status, answer.body.error.code]).toEqual([409, code]);
  });

  it("answers 404 for an unknown invitation token and 400 for something that is not one", async () => {
    expect((await accept(`aki_${"A".repeat(43)}`)).status).toBe(404);
    const malformed = await accept("hello");
    expect([malformed.status, malformed.body.error.details.field]).toEqual([400, "token"]);
  });

  it("filters by status, comma-separated", async () => {
    const a = (await invite("a@acme.io")).body.id;
    const b = (await invite("b@acme.io")).body.id;
    await ws.call("POST", wsPath(`/invitations/${b}/revoke`));
    const list = async (q: string) => (await ws.call("GET", wsPath(`/invitations${q}`))).body.items.map((i: any) => i.id);
    expect(await list("")).toEqual([a, b]);
    expect(await list("?status=pending")).toEqual([a]);
    expect(await list("?status=revoked,pending")).toEqual([a, b]);
    const bad = await ws.call("GET", wsPath("/invitations?status=lost"));
    expect([bad.status, bad.body.error.details.field]).toEqual([400, "status"]);
  });

  it("uses the configured time to live", async () => {
    await ws.close();
    ws = await startWorkspace({ clock, invitationTtlMs: 90_000 });
    const created = await invite("short@acme.io");
    expect(created.body.expiresAt).toBe("2027-01-01T00:01:30.000Z");
  });
});
