import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Invitations die with their sender's authority: when a member is removed or loses
 * access:manage (role change, grant change, or an edit of its custom role), every open
 * invitation it sent is revoked in the same transaction, each recorded in the access
 * history with the reason. Invitations of other senders, and of a sender who keeps
 * access:manage, are left alone.
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

describe("loss of authority", () => {
  it.each(LOSSES)("revokes the open invitations of a sender %s, with the reason in the access history", async (_name, role, grants, lose, reason) => {
    const sender: Sender = await ws.addMember("admin@acme.io", role, grants);
    const pending = await ws.call("POST", wsPath("/invitations"), { token: sender.token, body: { email: "alt@acme.io", role: "account-admin" } });
    expect(pending.status).toBe(201);
    const byOwner = await ws.call("POST", wsPath("/invitations"), { body: { email: "other@acme.io", role: "developer" } });
    const message = (await ws.outbox()).find((m) => m.invitationId === pending.body.id);

    const [method, path, body] = lose(sender);
    const lost = await ws.call(method, wsPath(path), { body });
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
        reason: `sent by admin@acme.io, who ${reason}`,
        requestId: lost.headers.get("x-request-id"),
        after: expect.objectContaining({ status: "revoked" }),
      }),
    ]);
  });

  it("revokes them when the sender demotes itself, too", async () => {
    const sender = await ws.addMember("admin@acme.io", "account-admin");
    const pending = await ws.call("POST", wsPath("/invitations"), { token: sender.token, body: { email: "alt@acme.io", role: "account-admin" } });
    const demoted = await ws.call("PATCH", wsPath(`/members/${sender.member.id}`), { token: sender.token, body: { role: "developer" } });
    expect(demoted.status).toBe(200);
    expect((await ws.call("GET", wsPath(`/invitations/${pending.body.id}`))).body.status).toBe("revoked");
  });

  it.each([
    ["a change that keeps access:manage", "account-admin", (s: Sender) => ["PATCH", `/members/${s.member.id}`, { permissions: ["config:read"] }] as const],
    ["a custom role edit that keeps access:manage", "gatekeeper", () => ["PUT", "/roles/gatekeeper", { permissions: ["access:manage"] }] as const],
    ["a member who also holds access:manage as a grant", "gatekeeper", (s: Sender) => ["PATCH", `/members/${s.member.id}`, { role: "developer", permissions: ["access:manage"] }] as const],
  ])("leaves them alone after %s", async (_name, role, change) => {
    const sender = await ws.addMember("admin@acme.io", role);
    const pending = await ws.call("POST", wsPath("/invitations"), { token: sender.token, body: { email: "alt@acme.io", role: "developer" } });
    const [method, path, body] = change(sender);
    expect((await ws.call(method, wsPath(path), { body })).status).toBeLessThan(300);
    expect((await ws.call("GET", wsPath(`/invitations/${pending.body.id}`))).body.status).toBe("pending");
    expect((await ws.call("GET", wsPath("/audit?action=invitation.revoked"))).body.items).toEqual([]);
  });
});
