import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { managerOfUrn } from "../../provider/manager.js";
import { pulumiManager } from "../../schema/manager.js";
import { EngineResource, HostError, ProviderHost, secret, stripAntrykEnv, type Props } from "./harness.js";
import { acceptInvitation, RESOURCE_TYPES, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// Members and CustomRoles of several resources, stacks and deployments over one person,
// through the real dynamic-provider host and server: the workspace's managedBy marker
// says which resource manages whom, so they never undo each other's work in turn.

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
});
afterAll(async () => {
  await stage.close();
});

/** managed gives inputs the manager id the resource class computes for a resource of `stack` (the harness's URNs are stack "test"). */
function managed(resource: EngineResource, inputs: Props, stack = "test"): Props {
  return { ...inputs, manager: managerOfUrn(resource.urn.replace("urn:pulumi:test::", `urn:pulumi:${stack}::`)) };
}

/** laterDeployment is another `pulumi up` (another host process), as a later deployment or another stack runs. */
async function laterDeployment<T>(work: (resource: (kind: "Member" | "CustomRole", name: string) => EngineResource, host: ProviderHost) => Promise<T>): Promise<T> {
  const host = await ProviderHost.start({ cwd: stage.programDir, env: stripAntrykEnv(process.env) });
  try {
    await host.configure({ "antryk:apiUrl": stage.ws.url, "antryk:token": secret(stage.ws.ownerToken) });
    return await work((kind, name) => new EngineResource(host, RESOURCE_TYPES[kind], name, stage.texts[kind]), host);
  } finally {
    await host.stop();
  }
}

const person = async (email: string) => ({
  member: (await stage.ws.client.listMembers(WORKSPACE)).find((m) => m.email === email),
  pending: (await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).find((i) => i.email === email),
});

describe("Pulumi resources and the managedBy marker", () => {
  it("marks what a Member writes with its manager id", async () => {
    const m = stage.resource("Member", "ann");
    const inputs = managed(m, { workspace: WORKSPACE, email: "ann@acme.io", role: "developer" });
    await m.register(inputs);
    expect((await person("ann@acme.io")).pending?.managedBy).toBe(inputs.manager);
    await acceptInvitation(stage.ws, "ann@acme.io");
    expect((await person("ann@acme.io")).member?.managedBy).toBe(inputs.manager);
  });

  it("gus's flip-flop is refused: a second Member in a later deployment adopts him, and the first no longer changes him", async () => {
    const first = stage.resource("Member", "gus");
    const mine = managed(first, { workspace: WORKSPACE, email: "gus@acme.io", role: "developer" });
    await first.register(mine);
    await acceptInvitation(stage.ws, "gus@acme.io");

    const secondManager = await laterDeployment(async (resource) => {
      const second = resource("Member", "gus-admin");
      // without adoptExisting: refused, naming the resource that manages him
      const refused = await second.register(managed(second, { workspace: WORKSPACE, email: "gus@acme.io", role: "account-admin" })).catch((e: unknown) => e);
      expect((refused as HostError).message).toContain(`managed by ${String(mine.manager)}`);
      const adopting = managed(second, { workspace: WORKSPACE, email: "gus@acme.io", role: "account-admin", adoptExisting: true });
      expect(await second.register(adopting)).toBe("create");
      return String(adopting.manager);
    });
    expect((await person("gus@acme.io")).member).toMatchObject({ role: "account-admin", managedBy: secondManager });

    // `pulumi up --refresh` of the first stack: the refresh sees account-admin, the update would flip him back
    await first.refresh();
    const flip = await first.register(mine).catch((e: unknown) => e);
    expect(flip).toBeInstanceOf(HostError);
    expect((flip as HostError).message).toMatch(/managedElsewhere/);
    expect((flip as HostError).message).toContain(`gus@acme.io is managed by ${secondManager}`);
    expect((await person("gus@acme.io")).member).toMatchObject({ role: "account-admin", managedBy: secondManager });
  });

  it("a rename without aliases, then adoptExisting, keeps the person when the old name is deleted (and says so)", async () => {
    // an earlier deployment created the Member under its old name
    const oldState = await laterDeployment(async (resource) => {
      const old = resource("Member", "amy-old-name");
      await old.register(managed(old, { workspace: WORKSPACE, email: "amy@acme.io", role: "developer" }));
      return old.state;
    });
    await acceptInvitation(stage.ws, "amy@acme.io");
    // the deployment of the rename: the new name is created first, the old name deleted at the end
    const renamed = stage.resource("Member", "amy-new-name");
    const inputs = managed(renamed, { workspace: WORKSPACE, email: "amy@acme.io", role: "developer", adoptExisting: true });
    expect(await renamed.register(inputs)).toBe("create");
    expect((await person("amy@acme.io")).member?.managedBy).toBe(inputs.manager);

    const old = stage.resource("Member", "amy-old-name");
    old.state = oldState;
    const from = stage.host.output().length;
    await old.destroy();
    expect((await person("amy@acme.io")).member).toMatchObject({ role: "developer", managedBy: inputs.manager });
    expect(await stage.host.outputAfter(from, "deleted from the state only")).toContain(`amy@acme.io is now managed by ${String(inputs.manager)}`);

    // the renamed Member is the one that manages her now: deleting it removes her
    await renamed.destroy();
    expect((await person("amy@acme.io")).member).toBeUndefined();
  });

  it("across stacks: stack 2 adopts max and is destroyed; max keeps his access and goes back to stack 1", async () => {
    const one = stage.resource("Member", "max");
    const stack1 = managed(one, { workspace: WORKSPACE, email: "max@acme.io", role: "developer" }, "stack1");
    await one.register(stack1);
    await laterDeployment(async (resource) => {
      const two = resource("Member", "max");
      const stack2 = managed(two, { workspace: WORKSPACE, email: "max@acme.io", role: "developer", adoptExisting: true }, "stack2");
      expect(await two.register(stack2)).toBe("create");
      expect((await person("max@acme.io")).pending?.managedBy).toBe(stack2.manager);
      await two.destroy();
    });
    expect((await person("max@acme.io")).pending).toMatchObject({ role: "developer", managedBy: stack1.manager });
    // stack 1's state is still true, and stack 1 still manages him
    expect((await one.refresh())?.outputs).toMatchObject({ status: "pending" });
    expect(await one.register({ ...stack1, role: "account-admin" })).toBe("update");
    expect((await person("max@acme.io")).pending?.role).toBe("account-admin");
  });

  it("a Member whose state has the id an earlier version wrote (the dynamic type in the URN) moves the marker to today's id on the next up", async () => {
    const m = stage.resource("Member", "ola");
    const inputs = { workspace: WORKSPACE, email: "ola@acme.io", role: "developer" };
    const earlier = pulumiManager("antryk-access-test", "test", m.urn);
    expect(earlier).toContain("pulumi-nodejs:dynamic/antryk:Member");
    await m.register({ ...inputs, manager: earlier });
    await acceptInvitation(stage.ws, "ola@acme.io");
    expect((await person("ola@acme.io")).member?.managedBy).toBe(earlier);
    const today = managed(m, inputs);
    expect(await m.register(today)).toBe("update");
    expect((await person("ola@acme.io")).member?.managedBy).toBe(today.manager);
    expect(await m.register({ ...today, role: "account-admin" })).toBe("update");
    expect((await person("ola@acme.io")).member).toMatchObject({ role: "account-admin", managedBy: today.manager });
  });

  it("a CustomRole another manager manages is refused unless adoptExisting, which takes the marker", async () => {
    const file = "antryk-access:acme-prod";
    await stage.ws.client.withManager(file).putRole(WORKSPACE, "oncall", { permissions: ["logs:read"] });
    const r = stage.resource("CustomRole", "oncall");
    const base = managed(r, { workspace: WORKSPACE, roleName: "oncall", permissions: ["logs:read"] });
    const refused = await r.register(base).catch((e: unknown) => e);
    expect((refused as HostError).message).toMatch(/managed by antryk-access:acme-prod\); if this CustomRole was renamed, give it `aliases`/);
    expect(await r.register({ ...base, adoptExisting: true })).toBe("create");
    const role = (await stage.ws.client.listRoles(WORKSPACE)).find((x) => x.name === "oncall");
    expect(role).toMatchObject({ managedBy: base.manager, permissions: ["logs:read"] });
  });

  it("a WorkspaceAccess writes as its manager id too, and its plan respects what another manager manages", async () => {
    await stage.ws.client.withManager("antryk-access:acme-prod").createInvitation(WORKSPACE, { email: "zed@acme.io", role: "developer" });
    const wa = stage.resource("WorkspaceAccess", "access");
    const document = { mode: "additive", safety: { maxRemovals: 10 }, members: [{ email: "wes@acme.io", role: "developer" }] };
    const inputs = managed(wa, { workspace: WORKSPACE, document });
    await wa.register(inputs);
    expect((await person("wes@acme.io")).pending?.managedBy).toBe(inputs.manager);
    const taking = await wa.register(managed(wa, { workspace: WORKSPACE, document: { ...document, members: [...document.members, { email: "zed@acme.io", role: "account-admin" }] } })).catch((e: unknown) => e);
    expect((taking as HostError).message).toMatch(/managedElsewhere[\s\S]*zed@acme\.io is managed by antryk-access:acme-prod/);
  });
});
