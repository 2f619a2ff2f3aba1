import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_VERSION } from "../../../client/version.js";
import { managerOfUrn } from "../../../provider/manager.js";
import { EngineResource, HostError, isSecretValue, PROTO, REPO_ROOT, secret, type ProviderHost } from "../harness.js";
import { OWNER, startWorkspace, WORKSPACE, type Workspace } from "../fixtures.js";
import { checkConfig, configureProvider, diffConfig, EngineServer, startNative } from "./engine.js";

// The native plugin's own protocol, as the engine speaks it: plugin info and schema,
// the provider resource's CheckConfig / DiffConfig / Configure, detailed diffs,
// `pulumi import` (Read with only an id, then Check on what Read returned), Log
// through the engine with the URN, secrets, and Cancel. The lifecycle it shares with
// the dynamic door is test/provider/lifecycle.test.ts.

const { provproto, requireFromPulumi } = PROTO;
const emptyproto = requireFromPulumi("google-protobuf/google/protobuf/empty_pb.js");
const PROVIDER_URN = "urn:pulumi:test::antryk-access-test::pulumi:providers:antryk::default";

let ws: Workspace;
let engine: EngineServer;
let plugin: ProviderHost;
beforeAll(async () => {
  ws = await startWorkspace();
  engine = await EngineServer.start();
  plugin = await startNative(engine);
  await configureProvider(plugin, { apiUrl: ws.url, token: secret(ws.ownerToken) });
});
afterAll(async () => {
  await plugin.stop();
  await engine.stop();
  await ws.close();
});

const member = (name: string) => new EngineResource(plugin, "antryk:index:Member", name, null);

describe("pulumi-resource-antryk", () => {
  it("answers GetPluginInfo with the package version and GetSchema with schema/pulumi/schema.json", async () => {
    const info = await plugin.rpc<any>("getPluginInfo", new emptyproto.Empty());
    expect(info.getVersion()).toBe(PACKAGE_VERSION);
    const schema = await plugin.rpc<any>("getSchema", new provproto.GetSchemaRequest());
    expect(JSON.parse(schema.getSchema())).toEqual(JSON.parse(await readFile(path.join(REPO_ROOT, "schema/pulumi/schema.json"), "utf8")));
  });

  it("CheckConfig refuses a bad apiUrl and keeps the token secret; DiffConfig: a token rotation updates, an apiUrl change replaces", async () => {
    const bad = await checkConfig(plugin, PROVIDER_URN, {}, { apiUrl: "api.antryk.com", token: "t" });
    expect(bad.failures).toEqual([{ property: "apiUrl", reason: expect.stringContaining("http(s) URL") }]);
    const good = await checkConfig(plugin, PROVIDER_URN, {}, { apiUrl: ws.url, token: "plain-token" });
    expect(good.failures).toEqual([]);
    expect(isSecretValue(good.inputs.token)).toBe(true);

    const olds = { apiUrl: ws.url, token: secret("one") };
    expect(await diffConfig(plugin, PROVIDER_URN, olds, { apiUrl: ws.url, token: secret("one") })).toMatchObject({ changes: "none", replaces: [] });
    expect(await diffConfig(plugin, PROVIDER_URN, olds, { apiUrl: ws.url, token: secret("two") })).toEqual({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
      detailed: { token: "update" },
    });
    expect(await diffConfig(plugin, PROVIDER_URN, olds, { apiUrl: "https://other.example", token: secret("one") })).toMatchObject({
      changes: "some",
      replaces: ["apiUrl"],
      detailed: { apiUrl: "update-replace" },
    });
    // The token is answered only inside the secret envelope, which the engine stores encrypted.
    expect(good.inputs.token).toEqual(secret("plain-token"));
  });

  it("imports a member as `pulumi import antryk:index:Member gus acme-prod/gus@acme.io` does: Read with only the id, then Check on its inputs", async () => {
    await ws.client.createInvitation(WORKSPACE, { email: "gus@acme.io", role: "developer", permissions: ["domains:manage"] });
    const gus = member("gus");
    const read = await plugin.read("acme-prod/gus@acme.io", gus.urn, {});
    expect(read.id).toBe("acme-prod/gus@acme.io");
    expect(read.inputs).toEqual({ workspace: WORKSPACE, email: "gus@acme.io", role: "developer", permissions: ["domains:manage"] });
    // The manager id is derived from the URN: an output, never an input the generated code would carry.
    expect(read.properties).toMatchObject({ status: "pending", invitationId: expect.any(String), manager: managerOfUrn(gus.urn) });
    const checked = await plugin.check(gus.urn, read.inputs!, read.inputs!);
    expect(checked).toEqual({ inputs: read.inputs, failures: [] });

    // The imported resource in the program, with the inputs the generated code has: nothing to change.
    expect(await gus.import("acme-prod/gus@acme.io")).toEqual([]);
    expect(await gus.register(read.inputs!)).toBe("same");
  });

  it("imports a custom role by <workspace>/<roleName>; an unknown id does not exist; a malformed id says the format", async () => {
    await ws.client.putRole(WORKSPACE, "auditor", { description: "Reads logs", permissions: ["logs:read"] });
    const role = new EngineResource(plugin, "antryk:index:CustomRole", "auditor", null);
    expect(await role.import("acme-prod/auditor")).toEqual([]);
    expect(role.state!.inputs).toEqual({ workspace: WORKSPACE, roleName: "auditor", description: "Reads logs", permissions: ["logs:read"] });
    await expect(member("nobody").import("acme-prod/nobody@acme.io")).rejects.toThrow("resource 'acme-prod/nobody@acme.io' does not exist");
    const malformed = await member("bad").import("gus@acme.io").catch((e: unknown) => e);
    expect((malformed as HostError).message).toBe("the import id of an antryk:index:Member is <workspace>/<email> (for example acme-prod/gus@acme.io), not \"gus@acme.io\"");
  });

  it("imports a WorkspaceAccess by its workspace: the live counts, and a Check that asks for the document (the import records no file)", async () => {
    const wa = new EngineResource(plugin, "antryk:index:WorkspaceAccess", "imported", null);
    const failures = await wa.import(WORKSPACE);
    expect(wa.state).toMatchObject({ id: WORKSPACE, inputs: { workspace: WORKSPACE }, outputs: { owner: OWNER, driftKnown: false } });
    // The engine prints these as warnings and imports anyway; the docs say to add `file` or `document` to the generated code.
    expect(failures).toEqual([{ property: "file", reason: expect.stringContaining("exactly one of file") }]);
  });

  it("sends detailed diffs: a role change is an update of role, an email change replaces on email", async () => {
    const m = member("kim");
    const inputs = { workspace: WORKSPACE, email: "kim@acme.io", role: "developer" };
    await m.register(inputs);
    expect(await m.previewDiff({ ...inputs, role: "account-admin" })).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false, detailed: { role: "update" } });
    expect(await m.previewDiff({ ...inputs, email: "kim@acme.com" })).toEqual({
      changes: "some",
      replaces: ["email"],
      deleteBeforeReplace: false,
      detailed: { email: "update-replace" },
    });
    expect(await m.previewDiff(inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false, detailed: {} });
  });

  it("logs a preview's plan through the engine's Log with the resource's URN, and never the token", async () => {
    const wa = new EngineResource(plugin, "antryk:index:WorkspaceAccess", "prod", null);
    const from = engine.entries.length;
    await wa.checkOnly({ workspace: WORKSPACE, document: { owner: OWNER, mode: "additive", members: [{ email: "lu@acme.io", role: "developer" }] } });
    const entries = engine.entries.slice(from);
    expect(entries).toEqual([{ severity: "info", urn: wa.urn, message: "antryk-access WorkspaceAccess acme-prod: Plan: 1 to invite, 0 to update, 0 to remove." }]);
    // Nothing of the report reaches stdout, which the engine hides for a native plugin.
    expect(plugin.output()).not.toContain("Plan:");
    expect(plugin.transcript() + engine.text()).not.toContain(ws.ownerToken);
  });

  it("a secret document stays secret in the checked inputs, and what the outputs derive from it is secret", async () => {
    const wa = new EngineResource(plugin, "antryk:index:WorkspaceAccess", "hidden", null);
    const document = secret({ owner: OWNER, mode: "additive", safety: { maxRemovals: 5 }, members: [{ email: "hidden@acme.io", role: "developer" }] });
    const checked = await wa.checkOnly({ workspace: WORKSPACE, document, removeOnDelete: true });
    expect(isSecretValue(checked.inputs.document)).toBe(true);
    expect(checked.inputs.documentSecret).toBe(true);
    await wa.register({ workspace: WORKSPACE, document, removeOnDelete: true });
    for (const key of ["warnings", "driftChanges", "managed"]) expect(isSecretValue(wa.state!.outputs[key])).toBe(true);
    expect(wa.state!.outputs).not.toHaveProperty("document");
  });

  it("refresh of a document resource reports the drift (the engine hands the native Read the inputs, document included)", async () => {
    const wa = new EngineResource(plugin, "antryk:index:WorkspaceAccess", "refreshed", null);
    const inputs = { workspace: WORKSPACE, document: { owner: OWNER, mode: "additive", members: [{ email: "rio@acme.io", role: "developer" }] } };
    await wa.register(inputs);
    const inv = (await ws.client.listInvitations(WORKSPACE, { status: "pending" })).find((i) => i.email === "rio@acme.io")!;
    await ws.client.revokeInvitation(WORKSPACE, inv.id, { ifMatch: inv.version, idempotencyKey: "hand-revoke-rio" });
    await wa.refresh();
    expect(wa.state!.outputs).toMatchObject({ driftKnown: true, drift: { total: 1, inviteMember: 1 }, driftChanges: ["inviteMember rio@acme.io"] });
    expect(wa.state!.outputs).not.toHaveProperty("document");
  });

  it("tokenConfig belongs to the dynamic resources: the native one says to use a provider instance", async () => {
    const checked = await member("tc").checkOnly({ workspace: WORKSPACE, email: "tc@acme.io", role: "developer", tokenConfig: "antryk:sandboxToken" });
    expect(checked.failures).toContainEqual({ property: "tokenConfig", reason: expect.stringContaining("new antryk.Provider") });
  });

  it("after Cancel, no further change is made", async () => {
    const other = await startNative(engine);
    try {
      await configureProvider(other, { apiUrl: ws.url, token: secret(ws.ownerToken) });
      await other.rpc("cancel", new emptyproto.Empty());
      const m = new EngineResource(other, "antryk:index:Member", "late", null);
      await expect(m.register({ workspace: WORKSPACE, email: "late@acme.io", role: "developer" })).rejects.toThrow(/cancelled; nothing more was changed/);
      expect((await ws.client.listInvitations(WORKSPACE, { status: "pending" })).map((i) => i.email)).not.toContain("late@acme.io");
    } finally {
      await other.stop();
    }
  });
});
