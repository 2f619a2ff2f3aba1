import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../client/index.js";
import { initWorkspace } from "../../server/index.js";
import { HostError, secret } from "./harness.js";
import { OWNER, startStage, WORKSPACE, type Stage } from "./fixtures.js";

// Credentials per workspace, each bound to the URL configured with it: a resource names
// the config key of its token (tokenConfig), never the token; an apiUrl input that
// differs from the credential's URL is refused before any request.

const SANDBOX = "acme-sandbox";

let stage: Stage | undefined;
let trap: Server | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
  await new Promise<void>((resolve) => (trap ? trap.close(() => resolve()) : resolve()));
  trap = undefined;
});

/** listen starts a server that records every request it gets (a stranger's API). */
async function listen(): Promise<{ url: string; requests: { url: string; authorization: string | undefined }[] }> {
  const requests: { url: string; authorization: string | undefined }[] = [];
  trap = createServer((req, res) => {
    requests.push({ url: req.url ?? "", authorization: req.headers.authorization });
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"no"}}');
  });
  await new Promise<void>((resolve) => trap!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(trap.address() as AddressInfo).port}`, requests };
}

describe("credentials", () => {
  it.each(["Member", "CustomRole", "WorkspaceAccess"] as const)("%s: an apiUrl other than the credential's URL is refused and receives no request", async (kind) => {
    stage = await startStage();
    const stranger = await listen();
    const inputs = {
      Member: { workspace: WORKSPACE, email: "bob@acme.io", role: "developer", apiUrl: stranger.url },
      CustomRole: { workspace: WORKSPACE, roleName: "auditor", permissions: ["logs:read"], apiUrl: stranger.url },
      WorkspaceAccess: { workspace: WORKSPACE, document: { owner: OWNER, mode: "additive" }, apiUrl: stranger.url },
    }[kind];
    const err = await stage.resource(kind, "r").register(inputs).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`apiUrl ${stranger.url} is not the URL configured for antryk:token \\(${stage.ws.url}\\); a token is only sent to the URL configured with it`));
    expect(stranger.requests).toEqual([]);
    expect(stage.host.transcript() + stage.host.output()).not.toContain(stage.ws.ownerToken);
  });

  it("an apiUrl equal to the credential's URL is accepted (an assertion, not a destination)", async () => {
    stage = await startStage();
    const m = stage.resource("Member", "m");
    expect(await m.register({ workspace: WORKSPACE, email: "bob@acme.io", role: "developer", apiUrl: `${stage.ws.url}/` })).toBe("create");
  });

  it("two workspaces, two tokens: each resource sends only the token its tokenConfig names, to that token's URL", async () => {
    let sandboxToken = "";
    stage = await startStage({
      config: (ws) => {
        sandboxToken = initWorkspace(ws.dbPath, { workspace: SANDBOX, owner: "lab-owner@acme.io" });
        return { "antryk:apiUrl": ws.url, "antryk:token": secret(ws.ownerToken), "antryk:sandboxToken": secret(sandboxToken) };
      },
    });
    const prod = stage.resource("WorkspaceAccess", "prod");
    expect(await prod.register({ workspace: WORKSPACE, document: { owner: OWNER, members: [{ email: "alice@acme.io", role: "account-admin" }] } })).toBe("create");
    const role = stage.resource("CustomRole", "sandbox-rm");
    expect(await role.register({ workspace: SANDBOX, roleName: "release-manager", permissions: ["logs:read"], tokenConfig: "antryk:sandboxToken" })).toBe("create");
    const dana = stage.resource("Member", "sandbox-dana");
    expect(await dana.register({ workspace: SANDBOX, email: "dana@acme.io", role: "release-manager", tokenConfig: "antryk:sandboxToken" })).toBe("create");
    // Without tokenConfig the stack token is used, and it belongs to the other workspace.
    const wrong = await stage.resource("Member", "wrong").register({ workspace: SANDBOX, email: "eve@acme.io", role: "developer" }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(HostError);
    expect((wrong as HostError).message).toMatch(/403|404/);

    const sandbox = createClient({ baseUrl: stage.ws.url, token: sandboxToken });
    try {
      expect((await sandbox.listInvitations(SANDBOX, { status: "pending" })).map((i) => [i.email, i.role])).toEqual([["dana@acme.io", "release-manager"]]);
    } finally {
      await sandbox.close();
    }
    expect(await prod.previewDiff({ workspace: WORKSPACE, document: { owner: OWNER, members: [{ email: "alice@acme.io", role: "account-admin" }] } })).toMatchObject({ changes: "none" });
    for (const r of [prod, role, dana]) expect(JSON.stringify(r.state)).not.toMatch(/ak_|atk_/);
    expect(stage.host.transcript() + stage.host.output()).not.toContain(sandboxToken);
  });

  it("a named credential that is not set says which key to set", async () => {
    stage = await startStage();
    const err = await stage.resource("Member", "m").register({ workspace: WORKSPACE, email: "bob@acme.io", role: "developer", tokenConfig: "antryk:labToken" }).catch((e: unknown) => e);
    expect((err as HostError).message).toMatch(/no API token for http:\/\/127\.0\.0\.1:\d+: run `pulumi config set --secret antryk:labToken …`/);
    const bad = await stage.resource("Member", "m2").checkOnly({ workspace: WORKSPACE, email: "bob@acme.io", role: "developer", tokenConfig: "aws:secretKey" });
    expect(bad.failures).toEqual([{ property: "tokenConfig", reason: expect.stringMatching(/like "antryk:sandboxToken"/) }]);
  });
});
