import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type Answer, type TestWorkspace } from "./harness.js";

/** The access history records each change exactly once, with the request id of the answer that made it; nothing for rejections, no-ops or replays. */

let ws: TestWorkspace;
const expected: { action: string; actor: string; target: string; requestId: string }[] = [];

function record(answer: Answer, action: string, target: string, actor = "founder@acme.io"): Answer {
  expect(answer.status).toBeLessThan(300);
  expected.push({ action, actor, target, requestId: answer.headers.get("x-request-id")! });
  return answer;
}

beforeAll(async () => {
  ws = await startWorkspace();
  const role = await ws.call("PUT", wsPath("/roles/viewer"), { body: { permissions: ["logs:read"] } });
  record(role, "role.created", "viewer");
  record(await ws.call("PUT", wsPath("/roles/viewer"), { body: { description: "reads logs", permissions: ["logs:read"] } }), "role.updated", "viewer");
  await ws.call("PUT", wsPath("/roles/viewer"), { body: { description: "reads logs", permissions: ["logs:read"] } }); // no-op
  const inv = record(
    await ws.call("POST", wsPath("/invitations"), { body: { email: "dev@acme.io", role: "developer" }, headers: { "idempotency-key": "a" } }),
    "invitation.created",
    "dev@acme.io",
  );
  await ws.call("POST", wsPath("/invitations"), { body: { email: "dev@acme.io", role: "developer" }, headers: { "idempotency-key": "a" } }); // replay
  await ws.call("POST", wsPath("/invitations"), { body: { email: "dev@acme.io", role: "developer" } }); // 409
  record(await ws.call("PATCH", wsPath(`/invitations/${inv.body.id}`), { body: { role: "viewer" } }), "invitation.updated", "dev@acme.io");
  record(await ws.call("POST", wsPath(`/invitations/${inv.body.id}/resend`)), "invitation.resent", "dev@acme.io");
  const token = (await ws.outbox()).at(-1).token;
  const member = record(await ws.call("POST", "/v1/invitations/accept", { token: null, body: { token } }), "invitation.accepted", "dev@acme.io", "dev@acme.io");
  record(await ws.call("PATCH", wsPath(`/members/${member.body.id}`), { body: { permissions: ["config:read"] } }), "member.updated", "dev@acme.io");
  await ws.call("PATCH", wsPath(`/members/${member.body.id}`), { body: { permissions: ["config:read"] } }); // no-op
  await ws.call("PATCH", wsPath(`/members/${member.body.id}`), { body: { role: "nope" } }); // 400
  const other = record(await ws.call("POST", wsPath("/invitations"), { body: { email: "x@acme.io", role: "viewer" } }), "invitation.created", "x@acme.io");
  record(await ws.call("POST", wsPath(`/invitations/${other.body.id}/revoke`)), "invitation.revoked", "x@acme.io");
  record(await ws.call("DELETE", wsPath(`/members/${member.body.id}`)), "member.removed", "dev@acme.io");
  record(await ws.call("DELETE", wsPath("/roles/viewer")), "role.deleted", "viewer");
  await ws.call("DELETE", wsPath("/roles/viewer")); // 404
});
afterAll(async () => {
  await ws.close();
});

describe("audit log", () => {
  it("records each change once, newest first, with the request id of its answer", async () => {
    const items = (await ws.call("GET", wsPath("/audit"))).body.items;
    const seen = items.map((e: any) => ({ action: e.action, actor: e.actor, target: e.target, requestId: e.requestId }));
    expect(seen).toEqual([...expected].reverse().concat([{ action: "workspace.created", actor: "founder@acme.io", target: "acme", requestId: "cli" }]));
  });

  it("keeps before and after of each change", async () => {
    const [updated] = (await ws.call("GET", wsPath("/audit?action=member.updated"))).body.items;
    expect(updated.before).toMatchObject({ email: "dev@acme.io", permissions: [] });
    expect(updated.after).toMatchObject({ email: "dev@acme.io", permissions: ["config:read"] });
    expect(Date.parse(updated.at)).not.toBeNaN();
    const [removed] = (await ws.call("GET", wsPath("/audit?action=member.removed"))).body.items;
    expect([removed.before.email, removed.after]).toEqual(["dev@acme.io", null]);
  });

  it("filters by actor, target and action, and pages with a cursor", async () => {
    const ids = async (q: string) => (await ws.call("GET", wsPath(`/audit${q}`))).body.items.map((e: any) => e.action);
    expect(await ids("?actor=DEV@acme.io")).toEqual(["invitation.accepted"]);
    expect(await ids("?target=x@acme.io")).toEqual(["invitation.revoked", "invitation.created"]);
    expect(await ids("?action=role.deleted")).toEqual(["role.deleted"]);
    const first = (await ws.call("GET", wsPath("/audit?limit=4"))).body;
    const second = (await ws.call("GET", wsPath(`/audit?limit=4&cursor=${first.nextCursor}`))).body;
    const all = (await ws.call("GET", wsPath("/audit"))).body.items;
    expect([...first.items, ...second.items].map((e: any) => e.id)).toEqual(all.slice(0, 8).map((e: any) => e.id));
  });
});
