import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, runCli } from "./cli.js";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * No request can hold the server: a body that stops arriving is answered 408 at the
 * request timeout, bodies past the route's limit 413, connections past the per-address
 * cap 503 at once (all in the API's error shape), and a slowloris of hundreds of
 * half-sent bodies from one address, against a server with few file descriptors, does
 * not keep a request from another address from its answer.
 */

let ws: TestWorkspace | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await ws?.close();
  ws = undefined;
});

/** halfSent opens a connection from `localAddress` and sends a POST's headers and 1 of its 100 body bytes. */
async function halfSent(url: string, path: string, localAddress = "127.0.0.1"): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), localAddress });
  sockets.push(socket);
  socket.on("error", () => {});
  await once(socket, "connect");
  socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
  return socket;
}

/** answerOf collects what the server sends on a socket until it closes, and parses the status and JSON body. */
async function answerOf(socket: Socket): Promise<{ status: number; headers: string; body: any }> {
  let text = "";
  socket.on("data", (d: Buffer) => (text += d.toString("utf8")));
  if (!socket.closed) await once(socket, "close");
  const head = text.slice(0, text.indexOf("\r\n\r\n"));
  return { status: Number(head.split(" ")[1]), headers: head.toLowerCase(), body: JSON.parse(text.slice(head.length + 4)) };
}

describe("bounded requests", () => {
  it("answers a body that stops arriving with 408 in the API's error shape at the request timeout", async () => {
    ws = await startWorkspace({ limits: { requestTimeoutMs: 300, headersTimeoutMs: 300 } });
    const answer = await answerOf(await halfSent(ws.url, "/v1/invitations/accept"));
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual({ error: { code: "bad_request", message: "the request took too long to arrive" } });
    expect((await ws.call("GET", wsPath())).status).toBe(200);
  });

  it.each([
    ["/v1/invitations/accept", 1024, { token: "aki_x" }],
    [wsPath("/invitations"), 64 * 1024, { email: "new@acme.io", role: "developer" }],
  ])("refuses a body past the limit of %s (%i bytes) with 413 and changes nothing", async (path, limit, body) => {
    ws = await startWorkspace();
    const before = ws.dump();
    const padded = JSON.stringify({ ...body, pad: "x".repeat(limit) });
    const answer = await ws.call("POST", path, { rawBody: padded, headers: { "content-type": "application/json" } });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe("bad_request");
    expect(ws.dump()).toBe(before);
  });

  it("answers connections past the per-address cap with 503 and Retry-After at once, and serves the address again once they close", async () => {
    ws = await startWorkspace({ limits: { maxConnectionsPerAddress: 3 } });
    const seen = once(ws.server.app.server, "request");
    const held = [await halfSent(ws.url, "/v1/invitations/accept")];
    await seen;
    held.push(await halfSent(ws.url, "/v1/invitations/accept"), await halfSent(ws.url, "/v1/invitations/accept"));
    const refused = await answerOf(await halfSent(ws.url, "/v1/invitations/accept"));
    expect(refused.status).toBe(503);
    expect(refused.headers).toContain("retry-after: 1");
    expect(refused.body.error).toMatchObject({ code: "unavailable" });
    expect(refused.body.error.message).toContain("at most 3");
    for (const s of held) {
      s.destroy();
      await once(s, "close");
    }
    // the server counts a connection out when it sees it close; an answered request proves it caught up
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i += 1) status = (await ws.call("GET", wsPath())).status;
    expect(status).toBe(200);
  });
});

describe("a slowloris", () => {
  it("of 600 half-sent bodies from one address, against a server with 512 descriptors and the default cap, leaves another address answered within a second", async () => {
    const dir = await mkdtemp(join(tmpdir(), "antryk-slowloris-"));
    const db = join(dir, "workspace.db");
    const init = await runCli(["serve", "init", "--db", db, "--workspace", "acme", "--owner", "founder@acme.io"], dir);
    expect(init.code).toBe(0);
    const child = spawn("sh", ["-c", `ulimit -n 512 && exec "${process.execPath}" "${CLI}" serve --db "${db}" --port 0`], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      child.stdout.setEncoding("utf8");
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (d: string) => {
          out += d;
          const m = /listening on (http:\/\/\S+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`serve exited ${code}`)));
      });
      for (let i = 0; i < 600; i += 1) await halfSent(url, "/v1/invitations/accept");
      const { port } = new URL(url);
      const started = Date.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: Number(port), path: "/v1/workspaces/acme", localAddress: "127.0.0.2", timeout: 1_000 }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("timeout", () => req.destroy(new Error("no answer within a second")));
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(401);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      for (const s of sockets.splice(0)) s.destroy();
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
      await rm(dir, { recursive: true, force: true });
    }
  });
});
