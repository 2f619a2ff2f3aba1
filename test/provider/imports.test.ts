import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OWNER, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// A WorkspaceAccess whose file imports a library: the imports are resolved relative to the
// file (not the program's folder), and the input's content digest covers the library, so
// editing only the library shows as a diff and the next up applies it.

const LIBRARY = `version: 1
kind: library
roles:
  release-manager:
    description: Ships services
    permissions: [deployments:create, deployments:read]
`;

const PROD = `version: 1
workspace: ${WORKSPACE}
owner: ${OWNER}
imports: [shared/roles.yaml]
members:
  - email: carol@acme.io
    role: release-manager
`;

let stage: Stage;
beforeEach(async () => {
  stage = await startStage();
});
afterEach(async () => {
  await stage.close();
});

describe("WorkspaceAccess with imports", () => {
  it("resolves imports relative to file, and a library edit is a diff that the next up applies", async () => {
    await mkdir(path.join(stage.programDir, "access/shared"), { recursive: true });
    await writeFile(path.join(stage.programDir, "access/shared/roles.yaml"), LIBRARY);
    await writeFile(path.join(stage.programDir, "access/prod.yaml"), PROD);
    const wa = stage.resource("WorkspaceAccess", "access");
    const inputs = { workspace: WORKSPACE, file: "access/prod.yaml" };
    expect(await wa.register(inputs)).toBe("create");
    expect(wa.state!.outputs).toMatchObject({ customRoleCount: 1, pendingInvitationCount: 1 });
    expect(await wa.previewDiff(inputs)).toMatchObject({ changes: "none" });

    // An edit of the library alone that changes no access (a comment) is still a changed input: the digest covers the library.
    await writeFile(path.join(stage.programDir, "access/shared/roles.yaml"), `# reviewed by the platform team\n${LIBRARY}`);
    expect(await wa.previewDiff(inputs)).toMatchObject({ changes: "some", replaces: [] });

    await writeFile(path.join(stage.programDir, "access/shared/roles.yaml"), LIBRARY.replace("deployments:read]", "deployments:read, logs:read]"));
    expect(await wa.previewDiff(inputs)).toMatchObject({ changes: "some", replaces: [] });
    expect(await wa.register(inputs)).toBe("update");
    const role = (await stage.ws.client.listRoles(WORKSPACE)).find((r) => r.name === "release-manager");
    expect(role?.permissions).toContain("logs:read");
  });

  it("a document input with imports is refused at check (imports resolve relative to a file)", async () => {
    const wa = stage.resource("WorkspaceAccess", "doc");
    const checked = await wa.checkOnly({ workspace: WORKSPACE, document: { owner: OWNER, imports: ["shared/roles.yaml"], members: [] } });
    expect(checked.failures).toEqual([
      { property: "document.imports", reason: "imports are resolved relative to the access file: use the file input (a path) for a file that imports libraries" },
    ]);
  });
});
