import { afterEach, describe, expect, it } from "vitest";
import { acceptAll, accessYaml, assertBuilt, auditCount, runCli, startTestServer, writeAccessFile, type TestServer } from "./harness.js";

/**
 * Drift correction as the nightly job runs it: `apply --detailed-exitcode` against the
 * real reference server after someone changed the workspace by hand through the API (as
 * the dashboard does). 2 means changes were applied and verified, 0 nothing needed
 * changing, 1 anything failed or was blocked (and then nothing changed).
 */

const OWNER = "founder@acme.io";
const TEAM = [
  { email: "ops@acme.io", role: "account-admin" },
  { email: "bob@acme.io", role: "developer" },
  { email: "carol@acme.io", role: "developer" },
];

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function converged(safety: string[] = ["maxRemovals: 100%"]) {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
  const s = server;
  await writeAccessFile(s.dir, "access.yaml", accessYaml({ owner: OWNER, safety, members: TEAM }));
  const cli = (args: string[]) => runCli(args, { env: s.env(), cwd: s.dir });
  expect((await cli(["apply", "-f", "access.yaml", "--auto-approve"])).code).toBe(0);
  await acceptAll(s, TEAM.map((m) => m.email));
  return { s, cli };
}

describe("apply --detailed-exitcode corrects drift", () => {
  it("reverts a hand change (exit 2, verified), lists it in the JSON report, and a second run exits 0 with no write", async () => {
    const { s, cli } = await converged();
    // Someone promotes bob by hand in the dashboard, and invites a walk-in.
    const bob = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!;
    const promoted = await fetch(`${s.url}/v1/workspaces/${s.workspace}/members/${bob.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${s.ownerToken}`, "content-type": "application/json", "if-match": `"${bob.version}"`, "x-antryk-client": "dashboard" },
      body: JSON.stringify({ role: "account-admin" }),
    });
    expect(promoted.status).toBe(200);
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });

    const r = await cli(["apply", "-f", "access.yaml", "--auto-approve", "--detailed-exitcode", "--format", "json"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as {
      applied: { key: string; liveSince?: { actor: string; client: string; action: string } | null }[];
      failed: unknown[];
      verification: { status: string };
    };
    expect(report.applied.map((a) => a.key).sort()).toEqual(["revokeInvitation:walk-in@acme.io", "updateMember:bob@acme.io"]);
    // Each reverted change names the hand change behind it: who, through which client.
    const reverted = Object.fromEntries(report.applied.map((a) => [a.key, a.liveSince]));
    expect(reverted["updateMember:bob@acme.io"]).toMatchObject({ actor: OWNER, client: "dashboard", action: "member.updated" });
    expect(reverted["revokeInvitation:walk-in@acme.io"]).toMatchObject({ actor: OWNER, client: "antryk-access", action: "invitation.created" });
    expect(report.failed).toEqual([]);
    expect(report.verification).toEqual({ status: "verified" });
    expect((await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!.role).toBe("developer");

    const before = await auditCount(s);
    const again = await cli(["apply", "-f", "access.yaml", "--auto-approve", "--detailed-exitcode"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes. The workspace matches access.yaml.");
    expect(await auditCount(s)).toBe(before);
  }, 120_000);

  it("a correction a rail blocks exits 1 and changes nothing", async () => {
    const { s, cli } = await converged(["maxRemovals: 0"]);
    // A hand invitation the file does not name: correcting it would revoke one, over maxRemovals 0.
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });
    const before = await auditCount(s);
    const r = await cli(["apply", "-f", "access.yaml", "--auto-approve", "--detailed-exitcode"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/blocked by 1 safety rail/);
    expect(await auditCount(s)).toBe(before);
  }, 120_000);
});
