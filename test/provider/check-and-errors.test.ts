import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CheckFailedError, HostError, secret, stripAntrykEnv } from "./harness.js";
import { OWNER, startStage, WORKSPACE, type Stage } from "./fixtures.js";

/** UNKNOWN is the engine's marker for a value computed later (pulumi's rpc.unknownValue). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Check failures, API failures and credentials, through the real dynamic-provider host.

describe("check", () => {
  // Check makes no API call: one workspace and one host serve every case.
  let stage: Stage;
  beforeAll(async () => {
    stage = await startStage();
  });
  afterAll(async () => {
    await stage.close();
  });

  it("reports the file's diagnostics on `file`, each as validate prints it", async () => {
    await writeFile(
      path.join(stage.programDir, "access.yaml"),
      `version: 1\nworkspace: ${WORKSPACE}\nowner: ${OWNER}\nmembers:\n  - email: bob@acme.io\n    role: developer\n    permissions: [deploy:create]\n  - email: not-an-email\n    role: developer\n`,
    );
    const wa = stage.resource("WorkspaceAccess", "access");
    const { failures } = await wa.checkOnly({ workspace: WORKSPACE, file: "access.yaml" });
    expect(failures.map((f) => f.property)).toEqual(["file", "file"]);
    expect(failures[0]!.reason).toMatch(/^access\.yaml:7:\d+ error unknown-permission .*deploy:create.*did you mean "deployments:create"/);
    expect(failures[1]!.reason).toMatch(/^access\.yaml:8:\d+ error invalid-email /);
    await expect(wa.register({ workspace: WORKSPACE, file: "access.yaml" })).rejects.toBeInstanceOf(CheckFailedError);
    expect(await stage.ws.client.listInvitations(WORKSPACE)).toEqual([]);
  });

  it("reports a document's diagnostics on their property paths", async () => {
    const wa = stage.resource("WorkspaceAccess", "access");
    const { failures } = await wa.checkOnly({
      workspace: WORKSPACE,
      document: {
        owner: OWNER,
        members: [
          { email: "alice@acme.io", role: "account-admin" },
          { email: "bob@acme.io", role: "developer", permissions: ["billing:manage"] },
        ],
      },
    });
    expect(failures).toEqual([
      { property: "document.members[1].permissions[0]", reason: expect.stringMatching(/^error owner-only-permission /) },
    ]);
  });

  it.each([
    ["neither file nor document", { workspace: WORKSPACE }, "file", /exactly one of file .* or document/],
    ["both file and document", { workspace: WORKSPACE, file: "a.yaml", document: {} }, "document", /exactly one of/],
    ["no workspace", { file: "a.yaml" }, "workspace", /workspace is required/],
    ["a missing file", { workspace: WORKSPACE, file: "missing.yaml" }, "file", /missing\.yaml/],
    ["another workspace", { workspace: "acme-staging", document: { workspace: WORKSPACE, owner: OWNER } }, "workspace", /manages workspace "acme-prod", not "acme-staging"/],
  ])("WorkspaceAccess: %s", async (_name, inputs, property, reason) => {
    const { failures } = await stage.resource("WorkspaceAccess", "access").checkOnly(inputs);
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
  });

  it.each([
    ["a bad email", { email: "bob(at)acme.io", role: "developer" }, "email", /invalid-email/],
    ["an unknown permission", { email: "bob@acme.io", role: "developer", permissions: ["logs:read", "deploy:create"] }, "permissions[1]", /unknown-permission .*deployments:create/],
    ["the owner role", { email: "bob@acme.io", role: "owner" }, "role", /^error role-assigned-owner .*the owner role is not assignable/],
    ["an owner-only grant", { email: "bob@acme.io", role: "developer", permissions: ["ownership:transfer"] }, "permissions[0]", /owner-only-permission/],
  ])("Member: %s", async (_name, inputs, property, reason) => {
    const { failures } = await stage.resource("Member", "m").checkOnly({ workspace: WORKSPACE, ...inputs });
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
  });

  it("Member: a custom role name passes check (the workspace defines it)", async () => {
    const { failures, inputs } = await stage.resource("Member", "m").checkOnly({ workspace: WORKSPACE, email: "B@Acme.io", role: "release-manager", permissions: ["logs:read", "config:read"] });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ email: "b@acme.io", permissions: ["logs:read", "config:read"] });
  });

  it("a preview with inputs not yet known skips what it cannot check, and diff reports changes", async () => {
    const wa = stage.resource("WorkspaceAccess", "unknown");
    expect((await wa.checkOnly({ workspace: WORKSPACE, document: { owner: OWNER, members: [{ email: UNKNOWN, role: "developer" }] } })).failures).toEqual([]);
    const m = stage.resource("Member", "unknown");
    expect((await m.checkOnly({ workspace: WORKSPACE, email: "bob@acme.io", role: UNKNOWN })).failures).toEqual([]);
    const olds = { workspace: WORKSPACE, email: "bob@acme.io", role: "developer", permissions: [], __provider: stage.texts.Member };
    const diff = await stage.host.diff(`${WORKSPACE}/bob@acme.io`, m.urn, olds, { ...olds, role: UNKNOWN });
    expect(diff).toMatchObject({ changes: "some", replaces: [] });
  });

  it.each([
    ["a reserved name", { roleName: "developer", permissions: ["logs:read"] }, "roleName", /reserved-role-name/],
    ["an invalid name", { roleName: "Release Manager", permissions: ["logs:read"] }, "roleName", /invalid-role-name/],
    ["an owner-only permission", { roleName: "payer", permissions: ["billing:manage"] }, "permissions[0]", /owner-only-permission/],
    ["no permissions", { roleName: "empty" }, "permissions", /permissions is required/],
  ])("CustomRole: %s", async (_name, inputs, property, reason) => {
    const { failures } = await stage.resource("CustomRole", "r").checkOnly({ workspace: WORKSPACE, ...inputs });
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
  });
});

describe("API failures and credentials", () => {
  let stage: Stage | undefined;
  afterEach(async () => {
    await stage?.close();
    stage = undefined;
  });

  it("a rejected token is one clear error, and the token is not in it", async () => {
    const bogus = `ak_${"7".repeat(43)}`;
    stage = await startStage({ config: (ws) => ({ "antryk:apiUrl": ws.url, "antryk:token": secret(bogus) }) });
    const m = stage.resource("Member", "m");
    const err = await m.register({ workspace: WORKSPACE, email: "bob@acme.io", role: "developer" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).message).toMatch(/^(?!error:).*(401|unauthorized|token)/i);
    expect((err as HostError).message).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(stage.host.transcript() + stage.host.output()).not.toContain(bogus);
  });

  it("an unreachable API is a clear error", async () => {
    stage = await startStage({ config: () => ({ "antryk:apiUrl": "http://127.0.0.1:9", "antryk:token": secret("atk_x") }) });
    const err = await stage.resource("CustomRole", "r").register({ workspace: WORKSPACE, roleName: "auditor", permissions: ["logs:read"] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).message).toMatch(/^(?!error:).*127\.0\.0\.1:9/);
  });

  it("no token anywhere says how to set one", async () => {
    stage = await startStage({ config: (ws) => ({ "antryk:apiUrl": ws.url }) });
    const err = await stage.resource("Member", "m").register({ workspace: WORKSPACE, email: "bob@acme.io", role: "developer" }).catch((e: unknown) => e);
    expect((err as HostError).message).toMatch(/no API token for http:\/\/127\.0\.0\.1:\d+: run `pulumi config set --secret antryk:token/);
  });

  it("ANTRYK_API_URL and ANTRYK_TOKEN in the host's environment work without stack config", async () => {
    stage = await startStage({
      config: () => ({}),
      env: (ws) => ({ ...stripAntrykEnv(process.env), ANTRYK_API_URL: ws.url, ANTRYK_TOKEN: ws.ownerToken }),
    });
    const r = stage.resource("CustomRole", "r");
    expect(await r.register({ workspace: WORKSPACE, roleName: "auditor", permissions: ["logs:read"] })).toBe("create");
    expect(stage.host.transcript()).not.toContain(stage.ws.ownerToken);
  });

  it("the token never appears in any property, answer or log of a full sequence", async () => {
    stage = await startStage();
    const token = stage.ws.ownerToken;
    const m = stage.resource("Member", "m");
    await m.register({ workspace: WORKSPACE, email: "bob@acme.io", role: "developer" });
    await m.refresh();
    await m.register({ workspace: WORKSPACE, email: "bob@acme.io", role: "account-admin" });
    const r = stage.resource("CustomRole", "r");
    await r.register({ workspace: WORKSPACE, roleName: "auditor", permissions: ["logs:read"] });
    const wa = stage.resource("WorkspaceAccess", "wa");
    await wa.register({ workspace: WORKSPACE, document: { owner: OWNER, mode: "additive", members: [{ email: "bob@acme.io", role: "account-admin" }] } });
    await wa.refresh();
    await m.destroy();
    await r.destroy();
    await wa.destroy();
    const everything = stage.host.transcript() + stage.host.output();
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(token);
    for (const state of [m.state, r.state, wa.state]) expect(JSON.stringify(state ?? {})).not.toContain(token);
  });
});
