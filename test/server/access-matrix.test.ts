import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initWorkspace } from "../../server/index.js";
import { OWNER, startWorkspace, wsPath, type TestWorkspace } from "./harness.js";

/**
 * The role-based access matrix: every caller kind × every route, asserting the exact
 * status. Changing routes act on fresh targets the owner creates just before, so each
 * cell is independent of the others.
 */

type CallerKind = "owner" | "account-admin" | "developer" | "custom with access:manage" | "custom without access:manage" | "no token" | "malformed token" | "removed member";

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

interface RouteCase {
  route: string;
  kind: "read" | "change" | "open";
  ok: number;
  prepare(): Promise<Request>;
}

let ws: TestWorkspace;
const tokens = {} as Record<CallerKind, string | null>;
let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}`;

async function freshInvitation(): Promise<any> {
  const answer = await ws.call("POST", wsPath("/invitations"), { body: { email: `${unique("inv")}@acme.io`, role: "viewer" } });
  expect(answer.status).toBe(201);
  return answer.body;
}

const ROUTES: RouteCase[] = [
  { route: "GET /workspaces/{ws}", kind: "read", ok: 200, prepare: async () => ({ method: "GET", path: wsPath() }) },
  { route: "GET /workspaces/{ws}/me", kind: "read", ok: 200, prepare: async () => ({ method: "GET", path: wsPath("/me") }) },
  { route: "GET /workspaces/{ws}/permissions", kind: "read", ok: 200, prepare: async () => ({ method: "GET", path: wsPath("/permissions") }) },
  { route: "GET /workspaces/{ws}/members", kind: "read", ok: 200, prepare: async () => ({ method: "GET", path: wsPath("/members") }) },
  {
    route: "GET /workspaces/{ws}/members/{id}",
    kind: "read",
    ok: 200,
    prepare: async () => ({ method: "GET", path: wsPath(`/members/${(await ws.call("GET", wsPath("/me"))).body.id}`) }),
  },
  { route: "GET /workspaces/{ws}/invitations", kind: "read", ok: 200, prepare: async () => ({ method: "GET", path: wsPath("/invitations") }) },
  {
    route: "GET /workspaces/{ws}/invitations/{id}",
    kind: "read",
    ok: 200,
    prepare: async () => ({ method: "GET", path: wsPath(`/invitations/${(await freshInvitation()).id}`) }),
  },
  { route: "GET /workspaces/{ws}/roles", kind: "read", ok: 200, prepare: async () => ({ method: "GET", path: wsPath("/roles") }) },
  {
    route: "PATCH /workspaces/{ws}/members/{id}",
    kind: "change",
    ok: 200,
    prepare: async () => {
      const { member } = await ws.addMember(`${unique("m")}@acme.io`, "viewer");
      return { method: "PATCH", path: wsPath(`/members/${member.id}`), body: { permissions: ["logs:read"] } };
    },
  },
  {
    route: "DELETE /workspaces/{ws}/members/{id}",
    kind: "change",
    ok: 204,
    prepare: async () => {
      const { member } = await ws.addMember(`${unique("m")}@acme.io`, "viewer");
      return { method: "DELETE", path: wsPath(`/members/${member.id}`) };
    },
  },
  {
    route: "POST /workspaces/{ws}/invitations",
    kind: "change",
    ok: 201,
    prepare: async () => ({ method: "POST", path: wsPath("/invitations"), body: { email: `${unique("new")}@acme.io`, role: "viewer" } }),
  },
  {
    route: "PATCH /workspaces/{ws}/invitations/{id}",
    kind: "change",
    ok: 200,
    prepare: async () => ({ method: "PATCH", path: wsPath(`/invitations/${(await freshInvitation()).id}`), body: { permissions: ["logs:read"] } }),
  },
  {
    route: "POST /workspaces/{ws}/invitations/{id}/resend",
    kind: "change",
    ok: 200,
    prepare: async () => ({ method: "POST", path: wsPath(`/invitations/${(await freshInvitation()).id}/resend`) }),
  },
  {
    route: "POST /workspaces/{ws}/invitations/{id}/revoke",
    kind: "change",
    ok: 200,
    prepare: async () => ({ method: "POST", path: wsPath(`/invitations/${(await freshInvitation()).id}/revoke`) }),
  },
  {
    route: "PUT /workspaces/{ws}/roles/{name}",
    kind: "change",
    ok: 201,
    prepare: async () => ({ method: "PUT", path: wsPath(`/roles/${unique("role-")}`), body: { permissions: ["logs:read"] } }),
  },
  {
    route: "DELETE /workspaces/{ws}/roles/{name}",
    kind: "change",
    ok: 204,
    prepare: async () => {
      const name = unique("gone-");
      expect((await ws.call("PUT", wsPath(`/roles/${name}`), { body: { permissions: ["logs:read"] } })).status).toBe(201);
      return { method: "DELETE", path: wsPath(`/roles/${name}`) };
    },
  },
  { route: "GET /workspaces/{ws}/audit", kind: "change", ok: 200, prepare: async () => ({ method: "GET", path: wsPath("/audit") }) },
  {
    route: "POST /invitations/accept",
    kind: "open",
    ok: 201,
    prepare: async () => {
      const invitation = await freshInvitation();
      const message = (await ws.outbox()).find((m) => m.invitationId === invitation.id);
      return { method: "POST", path: "/v1/invitations/accept", body: { token: message.token } };
    },
  },
  { route: "GET /workspaces/{ws}/dev/outbox", kind: "change", ok: 200, prepare: async () => ({ method: "GET", path: wsPath("/dev/outbox") }) },
];

const CALLERS: CallerKind[] = [
  "owner",
  "account-admin",
  "developer",
  "custom with access:manage",
  "custom without access:manage",
  "no token",
  "malformed token",
  "removed member",
];

function expectedStatus(route: RouteCase, caller: CallerKind): number {
  if (route.kind === "open") return route.ok;
  if (caller === "no token" || caller === "malformed token" || caller === "removed member") return 401;
  if (route.kind === "read") return route.ok;
  return caller === "developer" || caller === "custom without access:manage" ? 403 : route.ok;
}

beforeAll(async () => {
  ws = await startWorkspace();
  const put = (name: string, permissions: string[]) => ws.call("PUT", wsPath(`/roles/${name}`), { body: { permissions } });
  expect((await put("access-manager", ["access:manage", "deployments:read", "logs:read"])).status).toBe(201);
  expect((await put("viewer", ["deployments:read", "logs:read"])).status).toBe(201);
  tokens.owner = ws.ownerToken;
  tokens["account-admin"] = (await ws.addMember("admin@acme.io", "account-admin")).token;
  tokens.developer = (await ws.addMember("dev@acme.io", "developer")).token;
  tokens["custom with access:manage"] = (await ws.addMember("manager@acme.io", "access-manager")).token;
  tokens["custom without access:manage"] = (await ws.addMember("viewer@acme.io", "viewer")).token;
  tokens["no token"] = null;
  tokens["malformed token"] = "not-a-token";
  const removed = await ws.addMember("gone@acme.io", "developer");
  expect((await ws.call("DELETE", wsPath(`/members/${removed.member.id}`))).status).toBe(204);
  tokens["removed member"] = removed.token;
});

afterAll(async () => {
  await ws?.close();
});

describe("role-based access matrix", () => {
  it("answers every caller on every route with the exact status", async () => {
    const actual: Record<string, Record<string, number>> = {};
    const expected: Record<string, Record<string, number>> = {};
    for (const route of ROUTES) {
      actual[route.route] = {};
      expected[route.route] = {};
      for (const caller of CALLERS) {
        const request = await route.prepare();
        const answer = await ws.call(request.method, request.path, { token: tokens[caller], body: request.body });
        actual[route.route]![caller] = answer.status;
        expected[route.route]![caller] = expectedStatus(route, caller);
      }
    }
    expect(actual).toEqual(expected);
  });

  it("checks the caller even before parsing the body", async () => {
    const rawBody = "{not json";
    const headers = { "content-type": "application/json" };
    const anonymous = await ws.call("POST", wsPath("/invitations"), { token: null, rawBody, headers });
    const developer = await ws.call("POST", wsPath("/invitations"), { token: tokens.developer, rawBody, headers });
    const owner = await ws.call("POST", wsPath("/invitations"), { rawBody, headers });
    expect([anonymous.status, developer.status, owner.status]).toEqual([401, 403, 400]);
  });

  it("names the missing permission and the caller in a 403", async () => {
    const answer = await ws.call("POST", wsPath("/invitations"), { token: tokens.developer, body: { email: "x@acme.io", role: "developer" } });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toEqual({
      code: "forbidden",
      message: "the token of dev@acme.io lacks access:manage",
      details: { missingPermission: "access:manage", caller: "dev@acme.io" },
    });
  });

  it.each([
    ["no token", null, 401],
    ["malformed token", "Bearer-less", 401],
    ["developer", "developer", 403],
  ] as const)("checks the caller (%s) before the body", async (_name, who, status) => {
    const token = who === null ? null : who === "developer" ? tokens.developer : who;
    const answer = await ws.call("POST", wsPath("/invitations"), { token, body: { nonsense: true } });
    expect(answer.status).toBe(status);
  });

  // The grant rule: a holder of access:manage may assign every role and grant every permission
  // except the owner-only ones, which nobody can grant; what the caller itself holds does not matter.
  it.each([
    ["account-admin", "developer", []],
    ["account-admin", "account-admin", ["deployments:create", "config:read", "environments:configure"]],
    ["custom with access:manage", "account-admin", []],
    ["custom with access:manage", "developer", ["domains:manage"]],
  ] as const)("lets %s invite a %s with grants %j", async (caller, role, permissions) => {
    const answer = await ws.call("POST", wsPath("/invitations"), {
      token: tokens[caller],
      body: { email: `${unique("grant")}@acme.io`, role, permissions },
    });
    expect([answer.status, answer.body.role, answer.body.permissions]).toEqual([201, role, permissions]);
  });

  it("lets an account-admin give a developer's permissions to a member, define a role with them, and demote itself", async () => {
    const token = tokens["account-admin"];
    const { member } = await ws.addMember(`${unique("m")}@acme.io`, "viewer");
    const patch = await ws.call("PATCH", wsPath(`/members/${member.id}`), { token, body: { role: "developer", permissions: ["environments:configure"] } });
    expect([patch.status, patch.body.effectivePermissions]).toEqual([200, expect.arrayContaining(["deployments:create", "config:read", "environments:configure"])]);
    const role = await ws.call("PUT", wsPath(`/roles/${unique("deployer-")}`), { token, body: { permissions: ["deployments:create", "config:read"] } });
    expect(role.status).toBe(201);
    const self = await ws.addMember(`${unique("self")}@acme.io`, "account-admin");
    const demoted = await ws.call("PATCH", wsPath(`/members/${self.member.id}`), { token: self.token, body: { role: "developer" } });
    expect([demoted.status, demoted.body.role]).toEqual([200, "developer"]);
  });

  it.each([
    ["billing:manage"],
    ["ownership:transfer"],
  ])("lets nobody, not even the owner, grant the owner-only %s", async (permission) => {
    const invite = await ws.call("POST", wsPath("/invitations"), { body: { email: `${unique("o")}@acme.io`, role: "developer", permissions: [permission] } });
    const role = await ws.call("PUT", wsPath(`/roles/${unique("own-")}`), { body: { permissions: [permission] } });
    expect([invite.status, invite.body.error.details.field, role.status, role.body.error.details.field]).toEqual([400, "permissions[0]", 400, "permissions[0]"]);
  });

  it("never changes or removes the owner, even for an account-admin", async () => {
    const owner = (await ws.call("GET", wsPath("/me"))).body;
    expect(owner.email).toBe(OWNER);
    const patch = await ws.call("PATCH", wsPath(`/members/${owner.id}`), { token: tokens["account-admin"], body: { role: "developer" } });
    const del = await ws.call("DELETE", wsPath(`/members/${owner.id}`), { token: tokens["account-admin"] });
    expect([patch.status, del.status]).toEqual([403, 403]);
    expect((await ws.call("GET", wsPath(`/members/${owner.id}`))).body.role).toBe("owner");
  });

  it("never assigns the owner role", async () => {
    const answer = await ws.call("POST", wsPath("/invitations"), { body: { email: "o2@acme.io", role: "owner" } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.field).toBe("role");
  });

  it("answers 404 alike for an unknown workspace and one the caller is not a member of, so workspace names cannot be enumerated", async () => {
    const otherToken = initWorkspace(ws.dbPath, { workspace: "other", owner: "boss@other.io" });
    for (const path of ["/me", "/members", "/audit", ""]) {
      const unknown = await ws.call("GET", `/v1/workspaces/unknown-ws${path}`, { token: otherToken });
      const foreign = await ws.call("GET", `/v1/workspaces/acme${path}`, { token: otherToken });
      expect([unknown.status, foreign.status]).toEqual([404, 404]);
      expect(foreign.body.error.message).toBe(unknown.body.error.message.replace("unknown-ws", "acme"));
    }
    expect((await ws.call("GET", "/v1/workspaces/other/me", { token: otherToken })).body.email).toBe("boss@other.io");
  });
});
