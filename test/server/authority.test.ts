import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Sponsors: an open invitation is valid while its sponsor holds access:manage. A request
 * that takes access:manage from a sponsor of open invitations (removal, role change,
 * grant change, edit of its custom role) must say what happens to them: without
 * `invitations` it is 409 `sponsored_invitations` listing them and changes nothing;
 * `revoke` revokes them and `transfer` makes the caller their sponsor, each recorded in
 * the access history with the reason. Nothing happens the caller did not choose.
 */

let ws: TestWorkspace;
beforeEach(async () => {
  ws = await startWorkspace();
  expect((await ws.call("PUT", wsPath("/roles/gatekeeper"), { body: { permissions: ["access:manage", "logs:read"] } })).status).toBe(201);
});
afterEach(async () => {
  await ws.close();
});

interface Sender {
  member: { id: string; email: string; version: number };
  token: string;
}

/** Each way of losing access:manage, as the owner would do it: the request and the reason the history gives. */
const LOSSES: [string, string, string[], (s: Sender) => [string, string, unknown?], string][] = [
  ["removed", "account-admin", [], (s) => ["DELETE", `/members/${s.member.id}`], "was removed"],
  ["demoted by a role change", "account-admin", [], (s) => ["PATCH", `/members/${s.member.id}`, { role: "developer" }], "lost access:manage"],
  ["stripped of a grant", "developer", ["access:manage"], (s) => ["PATCH", `/members/${s.member.id}`, { permissions: [] }], "lost access:manage"],
  ["left with a custom role that no longer manages access", "gatekeeper", [], () => ["PUT", "/roles/gatekeeper", { permissions: ["logs:read"] }], "lost access:manage"],
];

function withChoice(body: unknown, choice: string | undefined): unknown {
  if (choice === undefined) return body;
  return { ...((body as object | undefined) ?? {}), invitations: choice };
}

describe("loss of authority", () => {
  it.each(LOSSES)("a sponsor %s without a choice is 409 sponsored_invitations, listing them, and nothing changes", async (_name, role, grants, lose) => {
    const sender: Sender = await ws.addMember("admin@acme.io", role, grants);
    const pending = await ws.call("POST", wsPath("/invitations"), { token: sender.token, body: { email: "alt@acme.io", role: "account-admin" } });
    expect([pending.body.invitedBy, pending.body.sponsor]).toEqual(["admin@acme.io", "admin@acme.io"]);
    const before = ws.dump();
    const [method, path, body] = lose(sender);
    const refused = await ws.call(method, wsPath(path), { body });
    expect([refused.status, refused.body.error.code]).toEqual([409, "sponsored_invitations"]);
    expect(refused.body.error.details.invitations).toEqual([
      expect.objectContaining({ id: pending.body.id, email: "alt@acme.io", status: "pending", sponsor: "admin@acme.io" }),
    ]);
    expect(ws.dump()).toBe(before);
  });

  it.each(LOSSES)("revokes the open invitations of a sponsor %s when the request says revoke, with the reason", async (_name, role, grants, lose, reason) => {
    const sender: Sender = await ws.addMember("admin@acme.io", role, grants);
    const pending = await ws.call("POST", wsPath("/invitations"), { token: sender.token, body: { email: "alt@acme.io", role: "account-admin" } });
    expect(pending.status).toBe(201);
    const byOwner = await ws.call("POST", wsPath("/invitations"), { body: { email: "other@acme.io", role: "developer" } });
    const message = (await ws.outbox()).find((m) => m.invitationId === pending.body.id);

    const [method, path, body] = lose(sender);
    const lost = await ws.call(method, wsPath(path), { body: withChoice(body, "revoke") });
    expect(lost.status).toBeLessThan(300);

    const after = await ws.call("GET", wsPath(`/invitations/${pending.body.id}`));
    expect([after.body.status, after.body.invitedBy]).toEqual(["revoked", "admin@acme.io"]);
    expect((await ws.call("GET", wsPath(`/invitations/${byOwner.body.id}`))).body.status).toBe("pending");
    const accepted = await ws.call("POST", "/v1/invitations/accept", { token: null, body: { token: message.token } });
    expect([accepted.status, accepted.body.error.code]).toEqual([410, "invitation_revoked"]);

    const history = (await ws.call("GET", wsPath("/audit?action=invitation.revoked"))).body.items;
    expect(history).toEqual([
      expect.objectContaining({
        actor: "founder@acme.io",
        target: "alt@acme.io",
        reason: `sponsored by admin@acme.io, who ${reason}; revoked as the request chose`,
        requestId: lost.headers.get("x-request-id"),
        after: expect.objectContaining({ status: "revoked" }),
      }),
    ]);
  });

  it.each(LOSSES)("transfers them to the caller when a sponsor %s and the request says transfer; they stay valid", async (_name, role, grants, lose, reason) => {
    const sender: Sender = await ws.addMember("admin@acme.io", role, grants);
    const pending = await ws.call("POST", wsPath("/invitations"), { token: sender.token, body: { email: "alt@acme.io", role: "developer" } });
    const message = (await ws.outbox()).find((m) => m.invitationId === pending.body.id);
    const [method, path, body] = lose(sender);
    const lost = await ws.call(method, wsPath(path), { body: withChoice(body, "transfer") });
    expect(lost.status).toBeLessThan(300);
    const after = (await ws.call("GET", wsPath(`/invitations/${pending.body.id}`))).body;
    expect([after.status, after.invitedBy, after.sponsor, after.version]).toEqual(["pending", "admin@acme.io", "founder@acme.io", pending.body.version]);
    const history = (await ws.call("GET", wsPath("/audit?action=invitation.transferred"))).body.items;
    expect(history.map((e: any) => [e.actor, e.target, e.reason])).toEqual([
      ["founder@acme.io", "alt@acme.io", `sponsored by admin@acme.io, who ${reason}; transferred to founder@acme.io as the request chose`],
    ]);
    const accepted = await ws.call("POST", "/v1/invitations/accept", { token: null, body: { token: message.token } });
    expect(accepted.status).toBe(201);
  });

  it("refuses a transfer to a caller that demotes itself (its invitations cannot go to itself), and changes nothing", async () => {
    const sender = await ws.addMember("admin@acme.io", "account-admin");
    await ws.call("POST", wsPath("/invitations"), { token: sender.token, body: { email: "alt@acme.io", role: "account-admin" } });
    const before = ws.dump();
    const demoted = await ws.call("PATCH", wsPath(`/members/${sender.member.id}`), { token: sender.token, body: { role: "developer", invitations: "transfer" } });
    expect([demoted.status, demoted.body.error.code]).toEqual([409, "transfer_refused"]);
    expect(ws.dump()).toBe(before);
    const revoked = await ws.call("PATCH", wsPath(`/members/${sender.member.id}`), { token: sender.token, body: { role: "developer", invitations: "revoke" } });
    expect(revoked.status).toBe(200);
  });

  it.each([
    ["changes", (id: string) => ["PATCH", `/invitations/${id}`, { role: "logs-reader" }] as const],
    ["resends", (id: string) => ["POST", `/invitations/${id}/resend`, undefined] as const],
  ])("makes whoever %s an invitation its sponsor (invitedBy stays the sender)", async (_name, change) => {
    expect((await ws.call("PUT", wsPath("/roles/logs-reader"), { body: { permissions: ["logs:read"] } })).status).toBe(201);
    const sender = await ws.addMember("admin@acme.io", "account-admin");
    const pending = await ws.call("POST", wsPath("/invitations"), { token: sender.token, body: { email: "alt@acme.io", role: "developer" } });
    const [method, path, body] = change(pending.body.id);
    const changed = await ws.call(method, wsPath(path), { body });
    expect(changed.status).toBe(200);
    expect([changed.body.invitedBy, changed.body.sponsor]).toEqual(["admin@acme.io", "founder@acme.io"]);
    // admin no longer sponsors anything: removing it needs no choice
    expect((await ws.call("DELETE", wsPath(`/members/${sender.member.id}`))).status).toBe(204);
  });

  it.each([
    ["a change that keeps access:manage", "account-admin", (s: Sender) => ["PATCH", `/members/${s.member.id}`, { permissions: ["config:read"] }] as const],
    ["a custom role edit that keeps access:manage", "gatekeeper", () => ["PUT", "/roles/gatekeeper", { permissions: ["access:manage"] }] as const],
    ["a member who also holds access:manage as a grant", "gatekeeper", (s: Sender) => ["PATCH", `/members/${s.member.id}`, { role: "developer", permissions: ["access:manage"] }] as const],
  ])("needs no choice and leaves them alone after %s", async (_name, role, change) => {
    const sender = await ws.addMember("admin@acme.io", role);
    const pending = await ws.call("POST", wsPath("/invitations"), { token: sender.token, body: { email: "alt@acme.io", role: "developer" } });
    const [method, path, body] = change(sender);
    expect((await ws.call(method, wsPath(path), { body })).status).toBeLessThan(300);
    const after = (await ws.call("GET", wsPath(`/invitations/${pending.body.id}`))).body;
    expect([after.status, after.sponsor]).toEqual(["pending", "admin@acme.io"]);
    expect((await ws.call("GET", wsPath("/audit?action=invitation.revoked"))).body.items).toEqual([]);
  });
});

describe("a rogue admin's raise does not outlive it (security review, issue #25)", () => {
  it.each([
    ["revoke", "revoked"],
    ["transfer", "pending"],
  ])("the owner's invitation raised and resent by a rogue admin has the rogue as sponsor; removing the rogue with %s leaves it %s, never silently valid", async (choice, status) => {
    const rogue: Sender = await ws.addMember("rogue@acme.io", "account-admin", []);
    const invited = await ws.call("POST", wsPath("/invitations"), { body: { email: "accomplice@acme.io", role: "developer" } });
    expect(invited.body.sponsor).toBe("founder@acme.io");
    const raised = await ws.call("PATCH", wsPath(`/invitations/${invited.body.id}`), {
      token: rogue.token,
      body: { role: "account-admin" },
    });
    expect([raised.status, raised.body.role, raised.body.invitedBy, raised.body.sponsor]).toEqual([200, "account-admin", "founder@acme.io", "rogue@acme.io"]);
    const resent = await ws.call("POST", wsPath(`/invitations/${invited.body.id}/resend`), { token: rogue.token, body: {} });
    expect([resent.status, resent.body.sponsor]).toEqual([200, "rogue@acme.io"]);

    // Removing the rogue without a choice is refused: the raised invitation is named, nothing changes.
    const refused = await ws.call("DELETE", wsPath(`/members/${rogue.member.id}`));
    expect([refused.status, refused.body.error.code]).toEqual([409, "sponsored_invitations"]);
    expect(refused.body.error.details.invitations).toEqual([expect.objectContaining({ email: "accomplice@acme.io", role: "account-admin", sponsor: "rogue@acme.io" })]);

    const removed = await ws.call("DELETE", wsPath(`/members/${rogue.member.id}`), { body: { invitations: choice } });
    expect(removed.status).toBe(204);
    const after = (await ws.call("GET", wsPath(`/invitations/${invited.body.id}`))).body;
    // A transfer makes the remover answer for it: the owner now vouches for the raise it was shown, by choice.
    expect([after.status, after.sponsor]).toEqual([status, choice === "transfer" ? "founder@acme.io" : "rogue@acme.io"]);
  });
});
