import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type AccessClient } from "../../client/index.js";
import { startWorkspace, WORKSPACE, wsPath, type Answer, type TestWorkspace } from "./harness.js";

/**
 * managedBy: a write with `X-Antryk-Manager: <id>` marks what it writes, an empty header
 * clears the mark, a write without the header leaves it; every history event records the
 * request's manager; lists filter by `?managedBy=`.
 */

let ws: TestWorkspace;
let client: AccessClient;
const A = "antryk-access:acme";
const B = "pulumi:infra/prod/urn:pulumi:prod::infra::antryk:index:Member::gus";

beforeAll(async () => {
  ws = await startWorkspace();
  client = createClient({ baseUrl: ws.url, token: ws.ownerToken });
});
afterAll(async () => {
  await client.close();
  await ws.close();
});

const manager = (id: string) => ({ "x-antryk-manager": id });

async function lastEvent(target: string): Promise<any> {
  return (await ws.call("GET", wsPath(`/audit?target=${encodeURIComponent(target)}`))).body.items[0];
}

describe("managedBy on members", () => {
  it("is set by the header, kept without it, replaced by another and cleared by an empty one", async () => {
    const { member } = await ws.addMember("gus@acme.io", "developer");
    expect(member.managedBy).toBeNull();
    const path = wsPath(`/members/${member.id}`);
    const set = await ws.call("PATCH", path, { body: { role: "account-admin" }, headers: manager(A) });
    expect(set.body).toMatchObject({ role: "account-admin", managedBy: A });
    expect(await lastEvent("gus@acme.io")).toMatchObject({ action: "member.updated", manager: A });

    const hand = await ws.call("PATCH", path, { body: { role: "developer" }, headers: { "x-antryk-client": "dashboard" } });
    expect(hand.body).toMatchObject({ role: "developer", managedBy: A });
    expect(await lastEvent("gus@acme.io")).toMatchObject({ client: "dashboard", manager: null });

    // taking over with nothing else to change is still a change: the marker moves, the version bumps, history says who took it
    const version = hand.body.version;
    const taken = await ws.call("PATCH", path, { body: {}, headers: manager(B) });
    expect(taken.body).toMatchObject({ managedBy: B, version: version + 1 });
    expect(await lastEvent("gus@acme.io")).toMatchObject({ manager: B, before: { managedBy: A }, after: { managedBy: B } });

    const same = await ws.call("PATCH", path, { body: {}, headers: manager(B) });
    expect(same.body.version).toBe(version + 1);

    const cleared = await ws.call("PATCH", path, { body: {}, headers: manager("") });
    expect(cleared.body.managedBy).toBeNull();
  });

  it("filters the list by ?managedBy= (empty: the unmanaged ones)", async () => {
    const { member } = await ws.addMember("max@acme.io", "developer");
    await ws.call("PATCH", wsPath(`/members/${member.id}`), { body: {}, headers: manager(A) });
    const mine = await client.listMembers(WORKSPACE, { managedBy: A });
    expect(mine.map((m) => m.email)).toEqual(["max@acme.io"]);
    const unmanaged = await client.listMembers(WORKSPACE, { managedBy: null });
    expect(unmanaged.map((m) => m.email)).toContain("gus@acme.io");
    expect(unmanaged.map((m) => m.email)).not.toContain("max@acme.io");
  });

  it.each([
    ["too long", "x".repeat(201)],
    ["with a control character", "a\u0001b"],
  ])("refuses a manager id %s with 400 naming the header", async (_name, id) => {
    const answer: Answer | Error = await ws
      .call("POST", wsPath("/invitations"), { body: { email: "bad@acme.io", role: "developer" }, headers: manager(id) })
      .catch((err: unknown) => err as Error);
    if (answer instanceof Error) return; // Node's fetch itself refuses a control character in a header
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.field).toBe("X-Antryk-Manager");
  });
});

describe("managedBy on invitations and roles", () => {
  it("marks an invitation, passes the marker to the member who accepts it, and filters invitations", async () => {
    const marked = client.withManager(A);
    const inv = await marked.createInvitation(WORKSPACE, { email: "ivy@acme.io", role: "developer" });
    expect(inv.managedBy).toBe(A);
    expect(await lastEvent("ivy@acme.io")).toMatchObject({ action: "invitation.created", manager: A, client: "antryk-access" });
    expect((await client.listInvitations(WORKSPACE, { managedBy: A })).map((i) => i.email)).toEqual(["ivy@acme.io"]);
    const member = await ws.join("ivy2@acme.io", "developer");
    expect(member.managedBy).toBeNull();
    await marked.createInvitation(WORKSPACE, { email: "joy@acme.io", role: "developer" });
    const message = (await ws.outbox()).find((m) => m.email === "joy@acme.io")!;
    const joined = await client.acceptInvitation(message.token);
    expect(joined.managedBy).toBe(A);
  });

  it("marks a custom role on PUT and filters roles (custom only)", async () => {
    const role = await client.withManager(B).putRole(WORKSPACE, "release", { permissions: ["logs:read"] });
    expect(role.managedBy).toBe(B);
    const kept = await client.putRole(WORKSPACE, "release", { permissions: ["logs:read", "deployments:read"] }, { ifMatch: role.version! });
    expect(kept.managedBy).toBe(B);
    const filtered = (await ws.call("GET", wsPath(`/roles?managedBy=${encodeURIComponent(B)}`))).body.items;
    expect(filtered.map((r: any) => r.name)).toEqual(["release"]);
    expect(await lastEvent("release")).toMatchObject({ action: "role.updated", manager: null });
  });
});
