import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, runCli } from "./cli.js";

/**
 * `serve` over the network: plain HTTP on a non-loopback host warns that tokens travel in
 * clear, and `--tls-cert`/`--tls-key` serve the API and the dashboard over HTTPS (checked
 * with a test-only self-signed certificate, test/fixtures/tls/).
 */

const TLS = fileURLToPath(new URL("../fixtures/tls/", import.meta.url));
const CERT = join(TLS, "cert.pem");
const KEY = join(TLS, "key.pem");
const WARNING = "tokens and the dashboard's sign-in travel in clear unless a TLS-terminating proxy is in front";

let dir = "";
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = "";
});

/** serve starts `serve` with `args` on a fresh database and resolves with its URL, the owner's token and what it printed on stderr once listening; `stop` ends it. */
async function serve(args: string[]): Promise<{ url: string; token: string; stderr: () => string; stop: () => Promise<void> }> {
  dir = await mkdtemp(join(tmpdir(), "antryk-serve-tls-"));
  const db = join(dir, "workspace.db");
  const init = await runCli(["serve", "init", "--db", db, "--workspace", "acme", "--owner", "founder@acme.io"], dir);
  expect(init.code).toBe(0);
  const child = spawn(process.execPath, [CLI, "serve", "--db", db, "--port", "0", ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = once(child, "close"); // the process gone and its output read
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const m = /^listening on (\S+)\n/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`serve exited before listening: ${stderr}`)));
  });
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
  };
  return { url, token: init.stdout.trim(), stderr: () => stderr, stop };
}

/** get fetches `path` over HTTPS trusting only the test certificate. */
function get(url: string, path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, url), { ca: readFileSync(CERT), headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("serve with --tls-cert and --tls-key", () => {
  it("serves the API and the dashboard over HTTPS with the certificate", async () => {
    const server = await serve(["--tls-cert", CERT, "--tls-key", KEY]);
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect((await get(server.url, "/v1/workspaces/acme")).status).toBe(401);
      const workspace = await get(server.url, "/v1/workspaces/acme", server.token);
      expect(workspace.status).toBe(200);
      expect(JSON.parse(workspace.body)).toMatchObject({ name: "acme", owner: "founder@acme.io" });
      const page = await get(server.url, "/");
      expect([page.status, page.body]).toEqual([200, expect.stringContaining("<html")]);
      await expect(fetch(server.url.replace("https:", "http:") + "/v1/workspaces/acme")).rejects.toThrow();
    } finally {
      await server.stop();
    }
    expect(server.stderr()).not.toContain(WARNING);
  });

  it("refuses one of the two without the other, and a file it cannot read, in one line", async () => {
    dir = await mkdtemp(join(tmpdir(), "antryk-serve-tls-"));
    const alone = await runCli(["serve", "--db", join(dir, "w.db"), "--port", "0", "--tls-cert", CERT], dir);
    expect([alone.code, alone.stderr]).toEqual([1, "error: --tls-cert and --tls-key go together: give both to serve HTTPS\n"]);
    const missing = await runCli(["serve", "--db", join(dir, "w.db"), "--port", "0", "--tls-cert", join(dir, "nope.pem"), "--tls-key", KEY], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: --tls-cert: cannot read .*nope\.pem: ENOENT\n$/);
  });
});

describe("serve on a non-loopback host", () => {
  it.each([
    ["plain HTTP on 0.0.0.0 warns", ["--host", "0.0.0.0"], true],
    ["HTTPS on 0.0.0.0 does not", ["--host", "0.0.0.0", "--tls-cert", CERT, "--tls-key", KEY], false],
    ["plain HTTP on loopback does not", ["--host", "127.0.0.1"], false],
  ])("%s", async (_name, args, warns) => {
    const server = await serve(args);
    await server.stop();
    expect(server.stderr().includes(WARNING)).toBe(warns);
  });
});
