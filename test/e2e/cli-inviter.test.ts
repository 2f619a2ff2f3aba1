import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptAll, accessYaml, assertBuilt, runCli, startTestServer, writeAccessFile, type TestServer } from "./harness.js";

/**
 * Invitations die with their sender's authority, and the plan engine copes: an admin's
 * token invites someone, the owner's apply then removes that admin (so the server
 * revokes the invitation, recording why), and the same apply invites the person again
 * after the removal (the `reinvitations` phase), sent by the member whose token runs it,
 * so it ends verified.
 */

const OWNER = "founder@acme.io";
let server: TestServer;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
});
afterAll(async () => {
  await server.close();
});

describe("an invitation whose sender is removed", () => {
  it("is revoked with the reason in the access history, and the same apply invites the person again and is verified", async () => {
    const safety = ["maxRemovals: 100%"];
    const admin = { email: "admin@acme.io", role: "account-admin" };
    const alt = { email: "alt@acme.io", role: "developer" };
    const withAdmin = await writeAccessFile(server.dir, "with-admin.yaml", accessYaml({ owner: OWNER, safety, members: [admin] }));
    expect((await runCli(["apply", "-f", withAdmin, "--auto-approve"], { env: server.env() })).code).toBe(0);
    await acceptAll(server, [admin.email]);

    const both = await writeAccessFile(server.dir, "both.yaml", accessYaml({ owner: OWNER, safety, members: [admin, alt] }));
    const byAdmin = await runCli(["apply", "-f", both, "--auto-approve"], { env: server.env(server.tokenFor(admin.email)) });
    expect(byAdmin.code, byAdmin.stderr + byAdmin.stdout).toBe(0);
    const sent = (await server.owner$.listInvitations(server.workspace, { status: "pending" })).find((i) => i.email === alt.email)!;
    expect(sent.invitedBy).toBe(admin.email);

    // The owner's file drops the admin and keeps alt: removing the admin revokes the invitation it sent,
    // and the plan says it will invite alt again once the admin is gone.
    const altOnly = await writeAccessFile(server.dir, "alt-only.yaml", accessYaml({ owner: OWNER, safety, members: [alt] }));
    const plan = await runCli(["plan", "-f", altOnly], { env: server.env() });
    expect(plan.stdout).toMatch(/Invitations again \(their sender loses access:manage in this plan\):\n\s+\+ invite alt@acme\.io as developer/);
    const removing = await runCli(["apply", "-f", altOnly, "--auto-approve"], { env: server.env() });
    expect(removing.code, removing.stderr + removing.stdout).toBe(0);
    expect(removing.stdout).toContain("Verified: the workspace matches access.yaml.");
    expect((await server.owner$.getInvitation(server.workspace, sent.id)).status).toBe("revoked");
    const history = await server.owner$.listAllAudit(server.workspace, { action: "invitation.revoked" });
    expect(history.map((e) => [e.actor, e.target, e.reason])).toEqual([[OWNER, alt.email, `sent by ${admin.email}, who was removed`]]);

    const pending = (await server.owner$.listInvitations(server.workspace, { status: "pending" })).filter((i) => i.email === alt.email);
    expect(pending.map((i) => i.invitedBy)).toEqual([OWNER]);
    const converged = await runCli(["plan", "-f", altOnly, "--detailed-exitcode"], { env: server.env() });
    expect(converged.code, converged.stdout).toBe(0);
  });
});
