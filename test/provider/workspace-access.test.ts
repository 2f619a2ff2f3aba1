import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IncomingMessage, ServerResponse } from "node:http";
import { seedMembers } from "../../server/admin.js";
import { issueToken } from "../../server/index.js";
import { CheckFailedError, EngineResource, HostError, ProviderHost, secret } from "./harness.js";
import { acceptInvitation, OWNER, RESOURCE_TYPES, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// WorkspaceAccess driven through the real dynamic-provider host, as `pulumi up`,
// `pulumi refresh` and `pulumi destroy` drive it, against the real reference server.

const ACCESS_YAML = `version: 1
workspace: ${WORKSPACE}
owner: ${OWNER}
roles:
  release-manager:
    description: Ships services to production
    permissions: [deployments:create, deployments:read, logs:read]
members:
  - email: alice@acme.io
    role: account-admin
  - email: bob@acme.io
    role: developer
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

const memberByEmail = async (email: string) => (await stage.ws.client.listMembers(WORKSPACE)).find((m) => m.email === email);

describe("WorkspaceAccess through the dynamic-provider host", () => {
  it("create → refresh → no-op diff → in-place role change → drift corrected → delete removes nobody", async () => {
    await writeFile(path.join(stage.programDir, "access.yaml"), ACCESS_YAML);
    const wa = stage.resource("WorkspaceAccess", "access");
    const inputs = { workspace: WORKSPACE, file: "access.yaml" };

    expect(await wa.register(inputs)).toBe("create");
    expect(wa.state?.id).toBe(WORKSPACE);
    const created = wa.state!.outputs;
    expect(created).toMatchObject({
      workspace: WORKSPACE,
      file: "access.yaml",
      owner: OWNER,
      memberCount: 1,
      pendingInvitationCount: 3,
      customRoleCount: 1,
      drift: { total: 0 },
      driftChanges: [],
    });
    expect(created.lastApplied).toMatchObject({ createRole: 1, inviteMember: 3, total: 4 });
    expect(typeof created.revision).toBe("number");

    await acceptInvitation(stage.ws, "alice@acme.io");
    await acceptInvitation(stage.ws, "bob@acme.io");
    const refreshed = await wa.refresh();
    expect(refreshed?.outputs).toMatchObject({ memberCount: 3, pendingInvitationCount: 1, drift: { total: 0 } });
    expect(refreshed!.outputs.revision as number).toBeGreaterThan(created.revision as number);
    // refresh keeps what the last apply did
    expect(refreshed!.outputs.lastApplied).toEqual(created.lastApplied);

    expect(await wa.previewDiff(inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
    expect(await wa.register(inputs)).toBe("same");

    // A role change in the file is one in-place update of the member, never remove + re-add.
    const bobBefore = await memberByEmail("bob@acme.io");
    await writeFile(path.join(stage.programDir, "access.yaml"), ACCESS_YAML.replace("bob@acme.io\n    role: developer", "bob@acme.io\n    role: account-admin"));
    expect(await wa.previewDiff(inputs)).toMatchObject({ changes: "some", replaces: [] });
    expect(await wa.register(inputs)).toBe("update");
    const bobAfter = await memberByEmail("bob@acme.io");
    expect(bobAfter?.id).toBe(bobBefore?.id);
    expect(bobAfter?.role).toBe("account-admin");
    expect(wa.state!.outputs.lastApplied).toMatchObject({ updateMember: 1, total: 1 });
    const audit = await stage.ws.client.listAllAudit(WORKSPACE);
    expect(audit.filter((e) => e.action === "member.removed")).toEqual([]);

    // Drift made outside Pulumi shows on refresh and is corrected by the next up.
    const alice = await memberByEmail("alice@acme.io");
    await stage.ws.client.updateMember(WORKSPACE, alice!.id, { role: "developer" }, { ifMatch: alice!.version });
    const drifted = await wa.refresh();
    expect(drifted?.outputs).toMatchObject({ drift: { total: 1, updateMember: 1 }, driftChanges: ["updateMember alice@acme.io"] });
    expect(await wa.register(inputs)).toBe("update");
    expect((await memberByEmail("alice@acme.io"))?.role).toBe("account-admin");

    // Deleting the resource stops managing: nobody is removed.
    const before = await stage.ws.client.listMembers(WORKSPACE);
    await wa.destroy();
    expect((await stage.ws.client.listMembers(WORKSPACE)).map((m) => m.email).sort()).toEqual(before.map((m) => m.email).sort());
    expect((await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email)).toEqual(["carol@acme.io"]);
  });

  it("takes the document as an object; with removeOnDelete, delete removes what it names and nobody else", async () => {
    const other = await stage.ws.client.createInvitation(WORKSPACE, { email: "zoe@acme.io", role: "developer" });
    const document = {
      mode: "additive",
      safety: { maxRemovals: 10 },
      members: [
        { email: "alice@acme.io", role: "account-admin" },
        { email: "bob@acme.io", role: "developer", permissions: ["domains:manage"] },
      ],
    };
    const wa = stage.resource("WorkspaceAccess", "access");
    expect(await wa.register({ workspace: WORKSPACE, document, removeOnDelete: true })).toBe("create");
    expect(wa.state!.outputs).toMatchObject({ removeOnDelete: true, pendingInvitationCount: 3 });
    await acceptInvitation(stage.ws, "alice@acme.io");

    await wa.destroy();
    expect((await stage.ws.client.listMembers(WORKSPACE)).map((m) => m.email)).toEqual([OWNER]);
    const pending = await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" });
    expect(pending.map((i) => i.id)).toEqual([other.id]);
  });

  it("a plan blocked by a safety rail fails at check (the preview) with the rail named, and changes nothing", async () => {
    await stage.ws.client.createInvitation(WORKSPACE, { email: "keep1@acme.io", role: "developer" });
    await stage.ws.client.createInvitation(WORKSPACE, { email: "keep2@acme.io", role: "developer" });
    await stage.ws.client.createInvitation(WORKSPACE, { email: "keep3@acme.io", role: "developer" });
    const revision = (await stage.ws.client.getWorkspace(WORKSPACE)).revision;
    const wa = stage.resource("WorkspaceAccess", "access");
    // Authoritative, naming nobody: revoking 3 of 4 people is over the default maxRemovals of 25%.
    const err = await wa.register({ workspace: WORKSPACE, document: { owner: OWNER, members: [] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    expect((err as CheckFailedError).failures).toEqual([{ property: "document", reason: expect.stringMatching(/^safety rail maxRemovals: .*removes or revokes 3 of 4 people/) }]);
    expect(wa.state).toBeNull();
    expect((await stage.ws.client.getWorkspace(WORKSPACE)).revision).toBe(revision);
  });

  it("a changed workspace is a replacement", async () => {
    await writeFile(path.join(stage.programDir, "access.yaml"), ACCESS_YAML);
    const wa = stage.resource("WorkspaceAccess", "access");
    await wa.register({ workspace: WORKSPACE, file: "access.yaml" });
    const text = await readFile(path.join(stage.programDir, "access.yaml"), "utf8");
    await writeFile(path.join(stage.programDir, "other.yaml"), text.replace(`workspace: ${WORKSPACE}`, "workspace: acme-staging"));
    const diff = await stage.host.diff(WORKSPACE, wa.urn, wa.state!.outputs, { ...wa.state!.inputs, workspace: "acme-staging", file: "other.yaml" });
    expect(diff.replaces).toEqual(["workspace"]);
  });

  it("a promise broken after the last change is caught by verification: an error naming it, the resource kept", async () => {
    await writeFile(path.join(stage.programDir, "access.yaml"), ACCESS_YAML);
    // Once the plan's three invitations have been answered, the next read (verification's
    // first) finds a member nobody planned: written straight into the database before the
    // server handles that read (prependListener), so no timing decides the outcome.
    let answered = 0;
    let seeded = false;
    stage.ws.server.app.server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === "POST" && req.url?.endsWith("/invitations")) res.on("finish", () => void (answered += 1));
      if (req.method === "GET" && answered === 3 && !seeded) {
        seeded = true;
        seedMembers(stage.ws.dbPath, { workspace: WORKSPACE, emails: ["intruder@acme.io"] });
      }
    });
    const wa = stage.resource("WorkspaceAccess", "access");
    const err = await wa.register({ workspace: WORKSPACE, file: "access.yaml" }).catch((e: unknown) => e);
    expect(seeded).toBe(true);
    expect(err).toBeInstanceOf(HostError);
    const message = (err as HostError).message;
    expect(message).toMatch(/applying the access document to acme-prod: applied, but not verified/);
    expect(message).toMatch(/intruder@acme\.io: promised nothing \(no member, no open invitation\); found a member as developer \(no history event found\) — a promise of the plan that did not hold/);
    expect(message).toMatch(/remove intruder@acme\.io.* — still to do/);
    // What was applied is recorded, so the next up converges.
    expect((err as HostError).initFailed?.id).toBe(WORKSPACE);
    expect((err as HostError).initFailed?.properties.lastApplied).toMatchObject({ createRole: 1, inviteMember: 3, total: 4 });
  });

  it("a partial apply is kept in state with what it did, and the next up converges it", async () => {
    // ops demotes itself (allowSelfChange; it sponsors no invitation) in the demotions phase; the
    // revocation after it then fails with 403, since ops no longer holds access:manage: one applied, one failed.
    await stage.ws.client.createInvitation(WORKSPACE, { email: "ops@acme.io", role: "account-admin" });
    await acceptInvitation(stage.ws, "ops@acme.io");
    await stage.ws.client.createInvitation(WORKSPACE, { email: "zoe@acme.io", role: "developer" });
    const opsToken = issueToken(stage.ws.dbPath, { workspace: WORKSPACE, email: "ops@acme.io" });
    const opsHost = await ProviderHost.start({ cwd: stage.programDir });
    try {
      await opsHost.configure({ "antryk:apiUrl": stage.ws.url, "antryk:token": secret(opsToken) });
      const document = {
        owner: OWNER,
        safety: { maxRemovals: 5 },
        members: [{ email: "ops@acme.io", role: "developer" }],
      };
      const inputs = { workspace: WORKSPACE, document, allowSelfChange: true };
      const asOps = new EngineResource(opsHost, RESOURCE_TYPES.WorkspaceAccess, "access", stage.texts.WorkspaceAccess);
      const err = await asOps.register(inputs).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostError);
      expect((err as HostError).message).toMatch(/1 applied, 1 failed, 0 skipped/);
      expect((err as HostError).message).toMatch(/revokeInvitation zoe@acme\.io failed: .*\(403 forbidden on POST [^)]*\)$/m);
      // One status per failure line.
      expect((err as HostError).message.match(/403 forbidden/g)).toHaveLength(1);
      expect((err as HostError).initFailed?.id).toBe(WORKSPACE);
      // lastApplied counts what was applied (the demotion), not the plan (two changes).
      expect((err as HostError).initFailed?.properties.lastApplied).toMatchObject({ updateMember: 1, revokeInvitation: 0, total: 1 });
      expect(asOps.state).toMatchObject({ id: WORKSPACE, outputs: { drift: { revokeInvitation: 1 } } });
      expect((await memberByEmail("ops@acme.io"))?.role).toBe("developer");

      const asOwner = stage.resource("WorkspaceAccess", "access");
      asOwner.state = asOps.state;
      expect(await asOwner.register(inputs)).toBe("update");
      expect((await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email).sort()).toEqual([]);
      expect(asOwner.state!.outputs).toMatchObject({ drift: { total: 0 } });
      expect(opsHost.transcript()).not.toContain(opsToken);
    } finally {
      await opsHost.stop();
    }
  });

  it("the self rail blocks demoting the token's own member unless allowSelfChange", async () => {
    await stage.ws.client.createInvitation(WORKSPACE, { email: "lead@acme.io", role: "account-admin" });
    await acceptInvitation(stage.ws, "lead@acme.io");
    const leadToken = issueToken(stage.ws.dbPath, { workspace: WORKSPACE, email: "lead@acme.io" });
    const leadHost = await ProviderHost.start({ cwd: stage.programDir });
    try {
      await leadHost.configure({ "antryk:apiUrl": stage.ws.url, "antryk:token": secret(leadToken) });
      // A role lead may grant (it holds both permissions) but that drops access:manage: a self-demotion.
      const document = {
        owner: OWNER,
        roles: { viewer: { permissions: ["deployments:read", "logs:read"] } },
        members: [{ email: "lead@acme.io", role: "viewer" }],
      };
      const wa = new EngineResource(leadHost, RESOURCE_TYPES.WorkspaceAccess, "access", stage.texts.WorkspaceAccess);
      const err = await wa.register({ workspace: WORKSPACE, document }).catch((e: unknown) => e);
      expect((err as CheckFailedError).failures).toEqual([{ property: "document", reason: expect.stringMatching(/^safety rail self: /) }]);
      expect((await memberByEmail("lead@acme.io"))?.role).toBe("account-admin");

      expect(await wa.register({ workspace: WORKSPACE, document, allowSelfChange: true })).toBe("create");
      expect((await memberByEmail("lead@acme.io"))?.role).toBe("viewer");
      expect(wa.state!.outputs).toMatchObject({ allowSelfChange: true });
    } finally {
      await leadHost.stop();
    }
  });
});
