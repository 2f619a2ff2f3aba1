import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type AccessClient } from "../../client/index.js";
import { seedMembers } from "../../server/admin.js";
import { initWorkspace } from "../../server/index.js";
import { assertBuilt, listFiles, recorder, runCli, startTestServer, type TestServer } from "./harness.js";

/**
 * One repository, many workspaces, against the real reference server holding three
 * workspaces with three different tokens (one per ANTRYK_TOKEN_<WORKSPACE> variable, one
 * through --credentials): a folder of workspace files sharing a library, planned as one set,
 * applied and verified workspace by workspace, refused whole when one workspace is blocked,
 * saved as a plan set and applied from it. The steps build on each other in order.
 */

const OWNER = "founder@acme.io";
const WORKSPACES = ["acme-dev", "acme-prod", "acme-staging"] as const;
let server: TestServer;
let tokens: Record<string, string>;
let clients: Record<string, AccessClient>;
let access: string;

const LIBRARY = `version: 1
kind: library
roles:
  release-manager:
    description: Ships services
    permissions: [deployments:read, deployments:create, logs:read]
groups:
  oncall:
    role: release-manager
    members: [trent@acme.io]
`;

const workspaceFile = (workspace: string, people: string[], extra = "") => `version: 1
workspace: ${workspace}
owner: ${OWNER}
imports: [shared/roles.yaml]
safety:
  maxRemovals: 2
${extra}members:
  - email: ops@acme.io
    role: account-admin
${people.map((p) => `  - email: ${p}\n    role: developer\n`).join("")}`;

async function writeAll(people: Record<string, string[]>): Promise<void> {
  for (const w of WORKSPACES) await writeFile(join(access, `${w.replace("acme-", "")}.yaml`), workspaceFile(w, people[w] ?? []));
}

/** env targets the server with one variable per workspace for prod and staging; acme-dev's token comes from --credentials. */
const env = () => ({ ANTRYK_API_URL: server.url, ANTRYK_TOKEN_ACME_PROD: tokens["acme-prod"]!, ANTRYK_TOKEN_ACME_STAGING: tokens["acme-staging"]! });
const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = env()) => runCli([...args, "--credentials", "creds.yaml"], { env: extraEnv, cwd: server.dir });

const invited = async (workspace: string) => (await clients[workspace]!.listInvitations(workspace, { status: "pending" })).map((i) => i.email).sort();

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ workspace: "acme-prod", owner: OWNER });
  tokens = { "acme-prod": server.ownerToken };
  for (const w of ["acme-staging", "acme-dev"]) {
    tokens[w] = await initWorkspace(server.dbPath, { workspace: w, owner: OWNER });
    recorder.secrets.add(tokens[w]!);
  }
  clients = Object.fromEntries(WORKSPACES.map((w) => [w, createClient({ baseUrl: server.url, token: tokens[w]!, retry: { retries: 0 } })]));
  access = join(server.dir, "access");
  await mkdir(join(access, "shared"), { recursive: true });
  await writeFile(join(access, "shared/roles.yaml"), LIBRARY);
  await writeFile(join(server.dir, "dev.token"), `${tokens["acme-dev"]}\n`, { mode: 0o600 });
  await writeFile(join(server.dir, "creds.yaml"), "acme-dev: dev.token\n");
  await writeAll({ "acme-prod": ["bob@acme.io"], "acme-staging": ["carol@acme.io"], "acme-dev": ["dan@acme.io"] });
});

afterAll(async () => {
  for (const c of Object.values(clients)) await c.close();
  for (const f of await listFiles(server.dir)) if (!/\.db(-wal|-shm)?$/.test(f) && !f.endsWith(".token")) recorder.files.add(f);
  expect(await recorder.leaks()).toEqual([]);
  await server.close();
});

describe("a folder of three workspaces against one server, three tokens", () => {
  it("validate checks every workspace file and the library once", async () => {
    const r = await runCli(["validate", "-f", "access"], { cwd: server.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("3 workspace files and 1 library: valid");
    expect(r.stdout).toContain("access/shared/roles.yaml: valid");
  });

  it("a missing token names the variable to set, and nothing is read", async () => {
    const r = await runCli(["plan", "-f", "access"], { env: { ANTRYK_API_URL: server.url, ANTRYK_TOKEN_ACME_PROD: tokens["acme-prod"]! }, cwd: server.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no API token for workspace acme-dev");
    expect(r.stderr).toContain("set ANTRYK_TOKEN_ACME_DEV");
  });

  it("plan renders a section per workspace and exits 2 with --detailed-exitcode", async () => {
    const r = await cli(["plan", "-f", "access", "--detailed-exitcode"]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    for (const w of WORKSPACES) expect(r.stdout).toContain(`=== ${w} (access/${w.replace("acme-", "")}.yaml) ===`);
    expect(r.stdout).toContain("Plan set: 3 workspaces: 3 with changes, 0 without changes");
    // The library's group reached every workspace.
    expect(r.stdout.match(/invite trent@acme\.io as release-manager/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it("one workspace file that imports a library, given alone, plans exactly as one workspace does", async () => {
    const text = await runCli(["plan", "-f", "access/prod.yaml"], { env: { ANTRYK_API_URL: server.url, ANTRYK_TOKEN: tokens["acme-prod"]! }, cwd: server.dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.startsWith("Token for acme-prod: ANTRYK_TOKEN.\nWorkspace acme-prod at ")).toBe(true);
    expect(text.stdout).not.toContain("===");
    expect(text.stdout).toContain("invite trent@acme.io as release-manager");
    const json = await runCli(["plan", "-f", "access/prod.yaml", "--format", "json"], { env: { ANTRYK_API_URL: server.url, ANTRYK_TOKEN: tokens["acme-prod"]! }, cwd: server.dir });
    const plan = JSON.parse(json.stdout) as { workspace: string; plans?: unknown; accessFile: { path: string } };
    expect(plan.plans).toBeUndefined();
    expect(plan.workspace).toBe("acme-prod");
    expect(plan.accessFile.path).toBe("access/prod.yaml");
  });

  it("plan --format json is a plan set of three full plans", async () => {
    const r = await cli(["plan", "-f", "access", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const set = JSON.parse(r.stdout) as { formatVersion: number; plans: { workspace: string; changes: unknown[]; accessFile: { path: string } }[] };
    expect(set.formatVersion).toBe(4);
    expect(set.plans.map((p) => p.workspace)).toEqual([...WORKSPACES]);
    expect(set.plans.map((p) => p.accessFile.path)).toEqual(["access/dev.yaml", "access/prod.yaml", "access/staging.yaml"]);
  });

  it("apply applies and verifies each workspace with its own token, then everything has converged", async () => {
    const r = await cli(["apply", "-f", "access", "--auto-approve", "--format", "json"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { workspaces: { workspace: string; applied: unknown[]; verification: { status: string } }[]; total: { applied: number; verified: number } };
    expect(report.workspaces.map((w) => [w.workspace, w.verification.status])).toEqual(WORKSPACES.map((w) => [w, "verified"]));
    expect(report.total.verified).toBe(3);
    expect(await invited("acme-prod")).toEqual(["bob@acme.io", "ops@acme.io", "trent@acme.io"]);
    expect(await invited("acme-dev")).toEqual(["dan@acme.io", "ops@acme.io", "trent@acme.io"]);
    const again = await cli(["plan", "-f", "access", "--detailed-exitcode"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("3 without changes");
  });

  it("one blocked workspace blocks the apply of all: nothing changes anywhere", async () => {
    // Staging drops carol where maxRemovals allows no removal; prod adds erin.
    await writeFile(join(access, "staging.yaml"), workspaceFile("acme-staging", []).replace("maxRemovals: 2", "maxRemovals: 0"));
    await writeFile(join(access, "prod.yaml"), workspaceFile("acme-prod", ["bob@acme.io", "erin@acme.io"]));
    const r = await cli(["apply", "-f", "access", "--auto-approve"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the plan set is blocked: 1 of 3 workspaces (acme-staging)");
    expect(r.stderr).toContain("nothing was changed in any workspace");
    expect(await invited("acme-prod")).not.toContain("erin@acme.io");
    expect(await invited("acme-staging")).toEqual(["carol@acme.io", "ops@acme.io", "trent@acme.io"]);
  });

  it("a saved plan set is applied as reviewed, and refused once a library it was computed from changes", async () => {
    await writeAll({ "acme-prod": ["bob@acme.io", "erin@acme.io"], "acme-staging": ["carol@acme.io"], "acme-dev": ["dan@acme.io"] });
    const saved = await cli(["plan", "-f", "access", "--out", "set.json"]);
    expect(saved.code, saved.stderr).toBe(0);
    const set = JSON.parse(await readFile(join(server.dir, "set.json"), "utf8")) as { plans: { workspace: string; changes: unknown[] }[] };
    expect(set.plans.map((p) => [p.workspace, p.changes.length])).toEqual([["acme-dev", 0], ["acme-prod", 1], ["acme-staging", 0]]);

    const library = join(access, "shared/roles.yaml");
    await writeFile(library, LIBRARY.replace("Ships services", "Ships code"));
    const stale = await runCli(["apply", "set.json", "--auto-approve", "--credentials", "creds.yaml"], { env: env(), cwd: server.dir });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("access/dev.yaml (or a library it imports) changed since the saved plan set set.json was computed");
    expect(await invited("acme-prod")).not.toContain("erin@acme.io");

    await writeFile(library, LIBRARY);
    const applied = await runCli(["apply", "set.json", "--auto-approve", "--credentials", "creds.yaml"], { env: env(), cwd: server.dir });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain("=== acme-prod ===\nApply complete: 1 applied, 0 failed, 0 skipped, 0 not attempted.\nVerified: the workspace matches access.yaml.");
    expect(applied.stdout).toContain("Apply set: 3 workspaces, 3 verified; 1 applied, 0 failed, 0 skipped, 0 not attempted.");
    expect(await invited("acme-prod")).toContain("erin@acme.io");
  });

  it("a saved plan set whose workspace moved since is refused whole", async () => {
    await writeAll({ "acme-prod": ["bob@acme.io", "erin@acme.io", "frank@acme.io"], "acme-staging": ["carol@acme.io", "gina@acme.io"], "acme-dev": ["dan@acme.io"] });
    const saved = await cli(["plan", "-f", "access", "--out", "set.json"]);
    expect(saved.code, saved.stderr).toBe(0);
    // Someone invites gina by hand in staging after the review.
    await clients["acme-staging"]!.createInvitation("acme-staging", { email: "gina@acme.io", role: "developer", permissions: [] }, { idempotencyKey: "hand-1" });
    const r = await runCli(["apply", "set.json", "--auto-approve", "--credentials", "creds.yaml"], { env: env(), cwd: server.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stale|changed since|does not match/);
    expect(await invited("acme-prod")).not.toContain("frank@acme.io");
  });

  it("plan --format markdown is one comment with a row per workspace", async () => {
    const r = await cli(["plan", "-f", "access", "--format", "markdown"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("### antryk-access plan for 3 workspaces");
    for (const w of WORKSPACES) expect(r.stdout).toContain(`| \`${w}\` |`);
  });

  it("export of the three workspaces with --extract-library round-trips: the shared role moves to the library, and planning says No changes everywhere", async () => {
    // acme-dev gets a role of its own, which must stay in its file.
    await clients["acme-dev"]!.putRole("acme-dev", "dev-only", { description: "Only in dev", permissions: ["logs:read"] });
    const args = ["export", ...WORKSPACES.flatMap((w) => ["--workspace", w]), "-o", "exported", "--extract-library", "shared/roles.yaml"];
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Exported 3 workspaces to exported; 1 shared custom role in exported/shared/roles.yaml.");
    const library = await readFile(join(server.dir, "exported/shared/roles.yaml"), "utf8");
    expect(library).toContain("kind: library");
    expect(library).toContain("release-manager:");
    expect(library).not.toContain("dev-only");
    const dev = await readFile(join(server.dir, "exported/acme-dev.yaml"), "utf8");
    expect(dev).toContain('imports: ["shared/roles.yaml"]');
    expect(dev).toContain("dev-only:");
    expect(dev).not.toContain("release-manager:\n");
    const plan = await cli(["plan", "-f", "exported", "--detailed-exitcode"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // Each says its own file's name.
    for (const w of WORKSPACES) expect(plan.stdout).toContain(`No changes. The workspace matches ${w}.yaml.`);
  });

  it("each workspace is verified on its own: a hand change in one during the apply fails its verification, the others apply and verify", async () => {
    await writeAll({ "acme-prod": ["bob@acme.io", "erin@acme.io", "frank@acme.io"], "acme-staging": ["carol@acme.io", "gina@acme.io"], "acme-dev": ["dan@acme.io", "hana@acme.io"] });
    let injected = false;
    server.onRequest((req) => {
      // As acme-dev's invitation arrives, someone adds a member to acme-dev by hand (synchronously, in the server's database).
      if (!injected && req.method === "POST" && req.url?.startsWith("/v1/workspaces/acme-dev/invitations") === true) {
        injected = true;
        seedMembers(server.dbPath, { workspace: "acme-dev", emails: ["intruder@acme.io"] });
      }
    });
    const r = await cli(["apply", "-f", "access", "--auto-approve", "--format", "json"]);
    expect(injected).toBe(true);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("1 of 3 workspaces did not apply cleanly: acme-dev: apply did not converge");
    const report = JSON.parse(r.stdout) as { workspaces: { workspace: string; applied: { email?: string }[]; verification: { status: string; remaining?: { kind: string; email?: string }[] } }[] };
    const by = Object.fromEntries(report.workspaces.map((w) => [w.workspace, w]));
    expect(by["acme-dev"]!.verification.status).toBe("differs");
    expect(by["acme-dev"]!.verification.remaining?.map((c) => `${c.kind} ${c.email}`)).toEqual(["removeMember intruder@acme.io"]);
    expect(by["acme-prod"]!.verification.status).toBe("verified");
    expect(by["acme-prod"]!.applied.map((a) => a.email)).toEqual(["frank@acme.io"]);
    expect(by["acme-staging"]!.verification.status).toBe("verified");
  });
});
