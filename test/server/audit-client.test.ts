import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type AccessClient } from "../../client/index.js";
import { PACKAGE_VERSION } from "../../client/version.js";
import { startWorkspace, WORKSPACE, wsPath, type TestWorkspace } from "./harness.js";

/** Every audit event names the client that made it: antryk-access (by its User-Agent), the dashboard (by its header), any other caller as api. */

let ws: TestWorkspace;
let client: AccessClient;

beforeAll(async () => {
  ws = await startWorkspace();
  client = createClient({ baseUrl: ws.url, token: ws.ownerToken });
});
afterAll(async () => {
  await client.close();
  await ws.close();
});

async function lastEvent(target: string): Promise<any> {
  const items = (await ws.call("GET", wsPath(`/audit?target=${encodeURIComponent(target)}`))).body.items;
  return items[0];
}

describe("audit event client", () => {
  it.each([
    ["a plain API caller", {}, "api", undefined],
    ["the dashboard's header", { "x-antryk-client": "dashboard" }, "dashboard", undefined],
    ["antryk-access's User-Agent", { "user-agent": "antryk-access/9.8.7" }, "antryk-access", "9.8.7"],
    ["a look-alike User-Agent", { "user-agent": "antryk-accessX/1.0" }, "api", undefined],
    ["a User-Agent with a junk version", { "user-agent": "antryk-access/<script>" }, "api", undefined],
  ])("records %s", async (_name, headers, want, version) => {
    const email = `u${Math.random().toString(36).slice(2, 8)}@acme.io`;
    const answer = await ws.call("POST", wsPath("/invitations"), { body: { email, role: "developer" }, headers });
    expect(answer.status).toBe(201);
    const event = await lastEvent(email);
    expect(event.client).toBe(want);
    expect(event.clientVersion).toBe(version);
  });

  it("records the real client as antryk-access with the package's version", async () => {
    await client.createInvitation(WORKSPACE, { email: "cli@acme.io", role: "developer" });
    const event = await lastEvent("cli@acme.io");
    expect(event).toMatchObject({ action: "invitation.created", client: "antryk-access", clientVersion: PACKAGE_VERSION });
  });

  it("gives a consequence (an invitation revoked as the request chose) the client of the request that caused it", async () => {
    const admin = await ws.addMember("admin@acme.io", "account-admin");
    await ws.call("POST", wsPath("/invitations"), { token: admin.token, body: { email: "sent@acme.io", role: "developer" } });
    await ws.call("DELETE", wsPath(`/members/${admin.member.id}`), { headers: { "x-antryk-client": "dashboard" }, body: { invitations: "revoke" } });
    const revoked = await lastEvent("sent@acme.io");
    expect(revoked).toMatchObject({ action: "invitation.revoked", client: "dashboard" });
    expect(revoked.reason).toBeDefined();
  });

  it("reads an event recorded before the server kept clients (migration 3) as unknown", async () => {
    const db = new Database(ws.dbPath);
    try {
      db.prepare("UPDATE audit_events SET client = NULL, client_version = NULL WHERE target = 'cli@acme.io'").run();
    } finally {
      db.close();
    }
    const event = await lastEvent("cli@acme.io");
    expect(event.client).toBe("unknown");
    expect("clientVersion" in event).toBe(false);
  });

  it("names the server's own admin tools as server", async () => {
    const items = (await ws.call("GET", wsPath("/audit?action=workspace.created"))).body.items;
    expect(items[0].client).toBe("server");
  });
});
