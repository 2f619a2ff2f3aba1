import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostError } from "./harness.js";
import { startStage, WORKSPACE, type Stage } from "./fixtures.js";

// CustomRole driven through the real dynamic-provider host against the real reference server.

// The cases share one workspace and host: each works on its own roles.
let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
});
afterAll(async () => {
  await stage.close();
});

const liveRole = async (name: string) => (await stage.ws.client.listRoles(WORKSPACE)).find((r) => r.name === name);

describe("CustomRole through the dynamic-provider host", () => {
  it("create → refresh → no-op diff → update in place → delete", async () => {
    const r = stage.resource("CustomRole", "rm");
    const inputs = { workspace: WORKSPACE, roleName: "release-manager", permissions: ["logs:read", "deployments:create"] };
    expect(await r.register(inputs)).toBe("create");
    expect(r.state?.id).toBe(`${WORKSPACE}/release-manager`);
    // check put the permissions in catalog order and defaulted the description
    expect(r.state!.outputs).toMatchObject({ roleName: "release-manager", description: "", permissions: ["deployments:create", "logs:read"], holderCount: 0 });
    expect(await liveRole("release-manager")).toMatchObject({ builtIn: false, permissions: ["deployments:create", "logs:read"] });

    expect((await r.refresh())?.outputs).toMatchObject({ permissions: ["deployments:create", "logs:read"] });
    expect(await r.previewDiff(inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

    const changed = { ...inputs, description: "Ships services", permissions: [...inputs.permissions, "deployments:read"] };
    expect(await r.previewDiff(changed)).toMatchObject({ changes: "some", replaces: [] });
    const version = r.state!.outputs.version as number;
    expect(await r.register(changed)).toBe("update");
    expect(r.state!.outputs.version as number).toBeGreaterThan(version);
    expect(await liveRole("release-manager")).toMatchObject({ description: "Ships services", permissions: ["deployments:read", "deployments:create", "logs:read"] });

    await r.destroy();
    expect(await liveRole("release-manager")).toBeUndefined();
  });

  it("adopts a live role of the same name only with adoptExisting; refresh brings a change made outside Pulumi into the diff", async () => {
    await stage.ws.client.putRole(WORKSPACE, "auditor", { description: "old", permissions: ["logs:read"] });
    const r = stage.resource("CustomRole", "auditor");
    const plain = { workspace: WORKSPACE, roleName: "auditor", description: "Reads logs", permissions: ["logs:read", "deployments:read"] };
    const refused = await r.register(plain).catch((e: unknown) => e);
    expect((refused as HostError).message).toMatch(/^custom role auditor already exists in acme-prod \(permissions: logs:read\); if this CustomRole was renamed, give it `aliases` .*otherwise set adoptExisting: true/);
    expect(await liveRole("auditor")).toMatchObject({ description: "old" });
    const inputs = { ...plain, adoptExisting: true };
    expect(await r.register(inputs)).toBe("create");
    expect(await liveRole("auditor")).toMatchObject({ description: "Reads logs", permissions: ["deployments:read", "logs:read"] });

    const role = await liveRole("auditor");
    await stage.ws.client.putRole(WORKSPACE, "auditor", { description: "Reads logs", permissions: ["logs:read"] }, { ifMatch: role!.version! });
    await r.refresh();
    expect(r.state!.inputs).toMatchObject({ permissions: ["logs:read"] });
    expect(await r.register(inputs)).toBe("update");
    expect((await liveRole("auditor"))?.permissions).toEqual(["deployments:read", "logs:read"]);
  });

  it("delete while the role is held fails with the holders named, and the role stays", async () => {
    const r = stage.resource("CustomRole", "rm");
    await r.register({ workspace: WORKSPACE, roleName: "deployer", permissions: ["logs:read"] });
    await stage.ws.client.createInvitation(WORKSPACE, { email: "carol@acme.io", role: "deployer" });
    const err = await r.destroy().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).message).toMatch(/custom role deployer is still held by carol@acme\.io; give them another role/);
    expect(await liveRole("deployer")).toBeDefined();
  });

  it("a renamed role is a replacement (create the new one, then delete the old one)", async () => {
    const r = stage.resource("CustomRole", "rm");
    await r.register({ workspace: WORKSPACE, roleName: "packager", permissions: ["logs:read"] });
    expect(await r.previewDiff({ workspace: WORKSPACE, roleName: "shipper", permissions: ["logs:read"] })).toEqual({
      changes: "some",
      replaces: ["roleName"],
      deleteBeforeReplace: false,
    });
    expect(await r.register({ workspace: WORKSPACE, roleName: "shipper", permissions: ["logs:read"] })).toBe("replace");
    expect(await liveRole("packager")).toBeUndefined();
    expect(await liveRole("shipper")).toBeDefined();
  });
});
