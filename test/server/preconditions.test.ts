import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/** Idempotent POST, If-Match (412), ETags and the 409s of roles. */

let ws: TestWorkspace;
beforeEach(async () => {
  ws = await startWorkspace();
});
afterEach(async () => {
  await ws.close();
});

const countInvitations = async () => (await ws.call("GET", wsPath("/invitations"))).body.items.length;

describe("Idempotency-Key on POST", () => {
  it("replays the stored first answer for a repeat and changes nothing", async () => {
    const body = { email: "once@acme.io", role: "developer" };
    const first = await ws.call("POST", wsPath("/invitations"), { body, headers: { "idempotency-key": "k-1" } });
    const before = ws.dump();
    const repeat = await ws.call("POST", wsPath("/invitations"), { body, headers: { "idempotency-key": "k-1" } });
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(ws.dump()).toBe(before);
    expect(await countInvitations()).toBe(1);
    expect((await ws.outbox()).length).toBe(1);
  });

  it("answers 422 idempotency_key_reused for the same key with a different body, changing nothing", async () => {
    await ws.call("POST", wsPath("/invitations"), { body: { email: "a@acme.io", role: "developer" }, headers: { "idempotency-key": "k-2" } });
    const before = ws.dump();
    const reused = await ws.call("POST", wsPath("/invitations"), { body: { email: "b@acme.io", role: "developer" }, headers: { "idempotency-key": "k-2" } });
    expect([reused.status, reused.body.error.code]).toEqual([422, "idempotency_key_reused"]);
    expect(ws.dump()).toBe(before);
  });

  it("keeps keys per caller, covers resend, revoke and accept, and does not store failures", async () => {
    const admin = await ws.addMember("admin@acme.io", "account-admin");
    const a = await ws.call("POST", wsPath("/invitations"), { body: { email: "x@acme.io", role: "developer" }, headers: { "idempotency-key": "same" } });
    const b = await ws.call("POST", wsPath("/invitations"), { token: admin.token, body: { email: "y@acme.io", role: "account-admin" }, headers: { "idempotency-key": "same" } });
    expect([a.status, b.status]).toEqual([201, 201]);

    const resend1 = await ws.call("POST", wsPath(`/invitations/${a.body.id}/resend`), { headers: { "idempotency-key": "r" } });
    const resend2 = await ws.call("POST", wsPath(`/invitations/${a.body.id}/resend`), { headers: { "idempotency-key": "r" } });
    expect([resend1.body.sendCount, resend2.body.sendCount]).toEqual([2, 2]);

    const token = (await ws.outbox()).filter((m) => m.invitationId === b.body.id)[0].token;
    const acc1 = await ws.call("POST", "/v1/invitations/accept", { token: null, body: { token }, headers: { "idempotency-key": "acc" } });
    const acc2 = await ws.call("POST", "/v1/invitations/accept", { token: null, body: { token }, headers: { "idempotency-key": "acc" } });
    expect([acc1.status, acc2.status, acc2.body.id]).toEqual([201, 201, acc1.body.id]);
    // another invitee may use the same key: accept keys are kept per invitation token
    const c = await ws.call("POST", wsPath("/invitations"), { body: { email: "z@acme.io", role: "developer" } });
    const otherToken = (await ws.outbox()).filter((m) => m.invitationId === c.body.id)[0].token;
    const acc3 = await ws.call("POST", "/v1/invitations/accept", { token: null, body: { token: otherToken }, headers: { "idempotency-key": "acc" } });
    expect([acc3.status, acc3.body.email]).toEqual([201, "z@acme.io"]);

    const conflict = await ws.call("POST", wsPath("/invitations"), { body: { email: "x@acme.io", role: "developer" }, headers: { "idempotency-key": "fails" } });
    expect(conflict.status).toBe(409);
    await ws.call("POST", wsPath(`/invitations/${a.body.id}/revoke`));
    const retried = await ws.call("POST", wsPath("/invitations"), { body: { email: "x@acme.io", role: "developer" }, headers: { "idempotency-key": "fails" } });
    expect(retried.status).toBe(201);
  });

  it("creates one invitation for 20 concurrent identical POSTs, with or without a shared key", async () => {
    const body = { email: "race@acme.io", role: "developer" };
    const keyed = await Promise.all(Array.from({ length: 20 }, () => ws.call("POST", wsPath("/invitations"), { body, headers: { "idempotency-key": "race" } })));
    expect(keyed.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(keyed.map((a) => a.body.id)).size).toBe(1);
    const other = { email: "race2@acme.io", role: "developer" };
    const unkeyed = await Promise.all(Array.from({ length: 20 }, () => ws.call("POST", wsPath("/invitations"), { body: other })));
    expect(unkeyed.map((a) => a.status).sort()).toEqual([201, ...Array(19).fill(409)]);
    expect(await countInvitations()).toBe(2);
  });

  it("rejects a malformed key", async () => {
    const answer = await ws.call("POST", wsPath("/invitations"), { body: { email: "k@acme.io", role: "developer" }, headers: { "idempotency-key": "a b" } });
    expect([answer.status, answer.body.error.details.field]).toEqual([400, "Idempotency-Key"]);
  });
});

describe("If-Match", () => {
  it("answers 412 whenever If-Match is not exactly the current ETag, on every conditional route, changing nothing", async () => {
    const { member } = await ws.addMember("dev@acme.io", "developer");
    const invitation = (await ws.call("POST", wsPath("/invitations"), { body: { email: "i@acme.io", role: "developer" } })).body;
    await ws.call("PUT", wsPath("/roles/viewer"), { body: { permissions: ["logs:read"] } });
    const targets: [string, string, unknown?][] = [
      ["PATCH", `/members/${member.id}`, { role: "account-admin" }],
      ["DELETE", `/members/${member.id}`],
      ["PATCH", `/invitations/${invitation.id}`, { role: "account-admin" }],
      ["POST", `/invitations/${invitation.id}/resend`],
      ["POST", `/invitations/${invitation.id}/revoke`],
      ["PUT", "/roles/viewer", { permissions: ["config:read"] }],
      ["DELETE", "/roles/viewer"],
    ];
    for (const ifMatch of ['"2"', "1", "*", 'W/"1"', '"1", "2"', ""]) {
      for (const [method, path, body] of targets) {
        const before = ws.dump();
        const answer = await ws.call(method, wsPath(path), { body, headers: { "if-match": ifMatch } });
        expect([method, path, ifMatch, answer.status, answer.body.error.code]).toEqual([method, path, ifMatch, 412, "precondition_failed"]);
        expect(answer.headers.get("etag")).toBe('"1"');
        expect(ws.dump()).toBe(before);
      }
    }
    // the exact ETag passes (one route per kind of object; each bumps the version)
    for (const [method, path, body] of [targets[0]!, targets[2]!, targets[5]!]) {
      const answer = await ws.call(method, wsPath(path), { body, headers: { "if-match": '"1"' } });
      expect([method, path, answer.status, answer.headers.get("etag")]).toEqual([method, path, 200, '"2"']);
    }
  });

  it("sets ETag on every single-object answer, equal to its version", async () => {
    const me = await ws.call("GET", wsPath("/me"));
    expect(me.headers.get("etag")).toBe(`"${me.body.version}"`);
    const workspace = await ws.call("GET", wsPath());
    expect(workspace.headers.get("etag")).toBe(`"${workspace.body.revision}"`);
    const member = await ws.call("GET", wsPath(`/members/${me.body.id}`));
    expect(member.headers.get("etag")).toBe('"1"');
  });

  it("bumps the workspace revision on every change and not on a no-op", async () => {
    const revision = async () => (await ws.call("GET", wsPath())).body.revision;
    const r0 = await revision();
    const { member } = await ws.addMember("dev@acme.io", "developer");
    const r1 = await revision();
    expect(r1).toBe(r0 + 2); // invited, accepted
    const same = await ws.call("PATCH", wsPath(`/members/${member.id}`), { body: { role: "developer" } });
    expect([same.status, same.body.version]).toEqual([200, 1]);
    expect(await revision()).toBe(r1);
    await ws.call("PATCH", wsPath(`/members/${member.id}`), { body: { role: "account-admin" } });
    expect(await revision()).toBe(r1 + 1);
  });
});

describe("roles", () => {
  it("creates (201), replaces (200), and refuses to delete a role still held (409 role_in_use)", async () => {
    const created = await ws.call("PUT", wsPath("/roles/release-manager"), { body: { description: "Ships", permissions: ["logs:read", "deployments:create"] } });
    expect([created.status, created.body]).toEqual([201, { name: "release-manager", description: "Ships", permissions: ["deployments:create", "logs:read"], builtIn: false, version: 1, managedBy: null }]);
    const replaced = await ws.call("PUT", wsPath("/roles/release-manager"), { body: { description: "Ships", permissions: ["logs:read"] } });
    expect([replaced.status, replaced.body.version]).toEqual([200, 2]);
    await ws.addMember("rm@acme.io", "release-manager");
    const before = ws.dump();
    const inUse = await ws.call("DELETE", wsPath("/roles/release-manager"));
    expect([inUse.status, inUse.body.error.code, inUse.body.error.details]).toEqual([409, "role_in_use", { members: 1, pendingInvitations: 0 }]);
    expect(ws.dump()).toBe(before);
    const roles = (await ws.call("GET", wsPath("/roles"))).body.items;
    expect(roles.map((r: any) => [r.name, r.builtIn])).toEqual([["owner", true], ["account-admin", true], ["developer", true], ["release-manager", false]]);
  });

  it("counts a pending invitation as holding a role", async () => {
    await ws.call("PUT", wsPath("/roles/viewer"), { body: { permissions: ["logs:read"] } });
    await ws.call("POST", wsPath("/invitations"), { body: { email: "v@acme.io", role: "viewer" } });
    expect((await ws.call("DELETE", wsPath("/roles/viewer"))).status).toBe(409);
  });

  it.each([
    ["owner", "built-in"],
    ["developer", "built-in"],
    ["Bad_Name", "not a custom role name"],
  ])("refuses to define a role named %s", async (name, why) => {
    const answer = await ws.call("PUT", wsPath(`/roles/${name}`), { body: { permissions: [] } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.field).toBe("name");
    expect(answer.body.error.message).toContain(why);
  });

  it.each([
    [["billing:manage"], "permissions[0]", "owner-only"],
    [["logs:read", "ownership:transfer"], "permissions[1]", "owner-only"],
    [["logs:reed"], "permissions[0]", "unknown permission"],
  ])("refuses permissions %j naming %s", async (permissions, field, why) => {
    const answer = await ws.call("PUT", wsPath("/roles/r1"), { body: { permissions } });
    expect([answer.status, answer.body.error.details.field]).toEqual([400, field]);
    expect(answer.body.error.message).toContain(why);
  });
});
