import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT, stripAntrykEnv } from "./harness.js";
import { acceptInvitation, OWNER, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// The CLI and the provider are two doors to one engine: what the provider applied, the
// CLI's `plan` of the same document against the same workspace finds nothing to change,
// and what the CLI would change, the provider's diff sees too.

const run = promisify(execFile);

const ACCESS_YAML = `version: 1
workspace: ${WORKSPACE}
owner: ${OWNER}
roles:
  support:
    description: Reads deployments and logs
    permissions: [deployments:read, logs:read]
groups:
  backend:
    role: developer
    permissions: [environments:configure]
    members: [bob@acme.io, dan@acme.io]
members:
  - email: Alice@Acme.io
    role: account-admin
  - email: sam@acme.io
    role: support
`;

let stage: Stage;
beforeEach(async () => {
  stage = await startStage();
});
afterEach(async () => {
  await stage.close();
});

async function cliPlan(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...stripAntrykEnv(process.env), ANTRYK_API_URL: stage.ws.url, ANTRYK_TOKEN: stage.ws.ownerToken, NO_COLOR: "1" };
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(REPO_ROOT, "dist/cli/main.js"), "plan", "-f", file, "--detailed-exitcode"], { cwd: stage.programDir, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("provider and CLI share the engine", () => {
  it("after the provider applies a document, `antryk-access plan` on it says No changes", async () => {
    const file = path.join(stage.programDir, "access.yaml");
    await writeFile(file, ACCESS_YAML);
    const before = await cliPlan(file);
    expect(before.code).toBe(2);

    const wa = stage.resource("WorkspaceAccess", "access");
    expect(await wa.register({ workspace: WORKSPACE, file: "access.yaml" })).toBe("create");
    await acceptInvitation(stage.ws, "bob@acme.io");

    const after = await cliPlan(file);
    expect(after.stdout).toMatch(/No changes/);
    expect(after.code).toBe(0);
    expect(after.stdout + after.stderr).not.toContain(stage.ws.ownerToken);

    // And the other way round: a change the CLI would make is a change for the provider.
    await writeFile(file, ACCESS_YAML.replace("role: support", "role: developer"));
    expect((await cliPlan(file)).code).toBe(2);
    expect(await wa.previewDiff({ workspace: WORKSPACE, file: "access.yaml" })).toMatchObject({ changes: "some" });
  });
});
