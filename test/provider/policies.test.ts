import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckFailedError, HostError } from "./harness.js";
import { OWNER, startStage, WORKSPACE, type Stage } from "./fixtures.js";

/**
 * The Pulumi WorkspaceAccess enforces error-severity policies like safety rails, through
 * the real dynamic-provider host: a new resource's check plans against the workspace and
 * fails on a policy the workspace after the plan breaks; an existing resource's check
 * judges the document's own people offline (on the person's property path); and an
 * update refuses a plan a policy blocks, changing nothing.
 */

const NO_EXTERNAL_ADMINS = [
  { name: "no-external-admins", match: { emailDomainNot: ["acme.io"] }, deny: { permissions: ["access:manage", "billing:read", "settings:manage"] } },
  { name: "externals-expire", severity: "warning", match: { emailDomainNot: ["acme.io"] }, require: { expires: true } },
];

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
});
afterAll(async () => {
  await stage.close();
});

describe("WorkspaceAccess and policies", () => {
  it("a new resource: check fails on a policy the workspace after the plan breaks (additive mode keeps a live external admin)", async () => {
    await stage.ws.client.createInvitation(WORKSPACE, { email: "x@ext.dev", role: "account-admin" });
    const wa = stage.resource("WorkspaceAccess", "adopt");
    const document = { owner: OWNER, mode: "additive", members: [{ email: "bob@acme.io", role: "developer" }], policies: NO_EXTERNAL_ADMINS };
    const from = stage.host.output().length;
    const { failures } = await wa.checkOnly({ workspace: WORKSPACE, document });
    // The host's stdout (the engine's diagnostic log) can arrive after its answer: wait for the warning's line.
    const log = await stage.host.outputAfter(from, "policy warning");
    expect(log).toMatch(/^antryk-access WorkspaceAccess acme-prod: blocked by policy:no-external-admins: x@ext\.dev holds access:manage/m);
    expect(log).toMatch(/^antryk-access WorkspaceAccess acme-prod: policy warning policy:externals-expire: x@ext\.dev has no expires date \(access must be time-bound\) \(already violated live; this plan does not fix it\)$/m);
    expect(failures).toEqual([
      {
        property: "document",
        reason: "safety rail policy:no-external-admins: x@ext.dev holds access:manage, billing:read, settings:manage, which this policy denies (already so in the live workspace; this plan does not fix it)",
      },
    ]);
    await expect(wa.register({ workspace: WORKSPACE, document })).rejects.toBeInstanceOf(CheckFailedError);
    expect((await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email)).toEqual(["x@ext.dev"]);
    const inv = (await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" }))[0]!;
    await stage.ws.client.revokeInvitation(WORKSPACE, inv.id, { ifMatch: inv.version, idempotencyKey: "policies-revoke-x" });
  });

  it("an existing resource: a document that makes a contractor an admin fails check on that person's entry; the workspace does not change", async () => {
    const wa = stage.resource("WorkspaceAccess", "pr");
    const document = (role: string) => ({
      owner: OWNER,
      mode: "additive",
      members: [
        { email: "ops@acme.io", role: "account-admin" },
        { email: "eve@contractor.dev", role, expires: "2099-01-31" },
      ],
      policies: NO_EXTERNAL_ADMINS,
    });
    expect(await wa.register({ workspace: WORKSPACE, document: document("developer") })).toBe("create");
    const { failures } = await wa.checkOnly({ workspace: WORKSPACE, document: document("account-admin") });
    expect(failures).toEqual([
      { property: "document.members[1]", reason: "error policy:no-external-admins eve@contractor.dev holds access:manage, billing:read, settings:manage, which this policy denies" },
    ]);
    const eve = (await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).find((i) => i.email === "eve@contractor.dev");
    expect(eve?.role).toBe("developer");
  });

  it("an update the policy blocks (a live admin the document does not name) refuses and changes nothing", async () => {
    const wa = stage.resource("WorkspaceAccess", "update");
    const document = { owner: OWNER, mode: "additive", members: [{ email: "dan@acme.io", role: "developer" }], policies: NO_EXTERNAL_ADMINS };
    expect(await wa.register({ workspace: WORKSPACE, document })).toBe("create");
    await stage.ws.client.createInvitation(WORKSPACE, { email: "y@ext.dev", role: "account-admin" });
    const err = await wa.register({ workspace: WORKSPACE, document: { ...document, members: [{ email: "dan@acme.io", role: "developer", permissions: ["logs:read"] }] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).message).toMatch(/blocked by \d+ safety rails?[\s\S]*policy:no-external-admins: y@ext\.dev holds access:manage/);
    const dan = (await stage.ws.client.listInvitations(WORKSPACE, { status: "pending" })).find((i) => i.email === "dan@acme.io");
    expect(dan?.permissions).toEqual([]);
  });
});
