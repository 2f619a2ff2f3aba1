import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedMembers } from "../../server/admin.js";
import { assertBuilt, runCli, startTestServer, type TestServer } from "./harness.js";

/**
 * One credentials resolver for every path (docs/cli.md, "Credentials"): a workspace takes the
 * same token whether its file is planned alone, in a folder, from a saved plan or a saved set
 * (--credentials, ANTRYK_TOKEN_<WORKSPACE>, --token-file, ANTRYK_TOKEN, in that order); plan
 * and apply say which source each token came from, never the token; names that map to one
 * variable are refused. And a saved plan set is bound as a whole.
 */

const OWNER = "founder@acme.io";
const BOT = "bot@acme.io";
let server: TestServer;
let botToken: string;

const file = (workspace: string, extra = "") => `version: 1
workspace: ${workspace}
owner: ${OWNER}
members:
  - email: ${BOT}
    role: account-admin
${extra}`;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ workspace: "m-prod", owner: OWNER });
  seedMembers(server.dbPath, { workspace: "m-prod", emails: [BOT], role: "account-admin" });
  botToken = server.tokenFor(BOT);
  await mkdir(join(server.dir, "access"), { recursive: true });
  await writeFile(join(server.dir, "access/prod.yaml"), file("m-prod", "  - email: new@acme.io\n    role: developer\n"));
  await writeFile(join(server.dir, "bot.token"), `${botToken}\n`, { mode: 0o600 });
  await writeFile(join(server.dir, "creds.yaml"), "m-prod: bot.token\n");
});

afterAll(async () => {
  await server.close();
});

const cli = (args: string[], env: NodeJS.ProcessEnv) => runCli(args, { env: { ANTRYK_API_URL: server.url, ...env }, cwd: server.dir });
const callerOf = (stdout: string) => (JSON.parse(stdout) as { caller: string }).caller;

describe("one workspace, one identity", () => {
  it("a file planned alone takes ANTRYK_TOKEN_<WORKSPACE> over ANTRYK_TOKEN, as in its folder, and says so", async () => {
    const env = { ANTRYK_TOKEN: server.ownerToken, ANTRYK_TOKEN_M_PROD: botToken };
    const alone = await cli(["plan", "-f", "access/prod.yaml", "--format", "json"], env);
    expect(alone.code, alone.stderr).toBe(0);
    expect(callerOf(alone.stdout)).toBe(BOT);
    expect(alone.stderr).toContain("Token for m-prod: ANTRYK_TOKEN_M_PROD.");
    const folder = await cli(["plan", "-f", "access", "--format", "json"], env);
    expect(folder.code, folder.stderr).toBe(0);
    expect(callerOf(folder.stdout)).toBe(BOT);
    for (const r of [alone, folder]) expect(r.stdout + r.stderr).not.toContain(botToken);
  });

  it("apply of a saved plan takes --credentials, and says so", async () => {
    const saved = await cli(["plan", "-f", "access/prod.yaml", "--out", "plan.json"], { ANTRYK_TOKEN_M_PROD: botToken });
    expect(saved.code, saved.stderr).toBe(0);
    const r = await cli(["apply", "plan.json", "--auto-approve", "--credentials", "creds.yaml"], { ANTRYK_TOKEN: server.ownerToken });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("Token for m-prod: --credentials creds.yaml:1:1.");
    expect(r.stdout + r.stderr).not.toContain(botToken);
    const invitation = (await server.owner$.listInvitations("m-prod", { status: "pending" })).find((i) => i.email === "new@acme.io");
    expect(invitation?.invitedBy).toBe(BOT);
  });

  it("workspaces whose names map to one variable are refused, naming both", async () => {
    await mkdir(join(server.dir, "clash"), { recursive: true });
    await writeFile(join(server.dir, "clash/a.yaml"), file("m-prod"));
    await writeFile(join(server.dir, "clash/b.yaml"), file("m_prod"));
    const r = await cli(["plan", "-f", "clash"], { ANTRYK_TOKEN: server.ownerToken });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the workspaces m-prod and m_prod both take their token from ANTRYK_TOKEN_M_PROD");
  });
});

describe("a saved plan set is bound as a whole", () => {
  it.each([
    ["a plan deleted", (set: { plans: unknown[] }) => ({ ...set, plans: set.plans.slice(1) }), /saved with a plan for m-a, which is missing/],
    ["the plans reordered", (set: { plans: unknown[] }) => ({ ...set, plans: [...set.plans].reverse() }), /in another order \(m-b, m-a\) than saved \(m-a, m-b\)/],
    ["the list of workspaces removed", (set: { formatVersion?: unknown; plans: unknown[] }) => ({ formatVersion: set.formatVersion, plans: set.plans }), /workspaces: the list of its workspaces and their digests is missing/],
  ])("%s: refused before anything is read or changed", async (_name, edit, message) => {
    await mkdir(join(server.dir, "set"), { recursive: true });
    await writeFile(join(server.dir, "set/a.yaml"), file("m-a"));
    await writeFile(join(server.dir, "set/b.yaml"), file("m-b"));
    const saved = await runCli(["plan", "-f", "set", "--out", "set.json", "--local"], { cwd: server.dir });
    expect(saved.code, saved.stderr).toBe(0);
    const set = JSON.parse(await readFile(join(server.dir, "set.json"), "utf8")) as { formatVersion: unknown; plans: unknown[] };
    await writeFile(join(server.dir, "edited.json"), JSON.stringify(edit(set), null, 2));
    const r = await runCli(["apply", "edited.json", "--auto-approve", "--local"], { cwd: server.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/edited\.json is not the plan set that was saved/);
    expect(r.stderr).toMatch(message);
  });
});

describe("the apply report says where it applied", () => {
  it("JSON carries target: local for the embedded workspace, remote with the API URL otherwise", async () => {
    await mkdir(join(server.dir, "target"), { recursive: true });
    await writeFile(join(server.dir, "target/local.yaml"), file("m-local"));
    const local = await runCli(["apply", "-f", "target/local.yaml", "--auto-approve", "--local", "--format", "json"], { cwd: server.dir });
    expect(local.code, local.stderr).toBe(0);
    expect((JSON.parse(local.stdout) as { target: unknown }).target).toEqual({ kind: "local", url: "embedded:.antryk/workspace.db" });
    const remote = await cli(["apply", "-f", "access/prod.yaml", "--auto-approve", "--format", "json"], { ANTRYK_TOKEN: server.ownerToken });
    expect(remote.code, remote.stderr).toBe(0);
    expect((JSON.parse(remote.stdout) as { target: unknown }).target).toEqual({ kind: "remote", url: server.url });
  });
});
