import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { initWorkspace, issueToken } from "../../server/admin.js";
import { startServer } from "../../server/index.js";
import { OWNER, startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * The dev outbox: `GET /v1/workspaces/{ws}/dev/outbox` needs a token of that workspace
 * holding access:manage and lists only its messages; it answers only requests
 * addressed to the loopback address the server is bound to (no DNS rebinding), and the
 * server refuses to run it on a non-loopback address.
 */

let ws: TestWorkspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

/** get sends a GET with a chosen Host header (fetch would not let us). */
function get(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method: "GET", headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("dev outbox", () => {
  it("lists only the messages of the caller's workspace, to a holder of access:manage of that workspace", async () => {
    ws = await startWorkspace();
    const otherOwner = initWorkspace(ws.dbPath, { workspace: "other", owner: "boss@other.io" });
    await ws.call("POST", wsPath("/invitations"), { body: { email: "a@acme.io", role: "developer" } });
    await ws.call("POST", "/v1/workspaces/other/invitations", { token: otherOwner, body: { email: "b@other.io", role: "developer" } });
    const dev = await ws.addMember("dev@acme.io", "developer");

    const mine = await ws.call("GET", wsPath("/dev/outbox"));
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((m: any) => [m.workspace, m.email])).toEqual([["acme", "a@acme.io"], ["acme", "dev@acme.io"]]);
    const theirs = await ws.call("GET", "/v1/workspaces/other/dev/outbox", { token: otherOwner });
    expect(theirs.body.items.map((m: any) => m.email)).toEqual(["b@other.io"]);

    expect((await ws.call("GET", wsPath("/dev/outbox"), { token: null })).status).toBe(401);
    expect((await ws.call("GET", wsPath("/dev/outbox"), { token: dev.token })).status).toBe(403);
    expect((await ws.call("GET", "/v1/workspaces/other/dev/outbox")).status).toBe(404);
    expect((await ws.call("GET", "/v1/dev/outbox", { token: null })).status).toBe(404);
  });

  it("refuses a request whose Host is not the bound loopback address", async () => {
    ws = await startWorkspace();
    const port = new URL(ws.url).port;
    const authorization = `Bearer ${ws.ownerToken}`;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await get(ws.url, wsPath("/dev/outbox"), { authorization, host })).status).toBe(200);
    }
    for (const host of [`evil.example:${port}`, "127.0.0.1:1", `127.0.0.1.nip.io:${port}`]) {
      const answer = await get(ws.url, wsPath("/dev/outbox"), { authorization, host });
      expect([answer.status, answer.body.error.code]).toEqual([403, "forbidden"]);
    }
  });

  it("is not served without devOutbox, and refused on a non-loopback host", async () => {
    ws = await startWorkspace({ devOutbox: false });
    expect((await ws.call("GET", wsPath("/dev/outbox"))).status).toBe(404);
    await expect(startServer({ dbPath: ws.dbPath, host: "0.0.0.0", devOutbox: true })).rejects.toThrow(/loopback/);
    expect(issueToken(ws.dbPath, { workspace: "acme", email: OWNER })).toMatch(/^ak_/); // the database is still usable
  });
});
