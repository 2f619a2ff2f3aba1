import { mkdtempSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { initWorkspace } from "../../server/admin.js";
import { startServer } from "../../server/index.js";
import { startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Smaller findings of the security review: the database files are private, and what
 * Node's HTTP parser refuses before fastify sees a request still answers in the API's
 * error shape.
 */

let ws: TestWorkspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

/** raw sends bytes on a plain TCP connection and resolves with everything the server answered before closing. */
function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let text = "";
    socket.on("data", (d) => (text += d));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("database files", () => {
  it("creates the folder 0700 and the database, its WAL and its shared memory 0600", async () => {
    const dir = mkdtempSync(join(tmpdir(), "antryk-files-"));
    const dbPath = join(dir, "private", "nested", "workspace.db");
    try {
      initWorkspace(dbPath, { workspace: "acme", owner: "founder@acme.io" });
      const server = await startServer({ dbPath, rateLimit: false });
      try {
        expect((await fetch(`${server.url}/v1/workspaces/acme`)).status).toBe(401); // up, with its WAL and shared memory open
        const mode = (p: string) => statSync(p).mode & 0o777;
        expect([mode(join(dir, "private")), mode(join(dir, "private", "nested"))]).toEqual([0o700, 0o700]);
        expect([mode(dbPath), mode(`${dbPath}-wal`), mode(`${dbPath}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Node-level refusals", () => {
  it.each([
    ["headers too large", `GET /v1/workspaces/acme HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431],
    ["a malformed request line", "THIS IS NOT HTTP\r\n\r\n", 400],
    ["a malformed header", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n", 400],
  ])("answers %s in the API's error shape", async (_name, bytes, status) => {
    ws = await startWorkspace();
    const answer = await raw(ws.url, bytes);
    expect(answer.split("\r\n")[0]).toBe(`HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : "Bad Request"}`);
    expect(answer).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body).toEqual({ error: { code: "bad_request", message: expect.any(String) } });
  });

  it("still answers a well-formed request after them", async () => {
    ws = await startWorkspace();
    await raw(ws.url, "THIS IS NOT HTTP\r\n\r\n");
    expect((await ws.call("GET", wsPath())).status).toBe(200);
  });
});

describe("a 500", () => {
  it("is reported on stderr in one line naming its request id, with the request log off", async () => {
    ws = await startWorkspace({ logger: false });
    ws.expectServerErrors();
    const db = new Database(ws.dbPath);
    db.exec("DROP TABLE roles"); // a bug, as far as the server can tell
    db.close();
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    let answer;
    try {
      answer = await ws.call("GET", wsPath("/roles"));
    } finally {
      spy.mockRestore();
    }
    const id = answer.headers.get("x-request-id")!;
    expect([answer.status, answer.body.error]).toEqual([500, { code: "internal", message: `internal error (request ${id})` }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^\\S+ internal error \\(request ${id}\\) GET /v1/workspaces/acme/roles: SqliteError: no such table: roles\\n$`));
    expect(lines[0]).not.toContain(ws.ownerToken);
  });
});
