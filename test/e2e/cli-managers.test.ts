import { afterEach, describe, expect, it } from "vitest";
import { acceptAll, accessYaml, assertBuilt, runCli, startTestServer, writeAccessFile, type TestServer } from "./harness.js";

/**
 * Managers through the real CLI and server: what the CLI writes is marked with its manager
 * id (antryk-access:<workspace>, or the file's `manager:`); a plan that would change what
 * another manager manages is blocked by managedElsewhere, naming it, until `--take-over`
 * (or safety.takeOver) takes it over; additive mode reports another manager's people as
 * managed by it.
 */

const OWNER = "founder@acme.io";
const STACK = "pulumi:infra/prod/urn:pulumi:prod::infra::antryk:index:Member::bob";
const TEAM = [
  { email: "ops@acme.io", role: "account-admin" },
  { email: "bob@acme.io", role: "developer" },
];

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function converged(extra: { manager?: string } = {}) {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
  const s = server;
  const text = accessYaml({ owner: OWNER, safety: ["maxRemovals: 100%"], members: TEAM });
  await writeAccessFile(s.dir, "access.yaml", extra.manager === undefined ? text : `${text}manager: "${extra.manager}"\n`);
  const cli = (args: string[]) => runCli(args, { env: s.env(), cwd: s.dir });
  const first = await cli(["apply", "-f", "access.yaml", "--auto-approve"]);
  expect(first.code, first.stderr).toBe(0);
  await acceptAll(s, TEAM.map((m) => m.email));
  return { s, cli };
}

async function managerOf(s: TestServer, email: string) {
  return (await s.owner$.listMembers(s.workspace)).find((m) => m.email === email)?.managedBy;
}

describe("the CLI and other managers", () => {
  it("marks what it writes with antryk-access:<workspace>, which the accepted member keeps", async () => {
    const { s } = await converged();
    expect(await managerOf(s, "bob@acme.io")).toBe("antryk-access:acme-prod");
    expect(await managerOf(s, OWNER)).toBeNull();
    const events = await s.owner$.listAllAudit(s.workspace, { action: "invitation.created" });
    expect(events.map((e) => e.manager)).toEqual(["antryk-access:acme-prod", "antryk-access:acme-prod"]);
  });

  it("marks with the file's manager: when it has one", async () => {
    const { s } = await converged({ manager: "antryk-access:platform/infra:acme-prod" });
    expect(await managerOf(s, "ops@acme.io")).toBe("antryk-access:platform/infra:acme-prod");
  });

  it("is blocked by another manager's change (managedElsewhere, naming it), then takes it over with --take-over", async () => {
    const { s, cli } = await converged();
    const bob = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!;
    await s.owner$.withManager(STACK).updateMember(s.workspace, bob.id, { role: "account-admin" }, { ifMatch: bob.version });

    const blocked = await cli(["apply", "-f", "access.yaml", "--auto-approve"]);
    expect(blocked.code).toBe(1);
    const said = blocked.stdout + blocked.stderr;
    expect(said).toContain("managedElsewhere");
    expect(said).toContain(`bob@acme.io is managed by ${STACK}`);
    expect(said).toContain(`--take-over ${STACK}`);
    expect((await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!.role).toBe("account-admin");

    // the plan says who made the change it undoes: another manager, a fight between tools, not a hand edit
    const shown = await cli(["plan", "-f", "access.yaml", "--take-over", STACK]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`for another manager, ${STACK} (a fight between tools, not a hand edit)`);
    const json = await cli(["plan", "-f", "access.yaml", "--take-over", STACK, "--format", "json"]);
    const change = (JSON.parse(json.stdout) as { changes: { key: string; liveSince?: unknown }[] }).changes.find((c) => c.key === "updateMember:bob@acme.io");
    expect(change?.liveSince).toMatchObject({ action: "member.updated", manager: STACK, otherManager: true });

    const taken = await cli(["apply", "-f", "access.yaml", "--auto-approve", "--take-over", STACK]);
    expect(taken.code, taken.stdout + taken.stderr).toBe(0);
    const after = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!;
    expect(after).toMatchObject({ role: "developer", managedBy: "antryk-access:acme-prod" });
    // taken over: the next run is free again, without the flag
    const again = await cli(["plan", "-f", "access.yaml", "--detailed-exitcode"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it("takes over through safety.takeOver in the file as well", async () => {
    const { s, cli } = await converged();
    const bob = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!;
    await s.owner$.withManager(STACK).updateMember(s.workspace, bob.id, { role: "account-admin" }, { ifMatch: bob.version });
    await writeAccessFile(s.dir, "access.yaml", accessYaml({ owner: OWNER, safety: ["maxRemovals: 100%", `takeOver: ["${STACK}"]`], members: TEAM }));
    const taken = await cli(["apply", "-f", "access.yaml", "--auto-approve"]);
    expect(taken.code, taken.stdout + taken.stderr).toBe(0);
    expect(await managerOf(s, "bob@acme.io")).toBe("antryk-access:acme-prod");
  });

  it("lets a workspace whose marker was cleared (empty header) be corrected, and marks it again", async () => {
    const { s, cli } = await converged();
    const bob = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!;
    await s.owner$.withManager(null).updateMember(s.workspace, bob.id, { role: "account-admin" }, { ifMatch: bob.version });
    // an empty header clears the marker: nobody manages bob now, so the file may correct him
    const fixed = await cli(["apply", "-f", "access.yaml", "--auto-approve"]);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(await managerOf(s, "bob@acme.io")).toBe("antryk-access:acme-prod");
  });

  it("in additive mode reports another manager's people as managed by it, never as unmanaged", async () => {
    const { s, cli } = await converged();
    await s.owner$.withManager(STACK).createInvitation(s.workspace, { email: "gus@acme.io", role: "developer" });
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });
    await writeAccessFile(s.dir, "access.yaml", accessYaml({ owner: OWNER, mode: "additive", members: TEAM }));
    const r = await cli(["plan", "-f", "access.yaml", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const warnings = (JSON.parse(r.stdout) as { warnings: { code: string; email?: string; message: string }[] }).warnings;
    expect(warnings.find((w) => w.email === "gus@acme.io")).toMatchObject({ code: "managed-elsewhere", message: expect.stringContaining(`managed by ${STACK}`) });
    expect(warnings.find((w) => w.email === "walk-in@acme.io")?.code).toBe("unmanaged-invitation");
  });

  it("exports manager: and only what it or nobody manages; --all adds the rest, each marked with its manager; both plan as no changes", async () => {
    const { s, cli } = await converged();
    await s.owner$.withManager(STACK).createInvitation(s.workspace, { email: "gus@acme.io", role: "developer" });
    await s.owner$.withManager(STACK).putRole(s.workspace, "stack-role", { permissions: ["logs:read"] });
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });

    const mine = await cli(["export", "--workspace", "acme-prod"]);
    expect(mine.code, mine.stderr).toBe(0);
    expect(mine.stdout).toContain("manager: antryk-access:acme-prod\n");
    expect(mine.stdout).toContain("- email: walk-in@acme.io");
    expect(mine.stdout).toContain("- email: bob@acme.io");
    expect(mine.stdout).not.toContain("- email: gus@acme.io");
    expect(mine.stdout).not.toContain("stack-role:");
    expect(mine.stdout).toContain(`# Managed by other managers, left out (additive mode leaves them alone): gus@acme.io (${STACK}), role stack-role (${STACK})`);
    expect(mine.stdout).toContain("mode: additive");

    const all = await cli(["export", "--workspace", "acme-prod", "--all"]);
    expect(all.stdout).toContain(`  # managed by ${STACK}\n  # pending invitation`);
    expect(all.stdout).toContain("- email: gus@acme.io");
    expect(all.stdout).toContain(`  # managed by ${STACK}\n  stack-role:`);
    expect(all.stdout).toContain("mode: authoritative");

    for (const [name, text] of [["mine.yaml", mine.stdout], ["all.yaml", all.stdout]] as const) {
      await writeAccessFile(s.dir, name, text);
      const plan = await cli(["plan", "-f", name, "--detailed-exitcode"]);
      expect(plan.code, `${name}: ${plan.stdout}${plan.stderr}`).toBe(0);
    }
  });
});
