import { createServer } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client/index.js";
import { ApiError } from "../../errors.js";
import { fetchWorkspaceState } from "../../reconciler/fetch.js";
import { noSleep, startFixture, type Fixture } from "./fixture.js";

/** everything a caller could print or keep of an error: message, JSON, inspect with hidden fields and causes, stack. */
function exposed(value: unknown): string {
  return [
    String(value),
    JSON.stringify(value),
    inspect(value, { depth: 20, showHidden: true }),
    value instanceof Error ? String(value.stack) : "",
  ].join("\n");
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

/** freePort returns a loopback port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("the client against a workspace of 2,500 members", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ seed: 2_500 });
  });
  afterAll(async () => fx.close());

  it("reads every member in pages of 1,000, counting one GET per page", async () => {
    const client = fx.client();
    const members = await client.listMembers(fx.workspace);
    expect(members).toHaveLength(2_501);
    expect(new Set(members.map((m) => m.id)).size).toBe(2_501);
    expect(client.calls).toEqual({ GET: 3, POST: 0, PATCH: 0, PUT: 0, DELETE: 0, reads: 3, writes: 0, retries: 0 });
  });

  it("fetchWorkspaceState reads everything in 9 reads and no write, over one kept-alive pool", async () => {
    const client = fx.client();
    const before = fx.connections();
    const live = await fetchWorkspaceState(client, fx.workspace);
    expect(live.members).toHaveLength(2_501);
    expect(live.caller.email).toBe(fx.owner);
    expect(live.workspace.owner).toBe(fx.owner);
    expect(live.roles.every((r) => !r.builtIn)).toBe(true);
    expect(live.digest).toMatch(/^[0-9a-f]{64}$/);
    // workspace, me, roles, 3 member pages, one list per pending/expired/revoked status
    expect(client.calls.reads).toBe(9);
    expect(client.calls.writes).toBe(0);
    const again = await fetchWorkspaceState(client, fx.workspace);
    expect(again.digest).toBe(live.digest);
    expect(fx.connections() - before).toBeLessThanOrEqual(8); // at most the 7 parallel reads, then reused
    for (let i = 0; i < 20; i += 1) await client.getWorkspace(fx.workspace);
    expect(fx.connections() - before).toBeLessThanOrEqual(8);
  });

  it("resetCalls starts the counts over", async () => {
    const client = fx.client();
    await client.getMe(fx.workspace);
    client.resetCalls();
    expect(client.calls.reads).toBe(0);
  });
});

describe("the client's errors, idempotency keys and preconditions", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ seed: 3, devOutbox: true });
  });
  afterAll(async () => fx.close());

  it("answers a typed ApiError with status, code, method, path and request id", async () => {
    const client = fx.client();
    const err = await caught(client.getWorkspace("no-such-workspace"));
    expect(err.status).toBe(404);
    expect(err.code).toBe("not_found");
    expect(err.request.method).toBe("GET");
    expect(err.request.path).toBe("/v1/workspaces/no-such-workspace");
    expect(err.request.requestId).toMatch(/\S/);
    expect(err.message).toContain("404 not_found on GET /v1/workspaces/no-such-workspace");
    expect(client.calls.retries).toBe(0);
  });

  it("never puts the token in an error or in anything the client exposes", async () => {
    const client = fx.client();
    const developerToken = fx.tokenFor("member00000@acme.io");
    const developer = fx.client({ token: developerToken });
    const wrong = fx.client({ token: `${fx.token}x` });
    const unreachable = createClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, token: fx.token, sleep: noSleep, retry: { retries: 1 } });
    const errors = [
      await caught(developer.createInvitation(fx.workspace, { email: "new@acme.io", role: "developer" })),
      await caught(wrong.getWorkspace(fx.workspace)),
      await caught(client.getWorkspace("nope")),
      await caught(client.createInvitation(fx.workspace, { email: "not-an-email", role: "developer" })),
      await caught(unreachable.getWorkspace(fx.workspace)),
    ];
    expect(errors.map((e) => e.status)).toEqual([403, 401, 404, 400, 0]);
    for (const err of errors) {
      const text = exposed(err);
      expect(text).not.toContain(fx.token);
      expect(text).not.toContain(developerToken);
    }
    for (const c of [client, developer, wrong, unreachable]) {
      expect(exposed(c)).not.toContain(fx.token);
      expect(exposed(c)).not.toContain(developerToken);
      expect(exposed(c.calls)).not.toContain(fx.token);
    }
    await unreachable.close();
  });

  it("names the URL it cannot reach, retries network errors, and gives up with status 0", async () => {
    const port = await freePort();
    const sleeps: number[] = [];
    const client = createClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: fx.token,
      retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const err = await caught(client.getWorkspace(fx.workspace));
    expect(err.status).toBe(0);
    expect(err.code).toBe("network_error");
    expect(err.message).toBe(`cannot reach the Antryk API at http://127.0.0.1:${port}: connect ECONNREFUSED`);
    expect(sleeps).toEqual([50, 100, 200]); // full jitter at random 0.5: half of 100, 200, 400
    expect(client.calls).toMatchObject({ GET: 1, reads: 1, retries: 3 });
    await client.close();
  });

  it("gives up on a peer that accepts the connection but never answers, after timeoutMs", async () => {
    const sockets: import("node:net").Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token: fx.token, timeoutMs: 300, retry: { retries: 1 }, sleep: noSleep });
    const err = await caught(client.getWorkspace(fx.workspace));
    expect([err.status, err.code]).toEqual([0, "network_error"]);
    expect(err.message).toBe(`cannot reach the Antryk API at http://127.0.0.1:${port}: no answer within 300 ms`);
    expect(client.calls.retries).toBe(1);
    expect(exposed(err)).not.toContain(fx.token);
    await client.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("a repeated POST with the same Idempotency-Key replays the first answer; another key is a 409", async () => {
    const client = fx.client();
    const body = { email: "Twice@Acme.io", role: "developer", permissions: ["domains:manage"] };
    const first = await client.createInvitation(fx.workspace, body, { idempotencyKey: "test-key-1" });
    const second = await client.createInvitation(fx.workspace, body, { idempotencyKey: "test-key-1" });
    expect(second.id).toBe(first.id);
    expect(second.sendCount).toBe(1);
    const conflict = await caught(client.createInvitation(fx.workspace, body, { idempotencyKey: "test-key-2" }));
    expect(conflict.status).toBe(409);
    expect(conflict.code).toBe("invitation_pending");
    const pending = (await client.listInvitations(fx.workspace, { status: "pending" })).filter((i) => i.email === "twice@acme.io");
    expect(pending).toHaveLength(1);
    expect(client.calls.POST).toBe(3);
  });

  it("sends If-Match on updates: a stale version is a 412, not retried", async () => {
    const client = fx.client();
    const inv = await client.createInvitation(fx.workspace, { email: "ifmatch@acme.io", role: "developer" });
    const updated = await client.updateInvitation(fx.workspace, inv.id, { role: "account-admin" }, { ifMatch: inv.version });
    expect(updated.role).toBe("account-admin");
    expect(updated.version).toBeGreaterThan(inv.version);
    const stale = await caught(client.updateInvitation(fx.workspace, inv.id, { role: "developer" }, { ifMatch: inv.version }));
    expect(stale.status).toBe(412);
    expect(stale.code).toBe("precondition_failed");
    expect(client.calls.retries).toBe(0);
    const resent = await caught(client.resendInvitation(fx.workspace, inv.id, { ifMatch: inv.version }));
    expect(resent.status).toBe(412);
    const revoked = await client.revokeInvitation(fx.workspace, inv.id, { ifMatch: updated.version });
    expect(revoked.status).toBe("revoked");
  });

  it("covers the member, role, accept, audit and outbox routes", async () => {
    const client = fx.client();
    const role = await client.putRole(fx.workspace, "qa", { description: "Tests things", permissions: ["logs:read"] });
    expect(role).toMatchObject({ name: "qa", builtIn: false });
    const replaced = await client.putRole(fx.workspace, "qa", { description: "Tests", permissions: ["logs:read", "deployments:read"] }, { ifMatch: role.version! });
    expect(replaced.permissions).toEqual(expect.arrayContaining(["logs:read", "deployments:read"]));
    const members = await client.listMembers(fx.workspace);
    const dev = members.find((m) => m.email === "member00001@acme.io")!;
    const moved = await client.updateMember(fx.workspace, dev.id, { role: "qa" }, { ifMatch: dev.version });
    expect(moved.role).toBe("qa");
    const inUse = await caught(client.deleteRole(fx.workspace, "qa", { ifMatch: replaced.version! }));
    expect([inUse.status, inUse.code]).toEqual([409, "role_in_use"]);
    await client.removeMember(fx.workspace, dev.id, { ifMatch: moved.version });
    await client.deleteRole(fx.workspace, "qa", { ifMatch: replaced.version! });
    expect((await client.listRoles(fx.workspace)).map((r) => r.name)).not.toContain("qa");
    expect((await client.listPermissions(fx.workspace)).map((p) => p.id)).toContain("access:manage");

    const inv = await client.createInvitation(fx.workspace, { email: "joiner@acme.io", role: "developer" });
    const message = (await client.devOutbox(fx.workspace)).find((m) => m.invitationId === inv.id)!;
    const invitee = createClient({ baseUrl: fx.url, sleep: noSleep });
    const joined = await invitee.acceptInvitation(message.token);
    expect(joined.email).toBe("joiner@acme.io");
    await invitee.close();
    expect((await client.getInvitation(fx.workspace, inv.id)).status).toBe("accepted");

    const page = await client.listAudit(fx.workspace, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    const all = await client.listAllAudit(fx.workspace);
    expect(all.map((e) => e.action)).toEqual(expect.arrayContaining(["role.created", "member.updated", "member.removed", "role.deleted", "invitation.accepted"]));
    expect(exposed(all)).not.toContain(fx.token);
  });

  it("close() ends the pool; later calls fail as network errors without retrying", async () => {
    const client = fx.client();
    await client.getWorkspace(fx.workspace);
    await client.close();
    const err = await caught(client.getWorkspace(fx.workspace));
    expect(err.code).toBe("network_error");
    expect(err.message).toContain("the client is closed");
  });
});

describe("the client against injected faults (30 % of requests fail with 500, 503, 429 or a dropped connection)", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ faults: { fraction: 0.3, seed: 7 } });
  });
  afterAll(async () => fx.close());

  it("retries until every read succeeds, honouring Retry-After, counting each call once", async () => {
    const sleeps: number[] = [];
    const client = fx.client({ random: () => 0.25, sleep: async (ms) => void sleeps.push(ms), retry: { retries: 12 } });
    for (let i = 0; i < 60; i += 1) expect((await client.getWorkspace(fx.workspace)).name).toBe(fx.workspace);
    expect(client.calls.GET).toBe(60);
    expect(client.calls.retries).toBeGreaterThan(5);
    expect(client.calls.retries).toBe(sleeps.length);
    expect(sleeps).toContain(1_000); // the server's Retry-After: 1 on 429 and 503
    expect(sleeps.some((ms) => ms < 1_000)).toBe(true); // backoff after a 500 or a dropped connection
  });

  it("a POST retried after a lost answer invites once", async () => {
    const client = fx.client({ retry: { retries: 12 } });
    for (let i = 0; i < 40; i += 1) {
      await client.createInvitation(fx.workspace, { email: `fault${i}@acme.io`, role: "developer" }, { idempotencyKey: `fault-${i}` });
    }
    expect(client.calls.retries).toBeGreaterThan(0);
    const pending = await client.listInvitations(fx.workspace, { status: "pending" });
    expect(pending.filter((i) => i.email.startsWith("fault"))).toHaveLength(40);
    expect(pending.every((i) => i.sendCount === 1)).toBe(true);
  });
});
