import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptAll,
  accessYaml,
  assertBuilt,
  auditCount,
  listFiles,
  recorder,
  runCli,
  startTestServer,
  writeAccessFile,
  type TestServer,
} from "./harness.js";

/**
 * The life of an access file against the real reference server, driven through the
 * real CLI as a child process: invite, converge, accept, change a role in place,
 * remove, additive mode, safety rails, case-insensitive emails, saved and stale plans,
 * export round trip. One server; the steps build on each other in order.
 */

const NO_CHANGES = "No changes. The workspace matches access.yaml.";
const OWNER = "founder@acme.io";
const TEAM = [
  { email: "ops@acme.io", role: "account-admin" },
  { email: "alice@acme.io", role: "account-admin" },
  { email: "bob@acme.io", role: "developer" },
  { email: "carol@acme.io", role: "developer", permissions: ["environments:configure"] },
  { email: "dan@acme.io", role: "developer" },
];

let server: TestServer;
let file: string;

const write = (members: typeof TEAM, extra: Partial<Parameters<typeof accessYaml>[0]> = {}) =>
  writeAccessFile(server.dir, "access.yaml", accessYaml({ owner: OWNER, members, ...extra }));
const cli = (args: string[], token?: string) => runCli(args, { env: server.env(token), cwd: server.dir });

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
  file = await write(TEAM);
});

afterAll(async () => {
  for (const f of await listFiles(server.dir)) if (!/\.db(-wal|-shm)?$/.test(f) && !f.endsWith("/token")) recorder.files.add(f);
  expect(await recorder.leaks()).toEqual([]);
  await server.close();
});

describe("plan and apply against a live workspace", () => {
  it("plans the invitations, exit 0, or 2 with --detailed-exitcode", async () => {
    const plain = await cli(["plan", "-f", file]);
    expect(plain.code, plain.stderr + plain.stdout).toBe(0);
    expect(plain.stdout).toContain("Plan: 5 to invite, 0 to update, 0 to remove.");
    for (const m of TEAM) expect(plain.stdout).toContain(m.email);
    const detailed = await cli(["plan", "-f", file, "--detailed-exitcode"]);
    expect(detailed.code, detailed.stderr + detailed.stdout).toBe(2);
    expect(await auditCount(server)).toBe(1); // workspace.created only: plan never writes
  });

  it("refuses to apply without --auto-approve when not on a terminal, changing nothing", async () => {
    const r = await cli(["apply", "-f", file]);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stderr).toMatch(/not a terminal.*--auto-approve/);
    expect(await auditCount(server)).toBe(1);
  });

  it("applies: every invitation pending with the file's role and grants", async () => {
    const r = await cli(["apply", "-f", file, "--auto-approve"]);
    expect(r.stderr).toBe("");
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain("Apply complete: 5 applied, 0 failed, 0 skipped, 0 not attempted.");
    expect(r.stdout).toContain("Verified: the workspace matches access.yaml.");
    const pending = await server.owner$.listInvitations(server.workspace, { status: "pending" });
    expect(pending.map((i) => [i.email, i.role, i.permissions, i.sendCount]).sort()).toEqual(
      TEAM.map((m) => [m.email, m.role, m.permissions ?? [], 1]).sort(),
    );
  });

  it("applies again: No changes and zero change calls (the access history does not move)", async () => {
    const before = await auditCount(server);
    const r = await cli(["apply", "-f", file, "--auto-approve"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(NO_CHANGES);
    expect(await auditCount(server)).toBe(before);
  });

  it("counts accepted invitations as done: members, still No changes", async () => {
    await acceptAll(server, TEAM.map((m) => m.email));
    const members = await server.owner$.listMembers(server.workspace);
    expect(members.map((m) => m.email).sort()).toEqual([OWNER, ...TEAM.map((m) => m.email)].sort());
    const r = await cli(["plan", "-f", file, "--detailed-exitcode"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(NO_CHANGES);
  });

  it("changes a role in place: exactly one member.updated, same member id", async () => {
    const bobBefore = (await server.owner$.listMembers(server.workspace)).find((m) => m.email === "bob@acme.io")!;
    const before = await auditCount(server);
    await write(TEAM.map((m) => (m.email === "bob@acme.io" ? { ...m, role: "account-admin" } : m)));
    const r = await cli(["apply", "-f", file, "--auto-approve"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain("Apply complete: 1 applied, 0 failed, 0 skipped, 0 not attempted.");
    const events = (await server.owner$.listAllAudit(server.workspace)).slice(0, (await auditCount(server)) - before);
    expect(events.map((e) => [e.action, e.target])).toEqual([["member.updated", "bob@acme.io"]]);
    const bobAfter = (await server.owner$.listMembers(server.workspace)).find((m) => m.email === "bob@acme.io")!;
    expect([bobAfter.id, bobAfter.role]).toEqual([bobBefore.id, "account-admin"]);
  });

  it("in additive mode leaves a person the file drops, and says so", async () => {
    const before = await auditCount(server);
    await write(
      TEAM.filter((m) => m.email !== "dan@acme.io").map((m) => (m.email === "bob@acme.io" ? { ...m, role: "account-admin" } : m)),
      { mode: "additive" },
    );
    const r = await cli(["apply", "-f", file, "--auto-approve"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(NO_CHANGES);
    expect(r.stdout).toContain("dan@acme.io");
    expect(await auditCount(server)).toBe(before);
  });

  it("in authoritative mode removes a person the file drops: one member.removed", async () => {
    const before = await auditCount(server);
    await write(TEAM.filter((m) => m.email !== "dan@acme.io").map((m) => (m.email === "bob@acme.io" ? { ...m, role: "account-admin" } : m)));
    const r = await cli(["apply", "-f", file, "--auto-approve"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const events = (await server.owner$.listAllAudit(server.workspace)).slice(0, (await auditCount(server)) - before);
    expect(events.map((e) => [e.action, e.target])).toEqual([["member.removed", "dan@acme.io"]]);
  });

  it("blocks a plan removing more than maxRemovals: exit 1 naming the rail, history unchanged", async () => {
    const before = await auditCount(server);
    await write([{ email: "ops@acme.io", role: "account-admin" }], { safety: ["maxRemovals: 1"] });
    const plan = await cli(["plan", "-f", file, "--detailed-exitcode"]);
    expect(plan.code, plan.stderr + plan.stdout).toBe(1);
    expect(plan.stdout).toContain("maxRemovals");
    expect(plan.stderr).toMatch(/blocked by 1 safety rail/);
    const apply = await cli(["apply", "-f", file, "--auto-approve"]);
    expect(apply.code, apply.stderr + apply.stdout).toBe(1);
    expect(apply.stderr).toContain("maxRemovals");
    expect(await auditCount(server)).toBe(before);
  });

  it("matches an upper-case email in the file with the live lower-case one", async () => {
    const current = [
      { email: "OPS@ACME.IO", role: "account-admin" },
      { email: "Alice@Acme.io", role: "account-admin" },
      { email: "BOB@acme.io", role: "account-admin" },
      { email: "carol@ACME.io", role: "developer", permissions: ["environments:configure"] },
    ];
    await write(current);
    const r = await cli(["plan", "-f", file, "--detailed-exitcode"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(NO_CHANGES);
  });

  it("applies a saved plan, and refuses a stale one without changing anything", async () => {
    await write([...TEAM.filter((m) => m.email !== "dan@acme.io").map((m) => (m.email === "bob@acme.io" ? { ...m, role: "account-admin" } : m)), { email: "erin@acme.io", role: "developer" }]);
    const planFile = join(server.dir, "plan.json");
    const saved = await cli(["plan", "-f", file, "--out", planFile, "--format", "json"]);
    expect(saved.code, saved.stderr + saved.stdout).toBe(0);
    const json = JSON.parse(await readFile(planFile, "utf8")) as { formatVersion: number; changes: { kind: string; email: string }[] };
    expect(json.formatVersion).toBe(4);
    expect(json.changes.map((c) => [c.kind, c.email])).toEqual([["inviteMember", "erin@acme.io"]]);
    expect(JSON.parse(saved.stdout)).toEqual(json);

    // Someone changes the workspace between plan and apply.
    const carol = (await server.owner$.listMembers(server.workspace)).find((m) => m.email === "carol@acme.io")!;
    await server.owner$.updateMember(server.workspace, carol.id, { permissions: [] }, { ifMatch: carol.version });
    const before = await auditCount(server);
    const stale = await cli(["apply", planFile, "--auto-approve"]);
    expect(stale.code, stale.stderr + stale.stdout).toBe(1);
    expect(stale.stderr).toMatch(/^error: the saved plan is stale.*nothing was changed/m);
    expect(await auditCount(server)).toBe(before);

    // A fresh saved plan applies exactly its changes.
    expect((await cli(["plan", "-f", file, "--out", planFile])).code).toBe(0);
    const applied = await cli(["apply", planFile, "--auto-approve", "--format", "json"]);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const result = JSON.parse(applied.stdout) as { applied: { key: string }[]; failed: unknown[]; skipped: unknown[] };
    expect(result.failed).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.applied.map((a) => a.key).sort()).toEqual(["inviteMember:erin@acme.io", "updateMember:carol@acme.io"]);
  });

  it("exports the workspace (pending invitation included) and planning the export says No changes", async () => {
    const out = join(server.dir, "exported.yaml");
    const r = await cli(["export", "--workspace", server.workspace, "-o", out]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const text = await readFile(out, "utf8");
    expect(text).toContain(`owner: ${OWNER}`);
    expect(text).toContain("erin@acme.io");
    const stdout = await cli(["export", "--workspace", server.workspace]);
    expect(stdout.stdout).toBe(text);
    const plan = await cli(["plan", "-f", out, "--detailed-exitcode"]);
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain("No changes. The workspace matches exported.yaml."); // the file's own name
  });

  it("renders Markdown for a pull request (with the access.yaml diff), the diff on request, and JSON with a stable shape", async () => {
    await write([{ email: "ops@acme.io", role: "account-admin" }, { email: "frank@acme.io", role: "developer" }], { mode: "additive" });
    const md = await cli(["plan", "-f", file, "--format", "markdown"]);
    expect(md.code, md.stderr + md.stdout).toBe(0);
    expect(md.stdout).toContain("frank@acme.io");
    expect(md.stdout).toMatch(/\|/); // the summary table
    expect(md.stdout).toMatch(/#### `access\.yaml` diff[\s\S]*```diff[\s\S]*\n\+  - email: frank@acme\.io\n\+    role: developer\n/);
    const text = await cli(["plan", "-f", file, "--diff"]);
    expect(text.code, text.stderr + text.stdout).toBe(0);
    expect(text.stdout).toMatch(/^\+\+\+ after this plan$/m);
    expect(text.stdout).toMatch(/^\+  - email: frank@acme\.io$/m);
    const json = await cli(["plan", "-f", file, "--format", "json"]);
    const plan = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(plan).slice(0, 3)).toEqual(["formatVersion", "planId", "workspace"]);
  });
});

describe("errors are one line and exit 1", () => {
  it("an invalid file prints its diagnostics like validate", async () => {
    const bad = await writeAccessFile(server.dir, "bad.yaml", "version: 1\nworkspace: acme-prod\nowner: founder@acme.io\nmembers:\n  - email: x@acme.io\n    role: deployer\n");
    const r = await cli(["plan", "-f", bad]);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:6:11 error unknown-role/);
    expect(r.stderr).toMatch(/^error: .*bad\.yaml is not valid: 1 error/m);
    expect(r.stdout).toBe("");
  });

  it("an unreachable API (ANTRYK_RETRIES=1 to fail fast)", async () => {
    const env = { ANTRYK_API_URL: "http://127.0.0.1:9", ANTRYK_TOKEN: "t0k3n-unreachable", ANTRYK_RETRIES: "1" };
    const r = await runCli(["plan", "-f", file], { env, cwd: server.dir });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: cannot reach the Antryk API at http:\/\/127\.0\.0\.1:9/);
    expect(r.stderr + r.stdout).not.toContain("t0k3n-unreachable");
  });

  it("a token the API does not know (401)", async () => {
    const r = await runCli(["plan", "-f", file], { env: { ANTRYK_API_URL: server.url, ANTRYK_TOKEN: "ak_not-a-real-token" }, cwd: server.dir });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*401 unauthorized.*; check the token \(ANTRYK_TOKEN or --token-file\)$/m);
    expect(r.stderr).not.toContain("ak_not-a-real-token");
  });

  it("a URL without a token, and plain http to a non-loopback host", async () => {
    const noToken = await runCli(["plan", "-f", file], { env: { ANTRYK_API_URL: server.url }, cwd: server.dir });
    expect(noToken.code, noToken.stderr + noToken.stdout).toBe(1);
    expect(noToken.stderr).toMatch(/^error: no API token for .*ANTRYK_TOKEN.*--token-file/);
    const http = await runCli(["plan", "-f", file], { env: { ANTRYK_API_URL: "http://api.example.com", ANTRYK_TOKEN: "secret-xyz" }, cwd: server.dir });
    expect(http.code, http.stderr + http.stdout).toBe(1);
    expect(http.stderr).toMatch(/^error: refusing to send a token over plain http/);
  });

  it("a token from --token-file works like ANTRYK_TOKEN", async () => {
    const tokenFile = join(server.dir, "token");
    await writeAccessFile(server.dir, "token", `${server.ownerToken}\n`);
    const r = await runCli(["plan", "-f", file, "--token-file", tokenFile], { env: { ANTRYK_API_URL: server.url }, cwd: server.dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    recorder.files.delete(tokenFile);
  });

  it.each(["plan", "apply", "export"])("%s --help shows an example", async (command) => {
    const r = await runCli([command, "--help"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain(`$ antryk-access ${command}`);
  });
});
