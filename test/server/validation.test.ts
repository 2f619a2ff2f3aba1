import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/** Bad requests name the field at fault and change nothing; tokens live in the database only as SHA-256 hashes. */

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await startWorkspace();
});
afterAll(async () => {
  await ws.close();
});

describe("validation names the request field", () => {
  it.each([
    ["POST", "/invitations", { role: "developer" }, "email", "is required"],
    ["POST", "/invitations", { email: "a@acme.io" }, "role", "is required"],
    ["POST", "/invitations", { email: "a@acme.io", role: "developer", perms: [] }, "perms", "is not a known field"],
    ["POST", "/invitations", { email: 7, role: "developer" }, "email", "must be string"],
    ["POST", "/invitations", { email: "not an email", role: "developer" }, "email", "is not an email address"],
    ["POST", "/invitations", { email: "a@acme.io", role: "admin" }, "role", 'unknown role "admin"'],
    ["POST", "/invitations", { email: "a@acme.io", role: "developer", permissions: "logs:read" }, "permissions", "must be array"],
    ["POST", "/invitations", { email: "a@acme.io", role: "developer", permissions: ["logs:read", 3] }, "permissions[1]", "must be string"],
    ["POST", "/invitations", { email: "a@acme.io", role: "developer", permissions: ["logs:read", "logs:write"] }, "permissions[1]", 'unknown permission "logs:write"'],
    ["POST", "/invitations", [], "body", "must be object"],
    ["PUT", "/roles/r1", { description: "x" }, "permissions", "is required"],
    ["PUT", "/roles/r1", { permissions: [], description: 5 }, "description", "must be string"],
    ["POST", "/invitations", null, "body", "must be object"],
  ])("%s %s %j → 400 naming %s", async (method, path, body, field, message) => {
    const before = ws.dump();
    const answer = await ws.call(method, wsPath(path), { body });
    expect([answer.status, answer.body.error.code, answer.body.error.details.field]).toEqual([400, "validation_failed", field]);
    expect(answer.body.error.message).toContain(message);
    expect(ws.dump()).toBe(before);
  });

  it.each([
    ["not JSON", "{email:", "application/json", 400],
    ["not a JSON content type", '{"email":"a@acme.io","role":"developer"}', "text/plain", 415],
  ])("refuses a body that is %s", async (_what, rawBody, type, status) => {
    const answer = await ws.call("POST", wsPath("/invitations"), { rawBody, headers: { "content-type": type } });
    expect([answer.status, answer.body.error.code]).toEqual([status, "bad_request"]);
  });

  it("answers unknown routes with the error shape", async () => {
    const answer = await ws.call("GET", "/v1/nowhere");
    expect([answer.status, answer.body]).toEqual([404, { error: { code: "not_found", message: "no route GET /v1/nowhere" } }]);
  });
});

describe("secrets", () => {
  it("stores API and invitation tokens only as SHA-256 hashes, even with the dev outbox on", async () => {
    const token = ws.tokenFor("founder@acme.io");
    await ws.call("POST", wsPath("/invitations"), { body: { email: "secret@acme.io", role: "developer" } });
    const invitationToken = (await ws.outbox()).at(-1).token as string;
    const dump = ws.dump();
    for (const secret of [ws.ownerToken, token, invitationToken]) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.slice(secret.indexOf("_") + 1));
      expect(dump).toContain(createHash("sha256").update(secret).digest("hex"));
    }
  });

  it("never echoes a bearer token in an error", async () => {
    const wrong = `ak_${"Z".repeat(43)}`;
    const answer = await ws.call("GET", wsPath(), { token: wrong });
    expect(answer.status).toBe(401);
    expect(JSON.stringify(answer.body)).not.toContain("Z".repeat(10));
  });
});
