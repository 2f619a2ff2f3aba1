import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client/index.js";
import { ApiError } from "../../errors.js";
import { accessYaml, runCli, writeAccessFile } from "../e2e/harness.js";
import { noSleep } from "./fixture.js";

/**
 * A 3xx from the API is an error, never a success and never followed: it names the status
 * and the Location's host, the CLI says so in one line without a stack trace, and the
 * bearer token never reaches the host the redirect points to.
 */

const TOKEN = `ak_${"r".repeat(43)}`;
let redirecting: Server;
let elsewhere: Server;
let redirectingUrl = "";
let elsewhereHost = "";
let status = 302;
const seenElsewhere: IncomingHttpHeaders[] = [];

async function listen(server: Server, host: string): Promise<string> {
  server.listen(0, host);
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return `${host}:${port}`;
}

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    seenElsewhere.push(req.headers);
    res.writeHead(200, { "content-type": "application/json" }).end('{"items":[],"nextCursor":null}');
  });
  elsewhereHost = await listen(elsewhere, "127.0.0.1");
  redirecting = createServer((req, res) => {
    res.writeHead(status, { location: `http://${elsewhereHost}${req.url}` }).end();
  });
  redirectingUrl = `http://${await listen(redirecting, "127.0.0.1")}`;
});
afterAll(async () => {
  redirecting.closeAllConnections();
  elsewhere.closeAllConnections();
  await Promise.all([new Promise((r) => redirecting.close(r)), new Promise((r) => elsewhere.close(r))]);
});

describe("a redirecting API", () => {
  it.each([301, 302, 303, 307, 308])("answering %i is an error naming the status and the Location host, and is not followed", async (code) => {
    status = code;
    const client = createClient({ baseUrl: redirectingUrl, token: TOKEN, sleep: noSleep });
    try {
      const err = await client.listMembers("acme").then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      const e = err as ApiError;
      expect(e.status).toBe(code);
      expect(e.code).toBe("redirect");
      expect(e.message).toContain(String(code));
      expect(e.message).toContain(elsewhereHost);
      expect(e.message).not.toContain(TOKEN);
      expect(client.calls.retries).toBe(0);
    } finally {
      await client.close();
    }
    expect(seenElsewhere).toEqual([]);
  });

  it("makes the CLI fail in one line, without a stack trace or the token", async () => {
    status = 302;
    const dir = await mkdtemp(join(tmpdir(), "antryk-redirect-"));
    try {
      const file = await writeAccessFile(dir, "access.yaml", accessYaml({ workspace: "acme", members: [] }));
      const result = await runCli(["plan", "-f", file], { env: { ANTRYK_API_URL: redirectingUrl, ANTRYK_TOKEN: TOKEN } });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("302");
      expect(result.stderr).toContain(elsewhereHost);
      expect(result.stderr).not.toMatch(/internal error|TypeError|\n\s+at /);
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(seenElsewhere).toEqual([]);
  });
});
