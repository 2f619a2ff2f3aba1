import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acceptAll, accessYaml, assertBuilt, runCli, startTestServer, writeAccessFile, type TestServer } from "./harness.js";

/**
 * Sponsors through the real CLI and server (docs/apply.md, "Sponsors"): removing or
 * demoting an admin decides each open invitation it sponsors in the plan, transfers the
 * ones the file wants, preserves or additive mode leaves alone, and apply verifies that
 * every one of them is where the plan said. A caller that would remove or demote itself
 * while sponsoring invitations is blocked with the two steps that work.
 */

const OWNER = "founder@acme.io";
const PAST = "2020-01-01";
let server: TestServer;

beforeEach(async () => {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
});
afterEach(async () => {
  await server.close();
});

/** invitesAs sends invitations with `email`'s token, as that admin would from the dashboard. */
async function invitesAs(email: string, invitees: string[]): Promise<void> {
  const token = server.tokenFor(email);
  for (const invitee of invitees) {
    const sent = await server.request("POST", `/v1/workspaces/${server.workspace}/invitations`, { token, body: { email: invitee, role: "developer" } });
    expect(sent.status).toBe(201);
  }
}

async function openInvitations(): Promise<[string, string, string][]> {
  const all = await server.owner$.listInvitations(server.workspace, { status: "pending" });
  return all.map((i): [string, string, string] => [i.email, i.status, i.sponsor]).sort();
}

describe("an admin who sponsors invitations leaves", () => {
  it("additive mode with preserve: the invitations it leaves alone are transferred, counted nowhere, and verified", async () => {
    await server.join("carol@acme.io", "account-admin");
    await invitesAs("carol@acme.io", ["gina@acme.io", "pres@acme.io", "hank@acme.io"]);
    const file = await writeAccessFile(
      server.dir,
      "access.yaml",
      accessYaml({
        owner: OWNER,
        mode: "additive",
        safety: ["maxRemovals: 1", "preserve: [pres@acme.io]"],
        members: [{ email: "carol@acme.io", role: "account-admin", expires: PAST }, { email: "hank@acme.io", role: "developer" }],
      }),
    );
    const plan = await runCli(["plan", "-f", file], { env: server.env() });
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain("invitation of gina@acme.io (sponsored by carol@acme.io): transferred to the caller, additive mode leaves it alone");
    expect(plan.stdout).toContain("invitation of pres@acme.io (sponsored by carol@acme.io): transferred to the caller, in safety.preserve");
    expect(plan.stdout).toContain("invitation of hank@acme.io (sponsored by carol@acme.io): transferred to the caller, access.yaml lists it");

    const sent = (await server.outbox()).length;
    const applied = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain("Verified: the workspace matches access.yaml.");
    // Nobody gets a second e-mail because carol left.
    expect((await server.outbox()).length).toBe(sent);
    expect(await openInvitations()).toEqual([
      ["gina@acme.io", "pending", OWNER],
      ["hank@acme.io", "pending", OWNER],
      ["pres@acme.io", "pending", OWNER],
    ]);
    const history = await server.owner$.listAllAudit(server.workspace, { action: "invitation.transferred" });
    expect(history.map((e) => e.target).sort()).toEqual(["gina@acme.io", "hank@acme.io", "pres@acme.io"]);
    expect(await server.owner$.listAllAudit(server.workspace, { action: "invitation.revoked" })).toEqual([]);
  });

  it("a listed and preserved invitee is not blocked: the plan transfers its invitation and converges", async () => {
    await server.join("carol@acme.io", "account-admin");
    await invitesAs("carol@acme.io", ["pres@acme.io"]);
    const file = await writeAccessFile(
      server.dir,
      "access.yaml",
      accessYaml({
        owner: OWNER,
        safety: ["maxRemovals: 1", "preserve: [pres@acme.io]"],
        members: [{ email: "carol@acme.io", role: "account-admin", expires: PAST }, { email: "pres@acme.io", role: "developer" }],
      }),
    );
    const applied = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).not.toContain("preserve:");
    expect(applied.stdout).toContain("Verified: the workspace matches access.yaml.");
    expect(await openInvitations()).toEqual([["pres@acme.io", "pending", OWNER]]);
    const again = await runCli(["plan", "-f", file, "--detailed-exitcode"], { env: server.env() });
    expect(again.code, again.stdout).toBe(0);
  });

  it("authoritative mode: an expired invitation nothing keeps is a planned revocation, attributed to the removal and counted by maxRemovals", async () => {
    await server.join("carol@acme.io", "account-admin");
    await invitesAs("carol@acme.io", ["old@acme.io"]);
    server.clock.advance(8 * 24 * 3600 * 1000); // old's invitation expires
    const write = (limit: string) =>
      writeAccessFile(server.dir, `access-${limit}.yaml`, accessYaml({ owner: OWNER, safety: [`maxRemovals: ${limit}`], members: [] }));
    const tight = await runCli(["plan", "-f", await write("1")], { env: server.env() });
    expect(tight.code).toBe(1);
    expect(tight.stdout).toMatch(/maxRemovals: this plan removes or revokes 2 of/);

    const file = await write("2");
    const plan = await runCli(["plan", "-f", file], { env: server.env() });
    expect(plan.stdout).toContain("- revoke invitation old@acme.io");
    expect(plan.stdout).toContain("consequence of removeMember:carol@acme.io");
    const applied = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain("Verified: the workspace matches access.yaml.");
    const old = (await server.owner$.listInvitations(server.workspace)).find((i) => i.email === "old@acme.io")!;
    expect(old.status).toBe("revoked");
  });
});

describe("the caller removing or demoting itself", () => {
  const BOT1 = "bot1@acme.io";
  const BOT2 = "bot2@acme.io";
  const NEWHIRE = "newhire@acme.io";
  const rotated = () =>
    accessYaml({ owner: OWNER, safety: ["maxRemovals: 100%"], members: [{ email: BOT2, role: "account-admin" }, { email: NEWHIRE, role: "developer" }] });

  it("token rotation: blocked with the two-step message even with --allow-self-change; then the two steps converge", async () => {
    await server.join(BOT1, "account-admin");
    const bot1 = server.tokenFor(BOT1);
    const file = await writeAccessFile(server.dir, "rotated.yaml", rotated());
    const blocked = await runCli(["apply", "-f", file, "--auto-approve", "--allow-self-change"], { env: server.env(bot1) });
    expect(blocked.code).toBe(1);
    const said = blocked.stdout + blocked.stderr;
    expect(said).toContain(`self: this plan removes ${BOT1}, whose token runs it, while ${BOT1} sponsors or would send 2 invitation(s)`);
    expect(said).toContain("Do it in two steps: apply a file that invites the new admin and let them accept");
    expect(await openInvitations()).toEqual([]);

    // Step 1: invite the new admin (and the new hire) with bot1's token; bot2 accepts.
    const both = await writeAccessFile(
      server.dir,
      "both.yaml",
      accessYaml({ owner: OWNER, members: [{ email: BOT1, role: "account-admin" }, { email: BOT2, role: "account-admin" }, { email: NEWHIRE, role: "developer" }] }),
    );
    const step1 = await runCli(["apply", "-f", both, "--auto-approve"], { env: server.env(bot1) });
    expect(step1.code, step1.stderr + step1.stdout).toBe(0);
    await acceptAll(server, [BOT2]);

    // Step 2: bot2's token removes bot1; newhire's invitation (sponsored by bot1) is transferred to bot2.
    const bot2 = server.tokenFor(BOT2);
    const step2 = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env(bot2) });
    expect(step2.code, step2.stderr + step2.stdout).toBe(0);
    expect(step2.stdout).toContain(`invitation of ${NEWHIRE} (sponsored by ${BOT1}): transferred to the caller, access.yaml lists it`);
    expect(step2.stdout).toContain("Verified: the workspace matches access.yaml.");
    expect(await openInvitations()).toEqual([[NEWHIRE, "pending", BOT2]]);
    await acceptAll(server, [NEWHIRE]);
    const converged = await runCli(["plan", "-f", file, "--detailed-exitcode"], { env: server.env(bot2) });
    expect(converged.code, converged.stdout).toBe(0);
  });

  it("self-demotion while sponsoring an invitation is blocked, and nothing changes", async () => {
    await server.join(BOT1, "account-admin");
    await invitesAs(BOT1, [NEWHIRE]);
    const file = await writeAccessFile(
      server.dir,
      "demoted.yaml",
      accessYaml({ owner: OWNER, members: [{ email: BOT1, role: "developer" }, { email: NEWHIRE, role: "developer" }] }),
    );
    const blocked = await runCli(["apply", "-f", file, "--auto-approve", "--allow-self-change"], { env: server.env(server.tokenFor(BOT1)) });
    expect(blocked.code).toBe(1);
    expect(blocked.stdout + blocked.stderr).toMatch(/self: this plan takes .*access:manage.* from bot1@acme\.io, whose token runs it, while bot1@acme\.io sponsors or would send 1 invitation\(s\) \(newhire@acme\.io\)/);
    expect(await openInvitations()).toEqual([[NEWHIRE, "pending", BOT1]]);
    expect((await server.owner$.listMembers(server.workspace)).find((m) => m.email === BOT1)?.role).toBe("account-admin");
  });

  it("removing itself with nothing sponsored still works with --allow-self-change, and says why it could not verify", async () => {
    await server.join(BOT1, "account-admin");
    const file = await writeAccessFile(server.dir, "gone.yaml", accessYaml({ owner: OWNER, safety: ["maxRemovals: 100%"], members: [] }));
    const applied = await runCli(["apply", "-f", file, "--auto-approve", "--allow-self-change"], { env: server.env(server.tokenFor(BOT1)) });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain("nothing else it promised depends on that token (it sponsored no invitation)");
  });
});
