import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client/index.js";
import { managerOfUrn } from "../../provider/manager.js";
import { HostError } from "./harness.js";
import { acceptInvitation, OWNER, WORKSPACE } from "./fixtures.js";
import { dynamicDoor, nativeDoor, SANDBOX, type Door } from "./doors.js";

// One lifecycle suite, run against both Pulumi front doors through the engine harness:
// the dynamic resources in the real dynamic-provider host, and the native plugin
// pulumi-resource-antryk driven with the engine's own messages (test/provider/doors.ts).
// Each door gets its own workspace server; the cases share it, each on its own people.
// What a resource writes carries its manager id (`managedBy`, read back from the server):
// managerOfUrn of its URN, the same id in both doors.

describe.each([
  ["dynamic", dynamicDoor],
  ["native", nativeDoor],
] as const)("the %s door", (_name, open) => {
  let door: Door;
  beforeAll(async () => {
    door = await open();
  });
  afterAll(async () => {
    await door.close();
  });

  const live = async (email: string, client = door.ws.client, workspace = WORKSPACE) => ({
    member: (await client.listMembers(workspace)).find((m) => m.email === email),
    pending: (await client.listInvitations(workspace, { status: "pending" })).filter((i) => i.email === email),
  });

  it("create → refresh → no change → update in place → destroy", async () => {
    const m = door.resource("Member", "ann");
    const inputs = { workspace: WORKSPACE, email: "Ann@Acme.io", role: "developer" };
    expect(await m.register(inputs)).toBe("create");
    expect(m.state).toMatchObject({ id: `${WORKSPACE}/ann@acme.io`, outputs: { status: "pending", email: "ann@acme.io", manager: managerOfUrn(m.urn) } });
    expect((await live("ann@acme.io")).pending.map((i) => i.managedBy)).toEqual([managerOfUrn(m.urn)]);
    expect((await m.refresh())?.outputs).toMatchObject({ status: "pending" });
    expect(await m.register(inputs)).toBe("same");
    await acceptInvitation(door.ws, "ann@acme.io");
    await m.refresh();
    const memberId = m.state!.outputs.memberId;
    expect(await m.register({ ...inputs, role: "account-admin" })).toBe("update");
    expect((await live("ann@acme.io")).member).toMatchObject({ id: memberId, role: "account-admin", managedBy: managerOfUrn(m.urn) });
    await m.destroy();
    expect((await live("ann@acme.io")).member).toBeUndefined();
  });

  it("refresh after a hand change shows it, and the next up puts it back", async () => {
    const m = door.resource("Member", "ben");
    const inputs = { workspace: WORKSPACE, email: "ben@acme.io", role: "developer" };
    await m.register(inputs);
    await acceptInvitation(door.ws, "ben@acme.io");
    const { member } = await live("ben@acme.io");
    await door.ws.client.updateMember(WORKSPACE, member!.id, { role: "account-admin" }, { ifMatch: member!.version });
    await m.refresh();
    expect(m.state!.inputs).toMatchObject({ role: "account-admin" });
    expect(m.state!.outputs).toMatchObject({ role: "account-admin", status: "active" });
    expect(await m.previewDiff(inputs)).toMatchObject({ changes: "some", replaces: [] });
    expect(await m.register(inputs)).toBe("update");
    expect((await live("ben@acme.io")).member).toMatchObject({ id: member!.id, role: "developer" });
  });

  it("preview reports the plan of a new WorkspaceAccess in the operation's diagnostics, and a hand change as a diff", async () => {
    const wa = door.resource("WorkspaceAccess", "prod");
    const inputs = { workspace: WORKSPACE, document: { owner: OWNER, mode: "additive", members: [{ email: "cy@acme.io", role: "developer" }] } };
    const from = door.log().length;
    expect((await wa.checkOnly(inputs)).failures).toEqual([]);
    expect(await door.logAfter(from, "Plan:")).toMatch(/antryk-access WorkspaceAccess acme-prod: Plan: 1 to invite, 0 to update, 0 to remove\./);
    expect(await wa.register(inputs)).toBe("create");
    expect(wa.state!.outputs).toMatchObject({ drift: { total: 0 }, pendingInvitationCount: expect.any(Number) });
    expect((await live("cy@acme.io")).pending.map((i) => i.managedBy)).toEqual([managerOfUrn(wa.urn)]);
    expect(await wa.previewDiff(inputs)).toMatchObject({ changes: "none" });
    const inv = (await live("cy@acme.io")).pending[0]!;
    await door.ws.client.revokeInvitation(WORKSPACE, inv.id, { ifMatch: inv.version, idempotencyKey: `hand-${door.name}` });
    expect(await wa.previewDiff(inputs)).toMatchObject({ changes: "some", replaces: [] });
    expect(await wa.register(inputs)).toBe("update");
    expect((await live("cy@acme.io")).pending).toHaveLength(1);
  });

  it("brings an existing person under management (import, or adoptExisting where the engine cannot import) and then manages them", async () => {
    await door.ws.client.createInvitation(WORKSPACE, { email: "gus@acme.io", role: "developer", permissions: ["logs:read"] });
    const m = door.resource("Member", "gus");
    const inputs = { workspace: WORKSPACE, email: "gus@acme.io", role: "developer", permissions: ["logs:read"] };
    await door.adopt(m, `${WORKSPACE}/gus@acme.io`, inputs);
    expect(m.state).toMatchObject({ id: `${WORKSPACE}/gus@acme.io`, outputs: { status: "pending", role: "developer" } });
    expect(await m.register({ ...inputs, permissions: [] })).toBe("update");
    expect((await live("gus@acme.io")).pending.map((i) => [i.permissions, i.managedBy])).toEqual([[[], managerOfUrn(m.urn)]]);
  });

  it("a rename with aliases keeps the person and moves the marker; without them the new name's create fails and removes nobody", async () => {
    const old = door.resource("Member", "dana");
    const inputs = { workspace: WORKSPACE, email: "dana@acme.io", role: "developer" };
    await old.register(inputs);
    // With `aliases: [{ name: "dana" }]` the engine carries the state to the new name: the same person, under a new URN and so a new manager id.
    const renamed = door.resource("Member", "dana-renamed");
    renamed.state = old.state;
    expect(await renamed.register(inputs)).toBe("update");
    expect((await live("dana@acme.io")).pending.map((i) => [i.role, i.managedBy])).toEqual([["developer", managerOfUrn(renamed.urn)]]);
    expect(await renamed.register(inputs)).toBe("same");
    expect(await renamed.register({ ...inputs, role: "account-admin" })).toBe("update");
    expect((await live("dana@acme.io")).pending.map((i) => i.role)).toEqual(["account-admin"]);
    // Without aliases the engine creates at the new name first (and would delete the old one after): the create is refused.
    const unaliased = door.resource("Member", "dana-unaliased");
    await expect(unaliased.register(inputs)).rejects.toThrow(/dana@acme\.io is already in acme-prod .*aliases/);
    expect((await live("dana@acme.io")).pending).toHaveLength(1);
  });

  it("a CustomRole and a WorkspaceAccess renamed with aliases keep managing what they marked under the old name", async () => {
    const role = door.resource("CustomRole", "ops");
    const roleInputs = { workspace: WORKSPACE, roleName: "ops", permissions: ["logs:read"] };
    await role.register(roleInputs);
    const renamedRole = door.resource("CustomRole", "ops-renamed");
    renamedRole.state = role.state;
    expect(await renamedRole.register(roleInputs)).toBe("update");
    expect((await door.ws.client.listRoles(WORKSPACE)).find((r) => r.name === "ops")?.managedBy).toBe(managerOfUrn(renamedRole.urn));

    const wa = door.resource("WorkspaceAccess", "team");
    const document = (role: string) => ({ owner: OWNER, mode: "additive", members: [{ email: "lou@acme.io", role }] });
    await wa.register({ workspace: WORKSPACE, document: document("developer") });
    const renamedWa = door.resource("WorkspaceAccess", "team-renamed");
    renamedWa.state = wa.state;
    expect(await renamedWa.register({ workspace: WORKSPACE, document: document("account-admin") })).toBe("update");
    expect((await live("lou@acme.io")).pending.map((i) => [i.role, i.managedBy])).toEqual([["account-admin", managerOfUrn(renamedWa.urn)]]);
  });

  it("an email change creates the new person before removing the old one", async () => {
    const m = door.resource("Member", "fran");
    await m.register({ workspace: WORKSPACE, email: "fran@acme.oi", role: "developer" });
    const fixed = { workspace: WORKSPACE, email: "fran@acme.io", role: "developer" };
    expect(await m.previewDiff(fixed)).toMatchObject({ changes: "some", replaces: ["email"], deleteBeforeReplace: false });
    await expect(m.register({ ...fixed, role: "no-such-role" })).rejects.toBeInstanceOf(HostError);
    expect((await live("fran@acme.oi")).pending).toHaveLength(1);
    expect(await m.register(fixed)).toBe("replace");
    expect((await live("fran@acme.oi")).pending).toEqual([]);
    expect((await live("fran@acme.io")).pending).toHaveLength(1);
  });

  it("two provider instances manage two workspaces, each with its own token", async () => {
    const sandbox = createClient({ baseUrl: door.ws.url, token: await door.sandbox() });
    const role = door.resource("CustomRole", "sandbox-releaser", "sandbox");
    const roleInputs = door.inputs("sandbox", { workspace: SANDBOX.workspace, roleName: "releaser", permissions: ["deployments:create", "deployments:read"] });
    expect(await role.register(roleInputs)).toBe("create");
    expect((await sandbox.listRoles(SANDBOX.workspace)).find((r) => r.name === "releaser")?.managedBy).toBe(managerOfUrn(role.urn));
    const hal = door.resource("Member", "sandbox-hal", "sandbox");
    expect(await hal.register(door.inputs("sandbox", { workspace: SANDBOX.workspace, email: "hal@acme.io", role: "releaser" }))).toBe("create");
    expect((await live("hal@acme.io", sandbox, SANDBOX.workspace)).pending.map((i) => i.role)).toEqual(["releaser"]);
    expect((await live("hal@acme.io")).pending).toEqual([]);
    // The default provider's token belongs to acme-prod: it cannot touch the sandbox.
    const stray = door.resource("Member", "stray");
    await expect(stray.register({ workspace: SANDBOX.workspace, email: "ivy@acme.io", role: "developer" })).rejects.toBeInstanceOf(HostError);
    expect((await live("ivy@acme.io", sandbox, SANDBOX.workspace)).pending).toEqual([]);
    await hal.destroy();
    await role.destroy();
    expect((await sandbox.listRoles(SANDBOX.workspace)).map((r) => r.name)).not.toContain("releaser");
    await sandbox.close();
  });

  it("a person another stack manages is refused, as the managedElsewhere rail says, and a delete leaves them", async () => {
    const m = door.resource("Member", "kim");
    const inputs = { workspace: WORKSPACE, email: "kim@acme.io", role: "developer" };
    await m.register(inputs);
    await acceptInvitation(door.ws, "kim@acme.io");
    await m.refresh();
    // Another stack's Member adopted her (its writes carry its own manager id).
    const other = managerOfUrn("urn:pulumi:other-stack::antryk-access-test::antryk:index:Member::kim");
    const { member } = await live("kim@acme.io");
    await door.ws.client.withManager(other).updateMember(WORKSPACE, member!.id, { role: "account-admin" }, { ifMatch: member!.version });
    await m.refresh();
    const refused = await m.register(inputs).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HostError);
    expect((refused as HostError).message).toMatch(/managedElsewhere/);
    expect((refused as HostError).message).toContain(`kim@acme.io is managed by ${other}, not by ${managerOfUrn(m.urn)}`);
    // A new resource for her is refused at create, naming her manager.
    await expect(door.resource("Member", "kim-again").register(inputs)).rejects.toThrow(`managed by ${other}`);
    const from = door.log().length;
    await m.destroy();
    expect(await door.logAfter(from, "deleted from the state only")).toContain(`kim@acme.io is now managed by ${other}`);
    expect((await live("kim@acme.io")).member).toMatchObject({ id: member!.id, role: "account-admin", managedBy: other });
  });

  it("destroy removes exactly what the last apply named, with removeOnDelete", async () => {
    await door.ws.client.createInvitation(WORKSPACE, { email: "kept@acme.io", role: "developer" });
    const wa = door.resource("WorkspaceAccess", "scoped");
    const document = { owner: OWNER, mode: "additive", safety: { maxRemovals: 5 }, members: [{ email: "jo@acme.io", role: "developer" }] };
    await wa.register({ workspace: WORKSPACE, document, removeOnDelete: true });
    expect((await live("jo@acme.io")).pending).toHaveLength(1);
    await wa.destroy();
    expect((await live("jo@acme.io")).pending).toEqual([]);
    expect((await live("kept@acme.io")).pending).toHaveLength(1);
  });
});
