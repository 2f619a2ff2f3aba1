import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../server/index.js";
import { EngineResource, HostError, ProviderHost, secret } from "./harness.js";
import { acceptInvitation, OWNER, RESOURCE_TYPES, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// Member driven through the real dynamic-provider host against the real reference server.
// The cases share one workspace and host: each works on its own people.

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
});
afterAll(async () => {
  await stage.close();
});

const live = async (email: string) => ({
  member: (await stage.ws.client.listMembers(WORKSPACE)).find((m) => m.email === email),
  pending: (await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).filter((i) => i.email === email),
});

describe("Member through the dynamic-provider host", () => {
  it("create (invite) → refresh → no-op diff → accepted → in-place role change → delete removes the member", async () => {
    const m = stage.resource("Member", "dev");
    const inputs = { workspace: WORKSPACE, email: " Dev@Acme.io ", role: "developer" };
    expect(await m.register(inputs)).toBe("create");
    expect(m.state?.id).toBe(`${WORKSPACE}/dev@acme.io`);
    const invited = m.state!.outputs;
    expect(invited).toMatchObject({ email: "dev@acme.io", role: "developer", permissions: [], status: "pending", adopted: false, sendCount: 1 });
    expect(invited.invitationId).toMatch(/\S/);
    expect(invited.memberId).toBeUndefined();

    expect((await m.refresh())?.outputs).toMatchObject({ status: "pending", invitationId: invited.invitationId });
    expect(await m.previewDiff(inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

    await acceptInvitation(stage.ws, "dev@acme.io");
    const accepted = (await m.refresh())!.outputs;
    expect(accepted).toMatchObject({ status: "active", role: "developer" });
    const memberId = accepted.memberId;
    expect(memberId).toMatch(/\S/);
    expect(accepted.effectivePermissions).toContain("deployments:create");
    expect(await m.register(inputs)).toBe("same");

    const promoted = { ...inputs, role: "account-admin", permissions: ["config:read"] };
    expect(await m.previewDiff(promoted)).toMatchObject({ changes: "some", replaces: [] });
    expect(await m.register(promoted)).toBe("update");
    expect(m.state!.outputs).toMatchObject({ status: "active", memberId, role: "account-admin", permissions: ["config:read"] });
    const after = await live("dev@acme.io");
    expect(after.member).toMatchObject({ id: memberId, role: "account-admin", permissions: ["config:read"] });

    await m.destroy();
    expect((await live("dev@acme.io")).member).toBeUndefined();
  });

  it("adopts a pending invitation with the same email only with adoptExisting, and updates it in place", async () => {
    const inv = await stage.ws.client.createInvitation(WORKSPACE, { email: "ops@acme.io", role: "developer" });
    const m = stage.resource("Member", "ops");
    const refused = await m.register({ workspace: WORKSPACE, email: "ops@acme.io", role: "account-admin" }).catch((e: unknown) => e);
    expect((refused as HostError).message).toMatch(/^ops@acme\.io is already in acme-prod \(a pending invitation, role developer\); if this Member was renamed, give it `aliases` .*otherwise set adoptExisting: true/);
    expect(m.state).toBeNull();
    expect((await live("ops@acme.io")).pending.map((i) => i.role)).toEqual(["developer"]);
    expect(await m.register({ workspace: WORKSPACE, email: "ops@acme.io", role: "account-admin", adoptExisting: true })).toBe("create");
    expect(m.state!.outputs).toMatchObject({ adopted: true, status: "pending", invitationId: inv.id, role: "account-admin" });
    const { pending } = await live("ops@acme.io");
    expect(pending.map((i) => [i.id, i.role])).toEqual([[inv.id, "account-admin"]]);

    await m.destroy();
    expect((await live("ops@acme.io")).pending).toEqual([]);
  });

  it("a second Member for one email fails; refresh reports a role changed outside Pulumi as a diff", async () => {
    const m = stage.resource("Member", "eve");
    await m.register({ workspace: WORKSPACE, email: "eve@acme.io", role: "developer" });
    await acceptInvitation(stage.ws, "eve@acme.io");
    const second = stage.resource("Member", "eve-again");
    const err = await second.register({ workspace: WORKSPACE, email: "eve@acme.io", role: "account-admin", adoptExisting: true }).catch((e: unknown) => e);
    expect((err as HostError).message).toMatch(/eve@acme\.io in acme-prod is already managed by another Member of this deployment/);
    expect(second.state).toBeNull();

    const { member } = await live("eve@acme.io");
    await stage.ws.client.updateMember(WORKSPACE, member!.id, { role: "account-admin" }, { ifMatch: member!.version });
    await m.refresh();
    expect(m.state!.inputs).toMatchObject({ role: "account-admin" });
    expect(await m.previewDiff({ workspace: WORKSPACE, email: "eve@acme.io", role: "developer" })).toMatchObject({ changes: "some" });
    expect(await m.register({ workspace: WORKSPACE, email: "eve@acme.io", role: "developer" })).toBe("update");
    expect((await live("eve@acme.io")).member).toMatchObject({ id: member!.id, role: "developer" });
  });

  it("a changed email creates the new person before removing the old one; a failed create removes nobody", async () => {
    const m = stage.resource("Member", "typo");
    await m.register({ workspace: WORKSPACE, email: "fran@acme.oi", role: "developer" });
    expect(await m.previewDiff({ workspace: WORKSPACE, email: "fran@acme.io", role: "developer" })).toEqual({
      changes: "some",
      replaces: ["email"],
      deleteBeforeReplace: false,
    });
    // A role the workspace does not define: the new person cannot be created, and the old one stays.
    await expect(m.register({ workspace: WORKSPACE, email: "fran@acme.io", role: "no-such-role" })).rejects.toBeInstanceOf(HostError);
    expect((await live("fran@acme.oi")).pending).toHaveLength(1);
    expect(m.state?.id).toBe(`${WORKSPACE}/fran@acme.oi`);
    expect(await m.register({ workspace: WORKSPACE, email: "fran@acme.io", role: "developer" })).toBe("replace");
    expect((await live("fran@acme.oi")).pending).toEqual([]);
    expect((await live("fran@acme.io")).pending).toHaveLength(1);
    expect(m.state?.id).toBe(`${WORKSPACE}/fran@acme.io`);
  });

  it("refuses to manage the owner, saying why, and changes nothing", async () => {
    const m = stage.resource("Member", "owner");
    const err = await m.register({ workspace: WORKSPACE, email: OWNER, role: "developer" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).message).toContain(`${OWNER} is the owner of ${WORKSPACE}: the owner is never invited, changed or removed by antryk-access`);
    expect(m.state).toBeNull();
  });

  it("never demotes or removes the member whose token it uses", async () => {
    await stage.ws.client.createInvitation(WORKSPACE, { email: "lead@acme.io", role: "account-admin" });
    await acceptInvitation(stage.ws, "lead@acme.io");
    const leadToken = issueToken(stage.ws.dbPath, { workspace: WORKSPACE, email: "lead@acme.io" });
    const host = await ProviderHost.start({ cwd: stage.programDir });
    try {
      await host.configure({ "antryk:apiUrl": stage.ws.url, "antryk:token": secret(leadToken) });
      const self = new EngineResource(host, RESOURCE_TYPES.Member, "lead", stage.texts.Member);
      expect(await self.register({ workspace: WORKSPACE, email: "lead@acme.io", role: "account-admin", adoptExisting: true })).toBe("create");
      expect(self.state!.outputs).toMatchObject({ adopted: true, status: "active" });

      const demote = await self.register({ workspace: WORKSPACE, email: "lead@acme.io", role: "developer", adoptExisting: true }).catch((e: unknown) => e);
      expect((demote as HostError).message).toMatch(/blocked by 1 safety rail[\s\S]*self:/);
      const remove = await self.destroy().catch((e: unknown) => e);
      expect((remove as HostError).message).toMatch(/lead@acme\.io is the member whose token this provider uses/);
      expect((await live("lead@acme.io")).member).toMatchObject({ role: "account-admin" });
      expect(host.transcript()).not.toContain(leadToken);
    } finally {
      await host.stop();
    }
  });
});
