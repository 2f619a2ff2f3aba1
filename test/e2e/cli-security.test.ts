import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptAll,
  accessYaml,
  assertBuilt,
  auditCount,
  recorder,
  runCli,
  startTestServer,
  writeAccessFile,
  type TestServer,
} from "./harness.js";

/**
 * Who may do what through the CLI: a developer's token can plan (reads need only
 * membership) but not apply (changes need access:manage), an account-admin applies an
 * ordinary plan (a holder of access:manage may assign every role), and no token ever
 * shows up in any output, plan file or log of these runs.
 */

const OWNER = "founder@acme.io";
const TEAM = [
  { email: "admin@acme.io", role: "account-admin" },
  { email: "dev@acme.io", role: "developer" },
];

let server: TestServer;
let file: string;
let devToken: string;
let adminToken: string;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
  file = await writeAccessFile(server.dir, "access.yaml", accessYaml({ owner: OWNER, members: TEAM }));
  const r = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() });
  expect(r.code, r.stderr + r.stdout).toBe(0);
  await acceptAll(server, TEAM.map((m) => m.email));
  devToken = server.tokenFor("dev@acme.io");
  adminToken = server.tokenFor("admin@acme.io");
  // The next file invites a new developer.
  file = await writeAccessFile(
    server.dir,
    "access.yaml",
    accessYaml({ owner: OWNER, members: [...TEAM, { email: "new@acme.io", role: "developer" }] }),
  );
});

afterAll(async () => {
  expect(await recorder.leaks()).toEqual([]);
  await server.close();
});

describe("running as a developer", () => {
  it("plan works (reads need only membership) and names the caller", async () => {
    const planFile = join(server.dir, "dev-plan.json");
    recorder.files.add(planFile);
    const r = await runCli(["plan", "-f", file, "--detailed-exitcode", "--out", planFile], { env: server.env(devToken) });
    expect(r.code, r.stderr + r.stdout).toBe(2);
    expect(r.stdout).toContain("read as dev@acme.io");
    expect(r.stdout).toContain("new@acme.io");
    expect(await readFile(planFile, "utf8")).not.toContain(devToken);
  });

  it("apply fails with one line naming the missing permission, and changes nothing", async () => {
    const before = await auditCount(server);
    const r = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env(devToken) });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "error: 403 forbidden: the token of dev@acme.io lacks access:manage, which apply needs (plan needs only membership); nothing was changed",
    ]);
    expect(await auditCount(server)).toBe(before);
  });
});

describe("running as an account-admin", () => {
  it("applies an ordinary plan: an admin may invite a developer, whose permissions it does not hold itself", async () => {
    const before = await auditCount(server);
    const r = await runCli(["apply", "-f", file, "--auto-approve", "--format", "json"], { env: server.env(adminToken) });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const result = JSON.parse(r.stdout) as { applied: { key: string }[]; failed: unknown[] };
    expect(result.failed).toEqual([]);
    expect(result.applied.map((c) => c.key)).toEqual(["inviteMember:new@acme.io"]);
    expect(await auditCount(server)).toBe(before + 1);
  });
});

describe("tokens", () => {
  it("never appear in outputs, even in errors about a bad token file", async () => {
    const tokenFile = join(server.dir, "two-tokens");
    await writeAccessFile(server.dir, "two-tokens", `${devToken} ${adminToken}\n`);
    const r = await runCli(["plan", "-f", file, "--token-file", tokenFile], { env: { ANTRYK_API_URL: server.url } });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stderr).toMatch(/^error: the token file .* must hold one token on one line$/m);
  });

  it("cannot be given as a flag value", async () => {
    const r = await runCli(["plan", "-f", file, "--token", "abc"], { env: { ANTRYK_API_URL: server.url } });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stderr).toContain("unknown option '--token'");
  });
});
