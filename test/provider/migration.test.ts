import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { managerOfUrn } from "../../provider/manager.js";
import type { Member } from "../../schema/api.js";
import { EngineResource, HostError, ProviderHost, secret, stripAntrykEnv } from "./harness.js";
import { acceptInvitation, makeProgramDir, providerTexts, RESOURCE_TYPES, startWorkspace, WORKSPACE, type Workspace } from "./fixtures.js";
import { configureProvider, EngineServer, startNative } from "./native/engine.js";

// Moving a stack from the dynamic resources to the native provider without anyone losing
// access (README "Moving to the native provider"): one `pulumi up` in which the old
// resources carry `retainOnDelete: true` and leave the program, and the new ones are
// declared with `import: <id>`. The engine imports the new ones (Read, Check, Diff) and
// drops the old ones from the state without calling Delete: no removal in between.
// The old resources write as their manager id (the hidden input the resource classes
// add); a native resource of the same name has the same id, so the workspace's
// `managedBy` markers stay as they are and the native resources manage the people without
// a take-over.

let ws: Workspace;
let dynamic: ProviderHost;
let engine: EngineServer;
let native: ProviderHost;
beforeAll(async () => {
  ws = await startWorkspace();
  const programDir = await makeProgramDir();
  dynamic = await ProviderHost.start({ cwd: programDir, env: stripAntrykEnv(process.env) });
  await dynamic.configure({ "antryk:apiUrl": ws.url, "antryk:token": secret(ws.ownerToken) });
  engine = await EngineServer.start();
  native = await startNative(engine, { cwd: programDir });
  await configureProvider(native, { apiUrl: ws.url, token: secret(ws.ownerToken) });
});
afterAll(async () => {
  await dynamic.stop();
  await native.stop();
  await engine.stop();
  await ws.close();
});

describe("migrating from the dynamic resources to the native provider", () => {
  it("retainOnDelete on the old, import on the new, in one up: nobody loses access, nothing is removed or re-sent", async () => {
    const texts = await providerTexts();
    const roleInputs = { workspace: WORKSPACE, roleName: "releaser", description: "Ships", permissions: ["deployments:create", "deployments:read"] };
    const danaInputs = { workspace: WORKSPACE, email: "dana@acme.io", role: "releaser", permissions: ["logs:read"] };
    const eveInputs = { workspace: WORKSPACE, email: "eve@acme.io", role: "developer" };
    const program = { programManager: true };
    const oldRole = new EngineResource(dynamic, RESOURCE_TYPES.CustomRole, "releaser", texts.CustomRole, program);
    const oldDana = new EngineResource(dynamic, RESOURCE_TYPES.Member, "dana", texts.Member, program);
    const oldEve = new EngineResource(dynamic, RESOURCE_TYPES.Member, "eve", texts.Member, program);
    await oldRole.register(roleInputs);
    await oldDana.register(danaInputs);
    await oldEve.register(eveInputs);
    await acceptInvitation(ws, "dana@acme.io");
    const markers = async () => ({
      releaser: (await ws.client.listRoles(WORKSPACE)).find((r) => r.name === "releaser")?.managedBy,
      dana: (await ws.client.listMembers(WORKSPACE)).find((m) => m.email === "dana@acme.io")?.managedBy,
      eve: (await ws.client.listInvitations(WORKSPACE, { status: "pending" })).find((i) => i.email === "eve@acme.io")?.managedBy,
    });
    const dynamicIds = { releaser: managerOfUrn(oldRole.urn), dana: managerOfUrn(oldDana.urn), eve: managerOfUrn(oldEve.urn) };
    expect(await markers()).toEqual(dynamicIds);
    const before = {
      members: withoutActivity(await ws.client.listMembers(WORKSPACE)),
      invitations: await ws.client.listInvitations(WORKSPACE, { status: "pending" }),
      audit: (await ws.client.listAllAudit(WORKSPACE)).length,
    };

    // Step 1 (`pulumi up` with retainOnDelete: true on the old resources): an update of options only; the provider is not called.
    // Step 2, one `pulumi up`: the new resources with `import`, the old ones gone from the program.
    const newRole = new EngineResource(native, "antryk:index:CustomRole", "releaser", null);
    const newDana = new EngineResource(native, "antryk:index:Member", "dana", null);
    const newEve = new EngineResource(native, "antryk:index:Member", "eve", null);
    expect(await newRole.importAs(`${WORKSPACE}/releaser`, roleInputs)).toMatchObject({ changes: "none" });
    expect(await newDana.importAs(`${WORKSPACE}/dana@acme.io`, danaInputs)).toMatchObject({ changes: "none" });
    expect(await newEve.importAs(`${WORKSPACE}/eve@acme.io`, eveInputs)).toMatchObject({ changes: "none" });
    for (const old of [oldEve, oldDana, oldRole]) old.forget();

    // Nothing changed in the workspace: same members (same ids), same pending invitations, no access-history event at all.
    expect(withoutActivity(await ws.client.listMembers(WORKSPACE))).toEqual(before.members);
    expect(await ws.client.listInvitations(WORKSPACE, { status: "pending" })).toEqual(before.invitations);
    expect((await ws.client.listAllAudit(WORKSPACE)).length).toBe(before.audit);
    expect(newDana.state!.outputs).toMatchObject({ status: "active", role: "releaser" });
    expect(newEve.state!.outputs).toMatchObject({ status: "pending" });
    // The native resources' manager ids are the old ones: the markers are theirs already.
    expect({ releaser: managerOfUrn(newRole.urn), dana: managerOfUrn(newDana.urn), eve: managerOfUrn(newEve.urn) }).toEqual(dynamicIds);
    expect(await markers()).toEqual(dynamicIds);

    // From now on the native provider manages them: the next up is a no-op, and a change is made in place.
    expect(await newDana.register(danaInputs)).toBe("same");
    expect(await newDana.register({ ...danaInputs, permissions: [] })).toBe("update");
    expect(await newEve.register({ ...eveInputs, role: "account-admin" })).toBe("update");
    expect(await newRole.register({ ...roleInputs, description: "Ships services" })).toBe("update");
    const dana = (await ws.client.listMembers(WORKSPACE)).find((m) => m.email === "dana@acme.io");
    expect(dana).toMatchObject({ id: before.members.find((m) => m.email === "dana@acme.io")!.id, role: "releaser", permissions: [] });
    expect(await markers()).toEqual(dynamicIds);
    // And the native Member removes only whom it manages: its delete removes eve, as the dynamic one would have.
    await newEve.destroy();
    expect((await ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email)).not.toContain("eve@acme.io");
  });

  it("a native resource imported under another name is not the old one: the import writes nothing, its first change is refused naming the old id", async () => {
    const texts = await providerTexts();
    const inputs = { workspace: WORKSPACE, email: "zed@acme.io", role: "developer" };
    const old = new EngineResource(dynamic, RESOURCE_TYPES.Member, "zed", texts.Member, { programManager: true });
    await old.register(inputs);
    const renamed = new EngineResource(native, "antryk:index:Member", "zed-renamed", null);
    expect(await renamed.importAs(`${WORKSPACE}/zed@acme.io`, inputs)).toMatchObject({ changes: "none" });
    old.forget();
    const refused = await renamed.register({ ...inputs, role: "account-admin" }).catch((e: unknown) => e);
    expect((refused as HostError).message).toMatch(/managedElsewhere/);
    expect((refused as HostError).message).toContain(`zed@acme.io is managed by ${managerOfUrn(old.urn)}, not by ${managerOfUrn(renamed.urn)}`);
    const zed = (await ws.client.listInvitations(WORKSPACE, { status: "pending" })).find((i) => i.email === "zed@acme.io");
    expect(zed).toMatchObject({ role: "developer", managedBy: managerOfUrn(old.urn) });
  });
});

/** withoutActivity drops when each member last used a token: every read moves the reader's, and activity is not access. */
function withoutActivity(members: readonly Member[]): Omit<Member, "lastActiveAt" | "lastActiveVia">[] {
  return members.map(({ lastActiveAt: _at, lastActiveVia: _via, ...rest }) => rest);
}
