import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { plain, REPO_ROOT, stripAntrykEnv } from "./harness.js";
import { acceptInvitation, OWNER, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// The Pulumi way to catch drift (`pulumi refresh`, then `pulumi up --expect-no-changes`, see
// examples/pulumi/README.md) sees what the CLI's nightly job sees: after the same hand changes,
// a refresh of WorkspaceAccess through the real dynamic-provider host reports exactly the
// changes and counts that `antryk-access plan --format json` reports against the same server.

const run = promisify(execFile);

const ACCESS_YAML = `version: 1
workspace: ${WORKSPACE}
owner: ${OWNER}
safety:
  maxRemovals: 100%
roles:
  support:
    description: Reads deployments and logs
    permissions: [deployments:read, logs:read]
members:
  - email: alice@acme.io
    role: account-admin
  - email: bob@acme.io
    role: developer
  - email: carol@acme.io
    role: support
`;

let stage: Stage;
beforeEach(async () => {
  stage = await startStage();
});
afterEach(async () => {
  await stage.close();
});

interface CliPlan {
  changes: { kind: string; email?: string; name?: string }[];
  summary: Record<string, number>;
}

/** cliPlan is `antryk-access plan --format json` of `file` against the stage's server (an explicit target, as in CI). */
async function cliPlan(file: string): Promise<CliPlan> {
  const env = { ...stripAntrykEnv(process.env), ANTRYK_API_URL: stage.ws.url, ANTRYK_TOKEN: stage.ws.ownerToken, NO_COLOR: "1" };
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, "dist/cli/main.js"), "plan", "-f", file, "--format", "json"], { cwd: stage.programDir, env });
  return JSON.parse(stdout) as CliPlan;
}

describe("refresh of WorkspaceAccess reports the drift the CLI's plan reports", () => {
  it("after hand changes made through the API (as the dashboard makes them)", async () => {
    const file = path.join(stage.programDir, "access.yaml");
    await writeFile(file, ACCESS_YAML);
    const wa = stage.resource("WorkspaceAccess", "access");
    expect(await wa.register({ workspace: WORKSPACE, file: "access.yaml" })).toBe("create");
    for (const email of ["alice@acme.io", "bob@acme.io", "carol@acme.io"]) await acceptInvitation(stage.ws, email);
    expect(plain((await wa.refresh())!.outputs.drift)).toMatchObject({ total: 0 });

    // Hand changes: bob promoted, alice given an extra grant, carol removed, a walk-in
    // invited, the custom role widened, and a custom role the file does not define.
    const { client } = stage.ws;
    const members = await client.listMembers(WORKSPACE);
    const byEmail = (email: string) => members.find((m) => m.email === email)!;
    await client.updateMember(WORKSPACE, byEmail("bob@acme.io").id, { role: "account-admin" }, { ifMatch: byEmail("bob@acme.io").version });
    await client.updateMember(WORKSPACE, byEmail("alice@acme.io").id, { permissions: ["domains:manage"] }, { ifMatch: byEmail("alice@acme.io").version });
    await client.removeMember(WORKSPACE, byEmail("carol@acme.io").id, { ifMatch: byEmail("carol@acme.io").version });
    await client.createInvitation(WORKSPACE, { email: "walk-in@acme.io", role: "developer" });
    const support = (await client.listRoles(WORKSPACE)).find((r) => r.name === "support")!;
    await client.putRole(WORKSPACE, "support", { description: "Reads deployments and logs", permissions: ["deployments:read", "logs:read", "config:read"] }, { ifMatch: support.version });
    await client.putRole(WORKSPACE, "auditor", { description: "made by hand", permissions: ["logs:read"] });

    const cli = await cliPlan(file);
    const refreshed = (await wa.refresh())!.outputs;

    const fromCli = cli.changes.map((c) => `${c.kind} ${c.email ?? c.name}`).sort();
    expect(fromCli).toEqual([
      "deleteRole auditor",
      "inviteMember carol@acme.io",
      "revokeInvitation walk-in@acme.io",
      "updateMember alice@acme.io",
      "updateMember bob@acme.io",
      "updateRole support",
    ]);
    expect((plain(refreshed.driftChanges) as string[]).slice().sort()).toEqual(fromCli);
    expect(plain(refreshed.driftChangeCount)).toBe(cli.changes.length);
    expect(plain(refreshed.drift)).toEqual(cli.summary);
  });
});
