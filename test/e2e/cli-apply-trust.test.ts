import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  acceptAll,
  accessYaml,
  assertBuilt,
  auditCount,
  people,
  runCli,
  startCli,
  startTestServer,
  tempDir,
  writeAccessFile,
  type TestServer,
} from "./harness.js";

/**
 * Apply you can trust (issue 9), each as it was seen to break, through the real CLI
 * against the real reference server: "applied" means the workspace changed (verified by
 * reading it back), and only the reviewed plan runs (a saved plan is re-judged against
 * its file, the workspace and the applying token).
 */

const OWNER = "founder@acme.io";
const VERIFIED = "Verified: the workspace matches access.yaml.";
const SLOW = 120_000;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Person = { email: string; role: string; permissions?: string[]; expires?: string };

/** fileOf writes an access file of `members` (maxRemovals 100%: these tests remove people on purpose). */
function fileOf(members: Person[], extra: string[] = []): string {
  const lines = ["version: 1", "workspace: acme-prod", `owner: ${OWNER}`, "safety:", "  maxRemovals: 100%", ...extra];
  lines.push(members.length === 0 ? "members: []" : "members:");
  for (const m of members) {
    lines.push(`  - email: ${m.email}`, `    role: ${m.role}`);
    if (m.permissions) lines.push(`    permissions: [${m.permissions.join(", ")}]`);
    if (m.expires) lines.push(`    expires: ${m.expires}`);
  }
  return `${lines.join("\n")}\n`;
}

async function setup(): Promise<{ s: TestServer; write: (members: Person[], name?: string) => Promise<string>; cli: (args: string[], token?: string) => ReturnType<typeof runCli> }> {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
  const s = server;
  return {
    s,
    write: (members, name = "access.yaml") => writeAccessFile(s.dir, name, fileOf(members)),
    cli: (args, token) => runCli(args, { env: s.env(token), cwd: s.dir }),
  };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function pendingOf(s: TestServer): Promise<{ email: string; role: string }[]> {
  return (await s.owner$.listInvitations(s.workspace, { status: "pending" })).map((i) => ({ email: i.email, role: i.role }));
}

async function memberRole(s: TestServer, email: string): Promise<string | undefined> {
  return (await s.owner$.listMembers(s.workspace)).find((m) => m.email === email)?.role;
}

describe("people who leave and come back", () => {
  it("re-adding a removed member invites them again, with the same role or another; every apply is verified", async () => {
    const { s, write, cli } = await setup();
    const bob = { email: "bob@acme.io", role: "developer" };
    const withBob = await write([bob], "with.yaml");
    const without = await write([], "without.yaml");
    const withBobAdmin = await write([{ ...bob, role: "account-admin" }], "with-admin.yaml");

    for (const [file, expectRole] of [[withBob, "developer"], [withBobAdmin, "account-admin"]] as const) {
      const invited = await cli(["apply", "-f", file, "--auto-approve"]);
      expect(invited.code, invited.stderr + invited.stdout).toBe(0);
      expect(invited.stdout).toContain(VERIFIED);
      expect(await pendingOf(s)).toEqual([{ email: "bob@acme.io", role: expectRole }]);
      await acceptAll(s, ["bob@acme.io"]);
      expect(await memberRole(s, "bob@acme.io")).toBe(expectRole);

      const removed = await cli(["apply", "-f", without, "--auto-approve"]);
      expect(removed.code, removed.stderr + removed.stdout).toBe(0);
      expect(removed.stdout).toContain(VERIFIED);
      expect(await memberRole(s, "bob@acme.io")).toBeUndefined();
    }
    // Back once more as a developer: the workspace state is exactly the one of the first round.
    const again = await cli(["apply", "-f", withBob, "--auto-approve"]);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toContain(VERIFIED);
    expect(await pendingOf(s)).toEqual([{ email: "bob@acme.io", role: "developer" }]);
    const plan = await cli(["plan", "-f", withBob, "--detailed-exitcode"]);
    expect(plan.code, plan.stdout).toBe(0);
  }, SLOW);

  it("a contractor whose expires lapsed is removed, and invited again when renewed", async () => {
    const { s, write, cli } = await setup();
    const eve = { email: "eve@contractor.dev", role: "developer" };
    expect((await cli(["apply", "-f", await write([{ ...eve, expires: day(30) }]), "--auto-approve"])).code).toBe(0);
    await acceptAll(s, [eve.email]);
    const lapsed = await cli(["apply", "-f", await write([{ ...eve, expires: day(-1) }]), "--auto-approve"]);
    expect(lapsed.code, lapsed.stderr + lapsed.stdout).toBe(0);
    expect(await memberRole(s, eve.email)).toBeUndefined();
    const renewed = await cli(["apply", "-f", await write([{ ...eve, expires: day(60) }]), "--auto-approve"]);
    expect(renewed.code, renewed.stderr + renewed.stdout).toBe(0);
    expect(renewed.stdout).toContain(VERIFIED);
    expect(await pendingOf(s)).toEqual([{ email: eve.email, role: "developer" }]);
  }, SLOW);

  it("a person revoked and re-invited twice in one day gets a pending invitation each time", async () => {
    const { s, write, cli } = await setup();
    const withAmy = await write([{ email: "amy@acme.io", role: "developer" }], "with.yaml");
    const without = await write([], "without.yaml");
    for (let round = 0; round < 2; round += 1) {
      const invite = await cli(["apply", "-f", withAmy, "--auto-approve"]);
      expect(invite.stdout, invite.stderr).toContain(VERIFIED);
      expect(await pendingOf(s)).toEqual([{ email: "amy@acme.io", role: "developer" }]);
      const revoke = await cli(["apply", "-f", without, "--auto-approve"]);
      expect(revoke.stdout, revoke.stderr).toContain(VERIFIED);
      expect(await pendingOf(s)).toEqual([]);
    }
    expect(await auditCount(s, "invitation.created")).toBe(2);
    expect(await auditCount(s, "invitation.revoked")).toBe(2);
  }, SLOW);
});

describe("a saved plan is re-judged, never trusted as written", () => {
  type SavedPlan = {
    changes: { kind: string; key: string; email?: string; after: { role: string; permissions: string[] } | null }[];
    violations: unknown[];
  };

  async function savedPlan() {
    const ctx = await setup();
    const file = await ctx.write([{ email: "bob@acme.io", role: "developer" }, { email: "carol@acme.io", role: "developer" }]);
    const planFile = join(ctx.s.dir, "plan.json");
    const planned = await ctx.cli(["plan", "-f", "access.yaml", "--out", planFile]);
    expect(planned.code, planned.stderr).toBe(0);
    const edit = async (f: (p: SavedPlan) => void) => {
      const plan = JSON.parse(await readFile(planFile, "utf8")) as SavedPlan;
      f(plan);
      const path = join(ctx.s.dir, "edited.json");
      await writeFile(path, JSON.stringify(plan, null, 2));
      return path;
    };
    return { ...ctx, file, planFile, edit };
  }

  it.each([
    [
      "a change added (mallory as account-admin)",
      (p: SavedPlan) =>
        p.changes.push({ ...p.changes[0]!, key: "inviteMember:mallory@evil.io", email: "mallory@evil.io", after: { role: "account-admin", permissions: [] } }),
      /inviteMember:mallory@evil\.io is in the saved plan but not in the plan computed now/,
    ],
    ["a change dropped", (p: SavedPlan) => void p.changes.pop(), /inviteMember:carol@acme\.io is in the plan computed now but not in the saved plan/],
    [
      "a role altered inside a change",
      (p: SavedPlan) => (p.changes[0]!.after = { role: "account-admin", permissions: [] }),
      /inviteMember:bob@acme\.io: after\.role is "account-admin" in the saved plan but "developer" now/,
    ],
  ])("refuses a saved plan with %s, changing nothing", async (_name, edit, message) => {
    const { s, cli, edit: editPlan } = await savedPlan();
    const before = await auditCount(s);
    const r = await cli(["apply", await editPlan(edit), "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/nothing was changed, run plan again/);
    expect(await auditCount(s)).toBe(before);
  }, SLOW);

  it("ignores the violations written in the file: emptying them does not unblock a blocked plan", async () => {
    const { s, write, cli } = await setup();
    await s.owner$.createInvitation(s.workspace, { email: "a@acme.io", role: "developer" });
    await s.owner$.createInvitation(s.workspace, { email: "b@acme.io", role: "developer" });
    await writeAccessFile(s.dir, "access.yaml", fileOf([]).replace("maxRemovals: 100%", "maxRemovals: 1"));
    void write;
    const planFile = join(s.dir, "plan.json");
    const planned = await cli(["plan", "-f", "access.yaml", "--out", planFile]);
    expect(planned.code).toBe(1);
    const plan = JSON.parse(await readFile(planFile, "utf8")) as SavedPlan;
    expect(plan.violations).not.toEqual([]);
    plan.violations = [];
    await writeFile(planFile, JSON.stringify(plan));
    const before = await auditCount(s);
    const r = await cli(["apply", planFile, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/blocked by 1 safety rail/);
    expect(r.stderr).toMatch(/maxRemovals/);
    expect(await auditCount(s)).toBe(before);
  }, SLOW);

  it("refuses when the access file changed after planning", async () => {
    const { s, write, cli, planFile } = await savedPlan();
    await write([{ email: "bob@acme.io", role: "developer" }, { email: "carol@acme.io", role: "account-admin" }]);
    const before = await auditCount(s);
    const r = await cli(["apply", planFile, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: access\.yaml changed since the saved plan .*plan\.json was computed \(sha256 [0-9a-f]{12}… then, [0-9a-f]{12}… now\); nothing was changed/m);
    expect(await auditCount(s)).toBe(before);
  }, SLOW);

  it("applies an untouched saved plan, reusing its own idempotency keys when retried", async () => {
    const { s, cli, planFile } = await savedPlan();
    const r = await cli(["apply", planFile, "--auto-approve", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { planId: string; applied: unknown[]; verification: { status: string } };
    expect(report.applied).toHaveLength(2);
    expect(report.verification).toEqual({ status: "verified" });
    const saved = JSON.parse(await readFile(planFile, "utf8")) as { planId: string };
    expect(report.planId).toBe(saved.planId);
    // The same saved plan again: the workspace moved on, so it is stale and changes nothing.
    const again = await cli(["apply", planFile, "--auto-approve"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/the saved plan is stale/);
    expect(await auditCount(s, "invitation.created")).toBe(2);
  }, SLOW);

  it("judges the self rail with the token that applies, not the one that planned", async () => {
    const { s, cli } = await setup();
    const bot = "ci-bot@acme.io";
    const reader = "reader@acme.io";
    await writeAccessFile(s.dir, "setup.yaml", fileOf([{ email: bot, role: "account-admin" }, { email: reader, role: "developer" }]));
    expect((await cli(["apply", "-f", "setup.yaml", "--auto-approve"])).code).toBe(0);
    await acceptAll(s, [bot, reader]);
    // The reviewed file drops the bot; a read-only token plans it, the bot's token applies it.
    await writeAccessFile(s.dir, "access.yaml", fileOf([{ email: reader, role: "developer" }]));
    const planFile = join(s.dir, "plan.json");
    const planned = await cli(["plan", "-f", "access.yaml", "--out", planFile], s.tokenFor(reader));
    expect(planned.code, planned.stderr).toBe(0);
    const before = await auditCount(s);
    const r = await cli(["apply", planFile, "--auto-approve"], s.tokenFor(bot));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/self: this plan removes ci-bot@acme\.io, whose token runs it/);
    expect(await auditCount(s)).toBe(before);
  }, SLOW);
});

describe("the end of an apply says what happened", () => {
  it("a self-removal that succeeded exits 0 and says the token no longer works", async () => {
    const { s, cli } = await setup();
    const bot = "ci-bot@acme.io";
    await writeAccessFile(s.dir, "setup.yaml", fileOf([{ email: bot, role: "account-admin" }]));
    expect((await cli(["apply", "-f", "setup.yaml", "--auto-approve"])).code).toBe(0);
    await acceptAll(s, [bot]);
    await writeAccessFile(s.dir, "access.yaml", fileOf([]));
    const r = await cli(["apply", "-f", "access.yaml", "--auto-approve", "--allow-self-change"], s.tokenFor(bot));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("Apply complete: 1 applied, 0 failed, 0 skipped, 0 not attempted.");
    expect(r.stdout).toContain("Not verified: this apply removed ci-bot@acme.io, whose token ran it: that token no longer works");
    expect(r.stderr).toBe("");
    expect(await memberRole(s, bot)).toBeUndefined();
  }, SLOW);

  it("an invitee accepting during the apply is not a failure: the apply is verified", async () => {
    const { s, cli } = await setup();
    await s.owner$.createInvitation(s.workspace, { email: "early@acme.io", role: "developer" });
    const emails = people(150);
    await writeAccessFile(s.dir, "access.yaml", fileOf([{ email: "early@acme.io", role: "developer" }, ...emails.map((email) => ({ email, role: "developer" }))]));
    let posts = 0;
    let accepted: Promise<void> | undefined;
    s.onRequest((req) => {
      if (req.method === "POST" && req.url?.endsWith("/invitations") && ++posts === 75) accepted = acceptAll(s, ["early@acme.io"]);
    });
    const r = await cli(["apply", "-f", "access.yaml", "--auto-approve", "--concurrency", "1"]);
    await accepted;
    expect(posts).toBe(150);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("Apply complete: 150 applied, 0 failed, 0 skipped, 0 not attempted.");
    expect(r.stdout).toContain(VERIFIED);
    expect(await memberRole(s, "early@acme.io")).toBe("developer");
  }, SLOW);

  it("a writer undoing part of the plan mid-apply is caught by verification and named", async () => {
    const { s, cli } = await setup();
    const emails = people(40);
    await writeAccessFile(s.dir, "access.yaml", fileOf(emails.map((email) => ({ email, role: "developer" }))));
    let posts = 0;
    let undone: Promise<unknown> | undefined;
    s.onRequest((req) => {
      if (req.method === "POST" && req.url?.endsWith("/invitations") && ++posts === 20) {
        undone = (async () => {
          const first = (await s.owner$.listInvitations(s.workspace, { status: "pending" })).find((i) => i.email === emails[0]);
          await s.owner$.revokeInvitation(s.workspace, first!.id, { ifMatch: first!.version });
        })();
      }
    });
    const r = await cli(["apply", "-f", "access.yaml", "--auto-approve", "--concurrency", "1"]);
    await undone;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain("Apply complete: 40 applied, 0 failed, 0 skipped, 0 not attempted.");
    expect(r.stdout).toContain("Not verified: the workspace still differs from access.yaml in 1 place:");
    expect(r.stdout).toContain(`  invite ${emails[0]} as developer`);
    expect(r.stderr).toMatch(/^error: apply did not converge/m);
  }, SLOW);

  it("a server that dies mid-apply is given up on: the rest is not attempted, exit 1, and a rerun converges", async () => {
    const { s, cli } = await setup();
    const emails = people(80);
    await writeAccessFile(s.dir, "access.yaml", fileOf(emails.map((email) => ({ email, role: "developer" }))));
    let posts = 0;
    s.onRequest((req) => {
      if (req.method === "POST" && req.url?.endsWith("/invitations") && ++posts === 20) s.kill();
    });
    const concurrency = 4;
    const r = await runCli(["apply", "-f", "access.yaml", "--auto-approve", "--concurrency", String(concurrency), "--format", "json"], {
      env: { ...s.env(), ANTRYK_RETRIES: "2" },
      cwd: s.dir,
    });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { applied: unknown[]; failed: unknown[]; notAttempted: { reason: string }[]; verification: { status: string; cause: string } };
    // The breaker trips after 3 unreachable changes; at most the calls already in flight fail besides.
    expect(report.failed.length).toBeGreaterThanOrEqual(3);
    expect(report.failed.length).toBeLessThanOrEqual(3 + concurrency - 1);
    expect(report.notAttempted.length).toBe(80 - report.applied.length - report.failed.length);
    expect(report.notAttempted.length).toBeGreaterThan(40);
    expect(new Set(report.notAttempted.map((n) => n.reason))).toEqual(new Set(["unreachable"]));
    expect(report.verification).toMatchObject({ status: "skipped", cause: "unreachable" });
    expect(r.stderr).toMatch(/^error: apply incomplete: .*gave up on a server that stopped answering/m);

    await s.restart();
    const rerun = await cli(["apply", "-f", "access.yaml", "--auto-approve"]);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(VERIFIED);
    expect((await pendingOf(s)).length).toBe(80);
  }, SLOW);

  it("Ctrl-C: what was applied is reported exactly, the rest is not attempted (not failed), exit 130", async () => {
    const { s } = await setup();
    const emails = people(120);
    await writeAccessFile(s.dir, "access.yaml", fileOf(emails.map((email) => ({ email, role: "developer" }))));
    const run = startCli(["apply", "-f", "access.yaml", "--auto-approve", "--concurrency", "2", "--format", "json"], { env: s.env(), cwd: s.dir });
    let posts = 0;
    s.onRequest((req) => {
      if (req.method === "POST" && req.url?.endsWith("/invitations") && ++posts === 30) run.child.kill("SIGINT");
    });
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain("Interrupted: finishing the changes in flight and starting no new one");
    expect(r.stderr).toMatch(/^error: apply interrupted: \d+ not attempted; run plan again to see what remains$/m);
    const report = JSON.parse(r.stdout) as { applied: { email: string }[]; failed: unknown[]; notAttempted: { reason: string }[] };
    expect(report.failed).toEqual([]);
    expect(report.applied.length + report.notAttempted.length).toBe(120);
    expect(report.notAttempted.length).toBeGreaterThan(0);
    expect(new Set(report.notAttempted.map((n) => n.reason))).toEqual(new Set(["interrupted"]));
    const pending = (await pendingOf(s)).map((p) => p.email).sort();
    expect(pending).toEqual(report.applied.map((a) => a.email).sort());
  }, SLOW);
});

describe("no silent local target in CI", () => {
  it("with CI set and no target, plan, apply and export refuse before reading anything; --local opts in and says so everywhere", async () => {
    assertBuilt();
    const dir = await tempDir();
    await writeAccessFile(dir, "access.yaml", accessYaml({ workspace: "ci-ws", members: [{ email: "a@acme.io", role: "account-admin" }] }));
    for (const args of [["plan"], ["apply", "--auto-approve"], ["export", "--workspace", "ci-ws"], ["plan", "-f", "missing.yaml"]]) {
      const r = await runCli(args, { cwd: dir, env: { CI: "true" } });
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(
        "error: no target in CI: set ANTRYK_API_URL and ANTRYK_TOKEN to the workspace's API (or pass --local to use a throwaway embedded local workspace); nothing was read or changed\n",
      );
    }
    expect(existsSync(join(dir, ".antryk"))).toBe(false);

    const text = await runCli(["plan", "--local"], { cwd: dir, env: { CI: "true" } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("LOCAL: this plan is against the embedded local workspace");
    const json = await runCli(["plan", "--local", "--format", "json"], { cwd: dir, env: { CI: "true" } });
    expect((JSON.parse(json.stdout) as { target: string }).target).toBe("embedded:.antryk/workspace.db");
    const md = await runCli(["plan", "--local", "--format", "markdown"], { cwd: dir, env: { CI: "true" } });
    expect(md.stdout).toContain("> LOCAL: this plan is against the embedded local workspace");
    const applied = await runCli(["apply", "--local", "--auto-approve"], { cwd: dir, env: { CI: "true" } });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(VERIFIED);
  }, SLOW);

  it("one of ANTRYK_API_URL and ANTRYK_TOKEN without the other is an error, in CI or not", async () => {
    assertBuilt();
    const dir = await tempDir();
    for (const env of [{ ANTRYK_API_URL: "http://127.0.0.1:9" }, { ANTRYK_TOKEN: "ak_x" }, { CI: "true", ANTRYK_TOKEN: "ak_x" }]) {
      const r = await runCli(["plan"], { cwd: dir, env });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: (no API token for|a token is set)/);
    }
  });

  it("a typo in workspace: is refused once the embedded workspace holds another; --local creates it", async () => {
    assertBuilt();
    const dir = await tempDir();
    const env = { CI: "" };
    await writeAccessFile(dir, "access.yaml", accessYaml({ workspace: "acme-prod", members: [{ email: "a@acme.io", role: "account-admin" }] }));
    expect((await runCli(["plan"], { cwd: dir, env })).code).toBe(0);
    await writeAccessFile(dir, "typo.yaml", accessYaml({ workspace: "acme-prdo", members: [{ email: "a@acme.io", role: "account-admin" }] }));
    const r = await runCli(["plan", "-f", "typo.yaml"], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: the embedded local workspace in .antryk/workspace.db holds "acme-prod", not "acme-prdo": fix workspace: in the file, or pass --local to create "acme-prdo" beside it\n',
    );
    const created = await runCli(["plan", "-f", "typo.yaml", "--local"], { cwd: dir, env });
    expect(created.code, created.stderr).toBe(0);
  });
});
