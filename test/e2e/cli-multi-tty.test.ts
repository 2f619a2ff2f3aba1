import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type AccessClient } from "../../client/index.js";
import { initWorkspace } from "../../server/index.js";
import { APPLY_PROMPT, assertBuilt, onTerminal, recorder, startTestServer, TERMINAL_SCRIPT, type TestServer } from "./harness.js";

/**
 * apply of a folder of workspaces on a terminal: it shows the whole set, asks once, and only
 * `yes` applies (every workspace); anything else changes nothing anywhere. The terminal is a
 * real pseudo-TTY made by util-linux `script`; without it these tests are skipped.
 */

let server: TestServer;
let staging: string;
let clients: AccessClient[];


const file = (workspace: string, email: string) =>
  `version: 1\nworkspace: ${workspace}\nowner: founder@acme.io\nmembers:\n  - email: ${email}\n    role: developer\n`;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ workspace: "acme-prod", owner: "founder@acme.io" });
  staging = await initWorkspace(server.dbPath, { workspace: "acme-staging", owner: "founder@acme.io" });
  recorder.secrets.add(staging);
  await mkdir(join(server.dir, "access"));
  await writeFile(join(server.dir, "access/prod.yaml"), file("acme-prod", "bob@acme.io"));
  await writeFile(join(server.dir, "access/staging.yaml"), file("acme-staging", "carol@acme.io"));
  clients = [createClient({ baseUrl: server.url, token: server.ownerToken, retry: { retries: 0 } }), createClient({ baseUrl: server.url, token: staging, retry: { retries: 0 } })];
});

afterAll(async () => {
  for (const c of clients ?? []) await c.close();
  expect(await recorder.leaks()).toEqual([]);
  await server?.close();
});

const env = () => ({ ANTRYK_API_URL: server.url, ANTRYK_TOKEN_ACME_PROD: server.ownerToken, ANTRYK_TOKEN_ACME_STAGING: staging, NO_COLOR: "1" });
const pending = async () => [
  ...(await clients[0]!.listInvitations("acme-prod", { status: "pending" })).map((i) => i.email),
  ...(await clients[1]!.listInvitations("acme-staging", { status: "pending" })).map((i) => i.email),
];

describe.skipIf(!existsSync(TERMINAL_SCRIPT))("apply of several workspaces on a terminal", () => {
  it("asks once for the whole set; anything but yes changes nothing in any workspace", async () => {
    const r = await onTerminal(["apply", "-f", "access"], "no", { env: env(), cwd: server.dir });
    expect(r.code).toBe(3); // declined: not an error
    expect(r.output).toContain("=== acme-prod (access/prod.yaml) ===");
    expect(r.output).toContain("=== acme-staging (access/staging.yaml) ===");
    expect(r.output.split(APPLY_PROMPT).length - 1).toBe(1);
    expect(r.output).toContain("Apply cancelled: nothing was changed.");
    expect(await pending()).toEqual([]);
  });

  it("yes applies every workspace and reports each", async () => {
    const r = await onTerminal(["apply", "-f", "access"], "yes", { env: env(), cwd: server.dir });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain("Apply set: 2 workspaces, 2 verified; 2 applied, 0 failed, 0 skipped, 0 not attempted.");
    expect((await pending()).sort()).toEqual(["bob@acme.io", "carol@acme.io"]);
  });
});
