import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client/index.js";
import { computePlan } from "../../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../../reconciler/fetch.js";
import { attributeChanges } from "../../reconciler/history.js";
import type { Plan } from "../../reconciler/plan.js";
import { parseAccessText } from "../../schema/load.js";
import { acceptAll, accessYaml, startTestServer, type TestServer } from "../e2e/harness.js";

/**
 * attributeChanges on a real server: each change of a plan names the event that set the
 * live value it changes (actor, time, request id, client), page by page and within a cap;
 * a plan without changes reads no history at all.
 */

const OWNER = "founder@acme.io";
let s: TestServer;
const requestIds: Record<string, string> = {};

/** call sends one request as the dashboard (`x-antryk-client`) or as a plain API caller would, and keeps its request id. */
async function call(as: "dashboard" | "api", token: string, method: string, path: string, body: unknown, ifMatch?: number): Promise<any> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, "content-type": "application/json", "user-agent": "curl/8" };
  if (as === "dashboard") headers["x-antryk-client"] = "dashboard";
  if (ifMatch !== undefined) headers["if-match"] = `"${ifMatch}"`;
  const res = await fetch(`${s.url}/v1/workspaces/${s.workspace}${path}`, { method, headers, body: JSON.stringify(body) });
  expect(res.status).toBeLessThan(300);
  requestIds[`${method} ${path}`] = res.headers.get("x-request-id")!;
  return res.json();
}

const FILE = (roleLine: string) =>
  accessYaml({
    owner: OWNER,
    safety: ["maxRemovals: 100%"],
    roles: ["viewer:", `  permissions: [${roleLine}]`],
    members: [
      { email: "alice@acme.io", role: "account-admin" },
      { email: "bob@acme.io", role: "developer" },
    ],
  });

async function planFor(text: string, token = s.ownerToken): Promise<{ plan: Plan; client: ReturnType<typeof createClient> }> {
  const client = createClient({ baseUrl: s.url, token });
  const { desired } = parseAccessText(text, "access.yaml");
  const live = await fetchWorkspaceState(client, s.workspace);
  return { plan: computePlan(desired!, live, { target: s.url }), client };
}

beforeAll(async () => {
  s = await startTestServer({ owner: OWNER });
  // What the CLI did (antryk-access): alice and bob invited and joined, a viewer role.
  await s.owner$.createInvitation(s.workspace, { email: "alice@acme.io", role: "account-admin" });
  await s.owner$.createInvitation(s.workspace, { email: "bob@acme.io", role: "developer" });
  await acceptAll(s, ["alice@acme.io", "bob@acme.io"]);
  await s.owner$.putRole(s.workspace, "viewer", { permissions: ["logs:read"] });
  // By hand: alice promotes bob in the dashboard; the owner invites a walk-in with curl.
  const alice = s.tokenFor("alice@acme.io");
  const bob = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!;
  await call("dashboard", alice, "PATCH", `/members/${bob.id}`, { role: "account-admin" }, bob.version);
  await call("api", s.ownerToken, "POST", "/invitations", { email: "walk-in@acme.io", role: "developer" });
});
afterAll(async () => {
  await s.close();
});

describe("attributeChanges", () => {
  it("names the actor, time, request id and client behind each change", async () => {
    const { plan, client } = await planFor(FILE("logs:read, deployments:read"));
    try {
      const attributed = await attributeChanges(plan, client);
      const by = Object.fromEntries(attributed.changes.map((c) => [c.key, c.liveSince]));
      expect(Object.keys(by).sort()).toEqual(["revokeInvitation:walk-in@acme.io", "updateMember:bob@acme.io", "updateRole:viewer"]);
      const bobId = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!.id;
      expect(by["updateMember:bob@acme.io"]).toMatchObject({
        action: "member.updated",
        actor: "alice@acme.io",
        client: "dashboard",
        requestId: requestIds[`PATCH /members/${bobId}`],
      });
      expect(by["revokeInvitation:walk-in@acme.io"]).toMatchObject({ action: "invitation.created", actor: OWNER, client: "api", requestId: requestIds["POST /invitations"] });
      expect(by["updateRole:viewer"]).toMatchObject({ action: "role.created", actor: OWNER, client: "antryk-access" });
      expect(Date.parse(by["updateRole:viewer"]!.at)).not.toBeNaN();
      expect(attributed.warnings).toEqual(plan.warnings);
      // computePlan stays pure: the plan it made is untouched.
      expect(plan.changes.every((c) => c.liveSince === undefined)).toBe(true);
      expect(client.calls.GET).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("reads no history at all for a plan without changes", async () => {
    const { plan, client } = await planFor(FILE("logs:read").replace("bob@acme.io\n    role: developer", "bob@acme.io\n    role: account-admin"));
    try {
      // The walk-in is still pending: this file names it too.
      const converged = { ...plan, changes: [] };
      client.resetCalls();
      expect(await attributeChanges(converged, client)).toBe(converged);
      expect(client.calls.reads).toBe(0);
    } finally {
      await client.close();
    }
  });

  it("stops at the page cap and names the changes it could not explain", async () => {
    const { plan, client } = await planFor(FILE("logs:read, deployments:read"));
    try {
      client.resetCalls();
      const capped = await attributeChanges(plan, client, { pageSize: 1, pageCap: 1 });
      expect(client.calls.GET).toBe(1);
      const unexplained = capped.changes.filter((c) => c.liveSince === null).map((c) => c.key);
      expect(unexplained.length).toBeGreaterThan(0);
      const warning = capped.warnings.find((w) => w.code === "history-incomplete")!;
      for (const key of unexplained) expect(warning.message).toContain(key);

      client.resetCalls();
      const paged = await attributeChanges(plan, client, { pageSize: 1, pageCap: 100 });
      expect(paged.changes.every((c) => c.liveSince !== null)).toBe(true);
      expect(paged.warnings.some((w) => w.code === "history-incomplete")).toBe(false);
      // Newest first (walk-in invited, bob promoted, viewer created), stopping once all three are explained.
      expect(client.calls.GET).toBe(3);
    } finally {
      await client.close();
    }
  });

  it("a caller who cannot read the history gets a warning, not an error", async () => {
    await s.owner$.createInvitation(s.workspace, { email: "dev@acme.io", role: "developer" });
    await acceptAll(s, ["dev@acme.io"]);
    const { plan, client } = await planFor(FILE("logs:read, deployments:read"), s.tokenFor("dev@acme.io"));
    try {
      const attributed = await attributeChanges(plan, client);
      expect(attributed.changes.every((c) => c.liveSince === undefined)).toBe(true);
      expect(attributed.warnings.map((w) => w.code)).toContain("history-unreadable");
    } finally {
      await client.close();
    }
  });
});
