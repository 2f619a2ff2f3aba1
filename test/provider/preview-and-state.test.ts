import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedMembers } from "../../server/admin.js";
import { HostError, isSecretValue } from "./harness.js";
import { OWNER, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// Previews that show the plan (through the host's stdout, which the engine puts in the
// diagnostic log of the preview) and state hygiene. One workspace and host for all
// cases: each works on its own people.

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
  seedMembers(stage.ws.dbPath, { workspace: WORKSPACE, emails: Array.from({ length: 60 }, (_, i) => `seed${i}@acme.io`) });
});
afterAll(async () => {
  await stage.close();
});

describe("previews show the plan", () => {
  it("check of a new WorkspaceAccess reports the plan, its removals by name and its rails to the diagnostic log", async () => {
    await stage.ws.client.createInvitation(WORKSPACE, { email: "gone@acme.io", role: "developer" });
    const wa = stage.resource("WorkspaceAccess", "preview");
    const document = { owner: OWNER, mode: "authoritative", safety: { maxRemovals: 1 }, members: [{ email: "new@acme.io", role: "developer" }] };
    const from = stage.host.output().length;
    const { failures } = await wa.checkOnly({ workspace: WORKSPACE, document });
    // The host's stdout (the engine's diagnostic log) can arrive after its answer: wait for the report's last line.
    const log = await stage.host.outputAfter(from, "blocked by maxRemovals");
    expect(log).toMatch(/^antryk-access WorkspaceAccess acme-prod: Plan: 1 to invite, 0 to update, 60 to remove, 1 to revoke\.$/m);
    expect(log).toMatch(/^antryk-access WorkspaceAccess acme-prod: removes or revokes: (gone|seed\d+)@acme\.io, .* and 41 more$/m);
    expect(log).toMatch(/^antryk-access WorkspaceAccess acme-prod: blocked by maxRemovals: /m);
    expect(failures).toEqual([{ property: "document", reason: expect.stringMatching(/^safety rail maxRemovals: /) }]);
    await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" }).then(async (all) => {
      const inv = all.find((i) => i.email === "gone@acme.io")!;
      await stage.ws.client.revokeInvitation(WORKSPACE, inv.id, { ifMatch: inv.version, idempotencyKey: "test-revoke-gone" });
    });
  });

  it("an edited file changes the contentDigest input, and the diff reports the plan", async () => {
    const file = path.join(stage.programDir, "digest.yaml");
    const text = (role: string) => `version: 1\nworkspace: ${WORKSPACE}\nowner: ${OWNER}\nmode: additive\nmembers:\n  - email: dig@acme.io\n    role: ${role}\n`;
    await writeFile(file, text("developer"));
    const wa = stage.resource("WorkspaceAccess", "digest");
    await wa.register({ workspace: WORKSPACE, file: "digest.yaml" });
    const before = wa.state!.inputs.contentDigest as string;
    expect(before).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(wa.state!.outputs.contentDigest).toBe(before);
    await writeFile(file, text("account-admin"));
    const { inputs } = await wa.checkOnly({ workspace: WORKSPACE, file: "digest.yaml" });
    expect(inputs.contentDigest).not.toBe(before);
    const from = stage.host.output().length;
    expect(await wa.previewDiff({ workspace: WORKSPACE, file: "digest.yaml" })).toMatchObject({ changes: "some" });
    expect(await stage.host.outputAfter(from, "Plan: 0 to invite, 1 to update")).toMatch(/^antryk-access WorkspaceAccess acme-prod: Plan: 0 to invite, 1 to update, 0 to remove\.$/m);
    // A comment-only edit has no plan but is still a changed input: the preview shows the file changed.
    await writeFile(file, `# reviewed\n${text("developer")}`);
    expect(await wa.previewDiff({ workspace: WORKSPACE, file: "digest.yaml" })).toMatchObject({ changes: "some" });
  });
});

describe("previews of adoption", () => {
  it("a new Member with adoptExisting reports whom it takes over and the access it changes", async () => {
    await stage.ws.client.createInvitation(WORKSPACE, { email: "boss@acme.io", role: "account-admin" });
    const m = stage.resource("Member", "boss");
    const from = stage.host.output().length;
    const { failures } = await m.checkOnly({ workspace: WORKSPACE, email: "boss@acme.io", role: "developer", adoptExisting: true });
    expect(failures).toEqual([]);
    expect(await stage.host.outputAfter(from, "adopts a pending invitation")).toMatch(/^antryk-access Member acme-prod\/boss@acme\.io: adopts a pending invitation: account-admin → developer$/m);
  });
});

describe("state hygiene", () => {
  it("warnings are capped at 50 with their count; the document is not echoed in outputs", async () => {
    const wa = stage.resource("WorkspaceAccess", "additive");
    const document = { owner: OWNER, mode: "additive", members: [{ email: "add@acme.io", role: "developer" }] };
    await wa.register({ workspace: WORKSPACE, document });
    const outputs = wa.state!.outputs;
    expect(outputs.warnings).toHaveLength(50);
    expect(outputs.warningCount as number).toBeGreaterThanOrEqual(60);
    expect(outputs).not.toHaveProperty("document");
    expect(outputs.driftChangeCount).toBe(0);
  });

  it("outputs derived from a secret document are secret", async () => {
    const wa = stage.resource("WorkspaceAccess", "secret");
    const document = { owner: OWNER, mode: "additive", safety: { maxRemovals: 5 }, members: [{ email: "hidden@acme.io", role: "developer" }] };
    await wa.register({ workspace: WORKSPACE, document, documentSecret: true, removeOnDelete: true });
    const outputs = wa.state!.outputs;
    for (const key of ["warnings", "driftChanges", "managed"]) expect(isSecretValue(outputs[key])).toBe(true);
    expect(JSON.stringify(outputs)).toContain("hidden@acme.io"); // inside the secret envelope of `managed`
    await wa.refresh();
    expect(isSecretValue(wa.state!.outputs.managed)).toBe(true);
    await wa.destroy();
    expect((await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email)).not.toContain("hidden@acme.io");
  });

  it("adopted stays true after an update", async () => {
    await stage.ws.client.createInvitation(WORKSPACE, { email: "sticky@acme.io", role: "developer" });
    const m = stage.resource("Member", "sticky");
    await m.register({ workspace: WORKSPACE, email: "sticky@acme.io", role: "developer", adoptExisting: true });
    expect(m.state!.outputs.adopted).toBe(true);
    expect(await m.register({ workspace: WORKSPACE, email: "sticky@acme.io", role: "account-admin", adoptExisting: true })).toBe("update");
    expect(m.state!.outputs.adopted).toBe(true);
  });

  it("a failing diff, read or delete prints its message once, with no stack frames", async () => {
    const file = path.join(stage.programDir, "vanishing.yaml");
    await writeFile(file, `version: 1\nworkspace: ${WORKSPACE}\nowner: ${OWNER}\nmode: additive\n`);
    const wa = stage.resource("WorkspaceAccess", "vanishing");
    await wa.register({ workspace: WORKSPACE, file: "vanishing.yaml" });
    await rm(file);
    const before = stage.host.output().length;
    const err = await stage.host.diff(WORKSPACE, wa.urn, wa.state!.outputs, wa.state!.inputs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    const printed = await stage.host.outputAfter(before, "cannot read vanishing.yaml");
    expect(printed).not.toMatch(/^\s+at /m);
    expect(printed.split("cannot read vanishing.yaml").length - 1).toBe(1);
    expect(printed).toMatch(/^antryk-access: cannot read vanishing\.yaml/m);

    // read and delete render the same way: a Member whose apiUrl is not its credential's URL.
    const m = stage.resource("Member", "elsewhere");
    await m.register({ workspace: WORKSPACE, email: "elsewhere@acme.io", role: "developer" });
    const moved = { ...m.state!.outputs, apiUrl: "http://127.0.0.1:9" };
    for (const call of [() => stage.host.read(m.state!.id, m.urn, moved), () => stage.host.delete(m.state!.id, m.urn, moved)]) {
      const start = stage.host.output().length;
      await expect(call()).rejects.toBeInstanceOf(HostError);
      const out = await stage.host.outputAfter(start, "apiUrl http://127.0.0.1:9 is not the URL configured");
      expect(out).not.toMatch(/^\s+at /m);
      expect(out.split("apiUrl http://127.0.0.1:9 is not the URL configured").length - 1).toBe(1);
    }
  });
});
