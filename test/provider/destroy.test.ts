import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostError } from "./harness.js";
import { OWNER, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// Destruction follows state: delete removes what was applied, never what the file says
// at destroy time; a renamed resource without an alias removes nobody.

let stage: Stage;
beforeEach(async () => {
  stage = await startStage();
});
afterEach(async () => {
  await stage.close();
});

const yaml = (email: string) => `version: 1\nworkspace: ${WORKSPACE}\nowner: ${OWNER}\nmode: additive\nsafety:\n  maxRemovals: 10\nmembers:\n  - email: ${email}\n    role: developer\n`;
const pending = async () => (await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email).sort();

describe("destroy follows state", () => {
  it("removeOnDelete removes the people the last apply named, not whom the file names now", async () => {
    const file = path.join(stage.programDir, "access.yaml");
    await writeFile(file, yaml("amy@acme.io"));
    const wa = stage.resource("WorkspaceAccess", "access");
    expect(await wa.register({ workspace: WORKSPACE, file: "access.yaml", removeOnDelete: true })).toBe("create");
    await stage.ws.client.createInvitation(WORKSPACE, { email: "zoe@acme.io", role: "developer" });
    await writeFile(file, yaml("zoe@acme.io")); // edited, never applied
    await wa.destroy();
    expect(await pending()).toEqual(["zoe@acme.io"]);
  });

  it("a deleted file does not block destroy, with or without removeOnDelete", async () => {
    const file = path.join(stage.programDir, "access.yaml");
    await writeFile(file, yaml("amy@acme.io"));
    const removing = stage.resource("WorkspaceAccess", "removing");
    await removing.register({ workspace: WORKSPACE, file: "access.yaml", removeOnDelete: true });
    const keep = stage.resource("WorkspaceAccess", "keep");
    await keep.register({ workspace: WORKSPACE, file: "access.yaml" });
    await rm(file);
    await keep.destroy();
    await removing.destroy();
    expect(await pending()).toEqual([]);
  });

  it("a missing file is reported as a missing file when it is needed", async () => {
    const wa = stage.resource("WorkspaceAccess", "access");
    await writeFile(path.join(stage.programDir, "access.yaml"), yaml("amy@acme.io"));
    await wa.register({ workspace: WORKSPACE, file: "access.yaml" });
    await rm(path.join(stage.programDir, "access.yaml"));
    const err = await stage.host.diff(WORKSPACE, wa.urn, wa.state!.outputs, wa.state!.inputs).catch((e: unknown) => e);
    expect((err as HostError).message).toMatch(/^cannot read access\.yaml: .*; nothing was changed$/);
    expect((err as HostError).message).not.toMatch(/invalid \(0 errors\)/);
  });

  it.each(["Member", "CustomRole"] as const)("%s renamed without an alias: the create at the new name fails, so nobody is removed", async (kind) => {
    const inputs = kind === "Member" ? { workspace: WORKSPACE, email: "amy@acme.io", role: "developer" } : { workspace: WORKSPACE, roleName: "auditor", permissions: ["logs:read"] };
    const old = stage.resource(kind, "old-name");
    await old.register(inputs);
    // `pulumi up` after the rename: the new URN is created first; the old one would be deleted after.
    const renamed = stage.resource(kind, "new-name");
    const err = await renamed.register(inputs).catch((e: unknown) => e);
    expect((err as HostError).message).toMatch(/already.*give it `aliases` with its old name.*otherwise set adoptExisting: true/);
    expect(kind === "Member" ? await pending() : (await stage.ws.client.listRoles(WORKSPACE)).filter((r) => !r.builtIn).map((r) => r.name)).toEqual(
      kind === "Member" ? ["amy@acme.io"] : ["auditor"],
    );
  });

  it("WorkspaceAccess with removeOnDelete renamed without an alias: the new name fails at preview, so nobody is removed; adoptExisting takes people over", async () => {
    const document = { owner: OWNER, mode: "additive", safety: { maxRemovals: 10 }, members: [{ email: "amy@acme.io", role: "developer" }] };
    const old = stage.resource("WorkspaceAccess", "old-name");
    await old.register({ workspace: WORKSPACE, document, removeOnDelete: true });
    const renamed = stage.resource("WorkspaceAccess", "new-name");
    const { failures } = await renamed.checkOnly({ workspace: WORKSPACE, document, removeOnDelete: true });
    expect(failures).toEqual([{ property: "adoptExisting", reason: expect.stringMatching(/1 of them already exist in acme-prod: amy@acme\.io \(pending invitation, developer\); set adoptExisting: true .*`aliases`/) }]);
    // The create itself refuses too (a host that skipped check, e.g. a provider text from before issue 18).
    const created = await stage.host.create(renamed.urn, { workspace: WORKSPACE, document, removeOnDelete: true, __provider: stage.texts.WorkspaceAccess }).catch((e: unknown) => e);
    expect((created as HostError).message).toMatch(/already exist in acme-prod: amy@acme\.io/);
    expect(await pending()).toEqual(["amy@acme.io"]);

    expect(await renamed.register({ workspace: WORKSPACE, document, removeOnDelete: true, adoptExisting: true })).toBe("create");
    await old.destroy();
    expect(await pending()).toEqual([]);
  });
});
