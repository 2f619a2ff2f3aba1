import { execFile } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT, stripAntrykEnv } from "./harness.js";
import { makeProgramDir, OWNER, providerTexts, startWorkspace, WORKSPACE, type ProviderTexts, type Workspace } from "./fixtures.js";

// The serialization round trip, for each resource class: the provider is serialized by
// the real resource class in one process, then re-created from that text in a fresh
// Node process in another working directory, where it runs check, create and read
// against the real server. A serialization that succeeds can still break when run;
// only this proves it does not.

const run = promisify(execFile);
const CHILD = path.join(REPO_ROOT, "test/provider/roundtrip-child.cjs");
const REQUIRE_FROM_STRING = path.join(REPO_ROOT, "node_modules/require-from-string/index.js");

let ws: Workspace;
let programDir: string;
beforeEach(async () => {
  ws = await startWorkspace();
  programDir = await makeProgramDir();
});
afterEach(async () => {
  await ws.close();
  await rm(programDir, { recursive: true, force: true });
});

async function roundTrip(kind: keyof ProviderTexts, inputs: Record<string, unknown>) {
  const text = (await providerTexts())[kind];
  const textFile = path.join(programDir, `${kind}.provider.js`);
  await writeFile(textFile, text);
  const { stdout } = await run(process.execPath, [CHILD, REQUIRE_FROM_STRING, textFile, JSON.stringify(inputs)], {
    cwd: programDir,
    env: { ...stripAntrykEnv(process.env), ANTRYK_API_URL: ws.url, ANTRYK_TOKEN: ws.ownerToken },
  });
  // The provider logs plan lines to stdout (the engine's diagnostic log); the result is the last line.
  return { text, result: JSON.parse(stdout.trim().split("\n").pop()!) as { cwd: string; created: { id: string; outs: Record<string, unknown> }; read: { id: string; props: Record<string, unknown> } } };
}

describe("serialization round trip in a fresh process and another working directory", () => {
  it.each(["WorkspaceAccess", "Member", "CustomRole"] as const)("%s: the text captures no module, path or secret", async (kind) => {
    const text = (await providerTexts())[kind];
    expect(text).toMatch(/^exports\.handler = /);
    expect(text).not.toMatch(/\brequire\(/);
    expect(text).toContain('import("antryk-access/provider/operations")');
    expect(text).not.toContain('import("antryk-access/provider")');
    // The resource name, where the program found the operations (a file URL: the one path in the text) and the config field, unset: nothing else is carried by the object.
    const resource = { WorkspaceAccess: "workspaceAccess", Member: "member", CustomRole: "customRole" }[kind];
    const home = new URL("dist/provider/operations.js", `file://${REPO_ROOT.replace(/\/?$/, "/")}`).href;
    expect(text.match(/^__\w+\.\w+ = .*;$/gm)).toEqual([
      expect.stringMatching(new RegExp(`\\.resource = "${resource}";$`)),
      expect.stringMatching(/\.home = ".*";$/),
      expect.stringMatching(/\.config = undefined;$/),
    ]);
    expect(text.match(/\.home = "(.*)";$/m)?.[1]).toBe(home);
    expect(text.replaceAll(home, "")).not.toContain(REPO_ROOT.replace(/\/$/, ""));
  });

  it("WorkspaceAccess: create and read", async () => {
    const document = { owner: OWNER, members: [{ email: "alice@acme.io", role: "account-admin" }] };
    const { result } = await roundTrip("WorkspaceAccess", { workspace: WORKSPACE, document });
    expect(path.resolve(result.cwd)).not.toBe(path.resolve(REPO_ROOT));
    expect(result.created.id).toBe(WORKSPACE);
    expect(result.created.outs).toMatchObject({ pendingInvitationCount: 1, lastApplied: { inviteMember: 1 } });
    // Read sees only the outputs, which do not keep the document: the drift is unknown (test/provider/converge.test.ts).
    expect(result.read).toMatchObject({ id: WORKSPACE, props: { driftKnown: false, pendingInvitationCount: 1 } });
    expect((await ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email)).toEqual(["alice@acme.io"]);
  });

  it("Member: create and read", async () => {
    const { result } = await roundTrip("Member", { workspace: WORKSPACE, email: "bob@acme.io", role: "developer", permissions: ["domains:manage"] });
    expect(result.created).toMatchObject({ id: `${WORKSPACE}/bob@acme.io`, outs: { status: "pending", permissions: ["domains:manage"] } });
    expect(result.read).toMatchObject({ id: `${WORKSPACE}/bob@acme.io`, props: { status: "pending", invitationId: result.created.outs.invitationId } });
  });

  it("CustomRole: create and read", async () => {
    const { result } = await roundTrip("CustomRole", { workspace: WORKSPACE, roleName: "auditor", permissions: ["logs:read"] });
    expect(result.created).toMatchObject({ id: `${WORKSPACE}/auditor`, outs: { permissions: ["logs:read"] } });
    expect(result.read).toMatchObject({ id: `${WORKSPACE}/auditor`, props: { roleName: "auditor" } });
    expect((await ws.client.listRoles(WORKSPACE)).some((r) => r.name === "auditor")).toBe(true);
  });
});
