import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { offsetClock } from "../support/server.js";
import { EngineResource, isSecretValue, REPO_ROOT, secret } from "./harness.js";
import { OWNER, RESOURCE_TYPES, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// The dynamic provider converges: each case is a run that used to report a change (or
// keep a stale or revealing value) forever, driven through the real dynamic-provider host.

const DAY = 24 * 60 * 60 * 1000;
let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

describe("the dynamic provider converges", () => {
  it("an invitation expired with maxResends reached does not diff on every run", async () => {
    const clock = offsetClock();
    stage = await startStage({ now: clock.now });
    const m = stage.resource("Member", "gone");
    const inputs = { workspace: WORKSPACE, email: "gone@acme.io", role: "developer" };
    await m.register(inputs);
    // Each expiry within maxResends (3) is a change that resends; after the third resend the engine gives up.
    for (let resend = 1; resend <= 3; resend++) {
      clock.advance(8 * DAY);
      await m.refresh();
      expect(m.state!.outputs).toMatchObject({ status: "expired", sendCount: resend });
      expect(await m.previewDiff(inputs)).toMatchObject({ changes: "some" });
      expect(await m.register(inputs)).toBe("update");
    }
    clock.advance(8 * DAY);
    await m.refresh();
    expect(m.state!.outputs).toMatchObject({ status: "expired", sendCount: 4 });
    expect(await m.previewDiff(inputs)).toMatchObject({ changes: "none" });
    expect(await m.register(inputs)).toBe("same");
  });

  it("refresh of a document resource does not keep a stale drift: it is unknown until the next preview", async () => {
    stage = await startStage();
    const wa = stage.resource("WorkspaceAccess", "doc");
    const document = { owner: OWNER, mode: "additive", members: [{ email: "amy@acme.io", role: "developer" }] };
    await wa.register({ workspace: WORKSPACE, document });
    expect(wa.state!.outputs).toMatchObject({ drift: { total: 0 } });
    const inv = (await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).find((i) => i.email === "amy@acme.io")!;
    await stage.ws.client.revokeInvitation(WORKSPACE, inv.id, { ifMatch: inv.version, idempotencyKey: "hand-revoke-amy" });
    const refreshed = await wa.refresh();
    // The host hands Read only the outputs, which do not keep the document: the drift cannot be known, and `total: 0` would be a lie.
    expect(refreshed!.outputs.drift).toBeUndefined();
    expect(refreshed!.outputs.driftChanges).toBeUndefined();
    expect(refreshed!.outputs.driftChangeCount).toBeUndefined();
    expect(refreshed!.outputs).toMatchObject({ driftKnown: false, pendingInvitationCount: 0 });
    // The preview plans against the live workspace and shows it; the up restores the drift outputs.
    expect(await wa.previewDiff({ workspace: WORKSPACE, document })).toMatchObject({ changes: "some" });
    await wa.register({ workspace: WORKSPACE, document });
    expect(wa.state!.outputs).toMatchObject({ drift: { total: 0 }, driftKnown: true });
  });

  it("a secret document keeps names out of the preview diagnostics", async () => {
    stage = await startStage();
    await stage.ws.client.createInvitation(WORKSPACE, { email: "secret-gone@acme.io", role: "developer" });
    const wa = stage.resource("WorkspaceAccess", "hidden");
    const document = { owner: OWNER, mode: "authoritative", safety: { maxRemovals: 5 }, members: [{ email: "secret-new@acme.io", role: "developer" }] };
    const from = stage.host.output().length;
    const checked = await wa.checkOnly({ workspace: WORKSPACE, document, documentSecret: true });
    expect(checked.failures).toEqual([]);
    const log = await stage.host.outputAfter(from, "removes or revokes");
    expect(log).toMatch(/^antryk-access WorkspaceAccess acme-prod: Plan: 1 to invite, 0 to update, 0 to remove, 1 to revoke\.$/m);
    expect(log).toMatch(/^antryk-access WorkspaceAccess acme-prod: removes or revokes 1 person \(names hidden: the document is a secret\)$/m);
    expect(log).not.toContain("secret-gone@acme.io");
    expect(stage.host.output()).not.toContain("secret-new@acme.io");
  });

  it("state from the earliest format with a file shows contentDigest after a refresh, without an update", async () => {
    stage = await startStage({ config: (ws) => ({ "antryk:apiUrl": ws.url, "antryk:token": secret(ws.ownerToken) }) });
    const v0 = JSON.parse(await readFile(path.join(REPO_ROOT, "test/provider/fixtures/v0-state.json"), "utf8"));
    const text = `version: 1\nworkspace: ${WORKSPACE}\nowner: ${OWNER}\nmode: additive\nmembers:\n  - email: amy@acme.io\n    role: developer\n`;
    await writeFile(path.join(stage.programDir, "access.yaml"), text);
    const state = v0.states.workspaceAccessFile;
    const wa = new EngineResource(stage.host, RESOURCE_TYPES.WorkspaceAccess, "file", v0.providers.WorkspaceAccess);
    wa.state = { id: state.id, inputs: { ...state.inputs, __provider: v0.providers.WorkspaceAccess }, outputs: { ...state.outputs, __provider: v0.providers.WorkspaceAccess } };
    expect(wa.state.outputs.contentDigest).toBeUndefined();
    await wa.refresh();
    expect(wa.state.outputs.contentDigest).toBe(`sha256:${createHash("sha256").update(text).digest("hex")}`);
    expect(isSecretValue(wa.state.outputs.contentDigest)).toBe(false);
  });

  it("ignoreChanges: a frozen document keeps its content planned; a frozen file path still has its content re-read", async () => {
    stage = await startStage();
    const wa = stage.resource("WorkspaceAccess", "frozen");
    const members = [{ email: "one@acme.io", role: "developer" }];
    const document = { owner: OWNER, mode: "additive", members };
    await wa.register({ workspace: WORKSPACE, document });
    const more = { ...document, members: [...members, { email: "two@acme.io", role: "developer" }] };
    expect(await wa.register({ workspace: WORKSPACE, document: more }, { ignoreChanges: ["document"] })).toBe("same");
    const pending = async () => (await stage!.ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email).sort();
    expect(await pending()).toEqual(["one@acme.io"]);

    const file = path.join(stage.programDir, "frozen.yaml");
    const text = (emails: string[]) => `version: 1\nworkspace: ${WORKSPACE}\nowner: ${OWNER}\nmode: additive\nmembers:\n${emails.map((e) => `  - email: ${e}\n    role: developer\n`).join("")}`;
    await writeFile(file, text(["one@acme.io"]));
    const wf = stage.resource("WorkspaceAccess", "frozen-file");
    await wf.register({ workspace: WORKSPACE, file: "frozen.yaml" });
    await writeFile(file, text(["one@acme.io", "three@acme.io"]));
    expect(await wf.register({ workspace: WORKSPACE, file: "frozen.yaml" }, { ignoreChanges: ["file", "contentDigest"] })).toBe("update");
    expect(await pending()).toEqual(["one@acme.io", "three@acme.io"]);
  });

  it("an Automation API inline program's work dir without node_modules still finds antryk-access (from the provider's own location)", async () => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), "antryk-inline-"));
    try {
      stage = await startStage({ programDir: async () => workDir });
      const m = stage.resource("Member", "inline");
      expect(await m.register({ workspace: WORKSPACE, email: "inline@acme.io", role: "developer" })).toBe("create");
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
