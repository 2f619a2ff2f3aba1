import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Authorization is decided when the change commits, not when the headers arrive: a
 * request whose body is held open while its caller is removed or demoted is refused when
 * the body completes, and changes nothing. The order is driven by events (the server saw
 * the request's headers; the removal answered), never by sleeps.
 */

let ws: TestWorkspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

/** HeldRequest is a request whose headers and first bytes are sent; finish sends the rest and resolves with the status and JSON body. */
interface HeldRequest {
  finish(): Promise<{ status: number; body: any }>;
}

/** holdRequest sends the headers and the first 5 bytes of a JSON body, and resolves once the server has seen the request (its "request" event). */
async function holdRequest(t: TestWorkspace, method: string, path: string, token: string, body: unknown): Promise<HeldRequest> {
  const text = Buffer.from(JSON.stringify(body));
  const { hostname, port } = new URL(t.url);
  const seen = once(t.server.app.server, "request");
  const socket: Socket = connect(Number(port), hostname);
  await once(socket, "connect");
  let answer = "";
  socket.on("data", (d: Buffer) => (answer += d.toString("utf8")));
  const closed = once(socket, "close");
  socket.write(
    `${method} ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(text.subarray(0, 5));
  await seen;
  return {
    async finish() {
      socket.write(text.subarray(5));
      await closed;
      const status = Number(answer.split("\r\n")[0]!.split(" ")[1]);
      return { status, body: JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) };
    },
  };
}

describe("a request held open through a change of its caller", () => {
  it("cannot invite once its caller was removed", async () => {
    ws = await startWorkspace();
    const { member: admin, token } = await ws.addMember("admin@acme.io", "account-admin");
    const held = await holdRequest(ws, "POST", wsPath("/invitations"), token, { email: "accomplice@evil.example", role: "account-admin" });
    expect((await ws.call("DELETE", wsPath(`/members/${admin.id}`))).status).toBe(204);
    const answer = await held.finish();
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("unauthorized");
    const invitations = (await ws.call("GET", wsPath("/invitations"))).body.items as { email: string }[];
    expect(invitations.map((i) => i.email)).not.toContain("accomplice@evil.example");
  });

  it("cannot promote itself back once it was demoted", async () => {
    ws = await startWorkspace();
    const { member: admin, token } = await ws.addMember("admin@acme.io", "account-admin");
    const held = await holdRequest(ws, "PATCH", wsPath(`/members/${admin.id}`), token, { role: "account-admin" });
    expect((await ws.call("PATCH", wsPath(`/members/${admin.id}`), { body: { role: "developer" } })).status).toBe(200);
    const answer = await held.finish();
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({ code: "forbidden", details: { missingPermission: "access:manage" } });
    expect((await ws.call("GET", wsPath(`/members/${admin.id}`))).body.role).toBe("developer");
  });

  it("cannot create a role once its custom role lost access:manage", async () => {
    ws = await startWorkspace();
    expect((await ws.call("PUT", wsPath("/roles/gatekeeper"), { body: { permissions: ["access:manage"] } })).status).toBe(201);
    const { token } = await ws.addMember("keeper@acme.io", "gatekeeper");
    const held = await holdRequest(ws, "PUT", wsPath("/roles/backdoor"), token, { permissions: ["access:manage", "billing:read"] });
    expect((await ws.call("PUT", wsPath("/roles/gatekeeper"), { body: { permissions: ["logs:read"] } })).status).toBe(200);
    const answer = await held.finish();
    expect(answer.status).toBe(403);
    expect((await ws.call("GET", wsPath("/roles/backdoor"))).status).not.toBe(200);
    const roles = (await ws.call("GET", wsPath("/roles"))).body.items as { name: string }[];
    expect(roles.map((r) => r.name)).not.toContain("backdoor");
  });
});
