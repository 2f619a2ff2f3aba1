import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EngineResource, REPO_ROOT, secret } from "./harness.js";
import { acceptInvitation, OWNER, RESOURCE_TYPES, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// The `operations` entry points are a permanent interface: Pulumi runs read and delete
// with the provider text stored in state at the resource's last update. This drives the
// texts and the state the version before issue 18 wrote (fixtures/v0-state.json, captured
// from main at 60a28e6) through the real host, with the stack config that version read.

interface V0 {
  providers: Record<"WorkspaceAccess" | "Member" | "CustomRole", string>;
  states: Record<"workspaceAccessDocument" | "workspaceAccessFile" | "member" | "customRole", { id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }>;
}

let stage: Stage;
let v0: V0;
beforeEach(async () => {
  v0 = JSON.parse(await readFile(path.join(REPO_ROOT, "test/provider/fixtures/v0-state.json"), "utf8")) as V0;
  stage = await startStage({ config: (ws) => ({ "antryk:apiUrl": ws.url, "antryk:token": secret(ws.ownerToken) }) });
});
afterEach(async () => {
  await stage.close();
});

/** old builds a resource whose state, provider text included, is what the previous version wrote. */
function old(kind: keyof V0["providers"], state: V0["states"][keyof V0["states"]], name: string): EngineResource {
  const r = new EngineResource(stage.host, RESOURCE_TYPES[kind], name, v0.providers[kind]);
  const withText = (props: Record<string, unknown>) => ({ ...props, __provider: v0.providers[kind] });
  r.state = { id: state.id, inputs: withText(state.inputs), outputs: withText(state.outputs) };
  return r;
}

const pending = async () => (await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email).sort();

describe("state written by the previous version", () => {
  it("the old provider texts carry only resource, apiUrl and token", () => {
    for (const text of Object.values(v0.providers)) {
      expect(text.match(/^__\w+\.\w+ = .*;$/gm)?.map((l) => l.replace(/^__\w+\./, "").replace(/ = .*/, ""))).toEqual(["resource", "apiUrl", "token"]);
    }
  });

  it("WorkspaceAccess (document, removeOnDelete): refresh, then an up with the new text, then destroy removes what it named", async () => {
    await stage.ws.client.createInvitation(WORKSPACE, { email: "alice@acme.io", role: "account-admin" });
    await stage.ws.client.createInvitation(WORKSPACE, { email: "bob@acme.io", role: "developer" });
    await stage.ws.client.createInvitation(WORKSPACE, { email: "zoe@acme.io", role: "developer" });
    const wa = old("WorkspaceAccess", v0.states.workspaceAccessDocument, "doc");
    const read = await wa.refresh();
    expect(read?.outputs).toMatchObject({ pendingInvitationCount: 3, drift: { total: 0 } });
    // The same inputs under the new text: nothing to change, no spurious update.
    const next = new EngineResource(stage.host, RESOURCE_TYPES.WorkspaceAccess, "doc", stage.texts.WorkspaceAccess);
    next.state = wa.state;
    const inputs = Object.fromEntries(Object.entries(v0.states.workspaceAccessDocument.inputs));
    expect(await next.previewDiff(inputs)).toMatchObject({ changes: "none" });
    // Destroy with the old text and the old outputs (no applied record): what the document named goes.
    const doomed = old("WorkspaceAccess", v0.states.workspaceAccessDocument, "doc");
    await doomed.destroy();
    expect(await pending()).toEqual(["zoe@acme.io"]);
  });

  it("WorkspaceAccess (file, removeOnDelete): destroy with the old text falls back to the file", async () => {
    await writeFile(path.join(stage.programDir, "access.yaml"), `version: 1\nworkspace: ${WORKSPACE}\nowner: ${OWNER}\nmode: additive\nsafety:\n  maxRemovals: 5\nmembers:\n  - email: amy@acme.io\n    role: developer\n`);
    await stage.ws.client.createInvitation(WORKSPACE, { email: "amy@acme.io", role: "developer" });
    const wa = old("WorkspaceAccess", v0.states.workspaceAccessFile, "file");
    await wa.destroy();
    expect(await pending()).toEqual([]);
  });

  it("Member and CustomRole: refresh and delete with the old texts", async () => {
    await stage.ws.client.createInvitation(WORKSPACE, { email: "dev@acme.io", role: "developer", permissions: ["domains:manage"] });
    await acceptInvitation(stage.ws, "dev@acme.io");
    await stage.ws.client.putRole(WORKSPACE, "auditor", { description: "Reads logs", permissions: ["logs:read"] });
    const m = old("Member", v0.states.member, "m");
    expect((await m.refresh())?.outputs).toMatchObject({ status: "active", adopted: false });
    await m.destroy();
    expect((await stage.ws.client.listMembers(WORKSPACE)).map((x) => x.email)).not.toContain("dev@acme.io");
    const r = old("CustomRole", v0.states.customRole, "r");
    expect((await r.refresh())?.outputs).toMatchObject({ roleName: "auditor", permissions: ["logs:read"] });
    await r.destroy();
    expect((await stage.ws.client.listRoles(WORKSPACE)).map((x) => x.name)).not.toContain("auditor");
  });
});
