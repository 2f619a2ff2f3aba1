import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessClient } from "../../client/index.js";
import { applyPlan } from "../../reconciler/apply/index.js";
import { computePlan } from "../../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../../reconciler/fetch.js";
import type { DesiredMember, DesiredState } from "../../schema/model.js";
import { startFixture, type Fixture } from "../client/fixture.js";

/** The engine's shells around the pure core: fetch → computePlan → applyPlan → fetch again, against the real server. */
const source = { file: "access.yaml", line: 1, column: 1, path: [] };
const person = (email: string, role = "developer", permissions: string[] = []): DesiredMember => ({ email, role, permissions, source });
const desired = (members: DesiredMember[], roles: DesiredState["roles"] = []): DesiredState => ({
  file: "access.yaml",
  version: 1,
  workspace: "acme",
  owner: "owner@acme.io",
  mode: "authoritative",
  safety: { maxRemovals: { kind: "percent", value: 25 }, minAdmins: 1, requiredAdmins: [], preserve: [] },
  invitations: { resendExpired: true, maxResends: 3 },
  roles,
  members,
  expiredMembers: [],
});
const seeded = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `member${String(from + i).padStart(5, "0")}@acme.io`);

async function planAndApply(client: AccessClient, want: DesiredState) {
  const live = await fetchWorkspaceState(client, want.workspace);
  const plan = computePlan(want, live, { target: client.baseUrl });
  expect(plan.violations).toEqual([]);
  return { plan, result: await applyPlan(plan, client) };
}

describe("plan and apply converge; a converged workspace costs reads only", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ seed: 20 });
  });
  afterAll(async () => fx.close());

  it("applies roles, invitations, promotions and removals, then plans no change and applies with zero writes", async () => {
    const want = desired(
      [
        ...seeded(0, 10).map((e) => person(e)),
        person("member00010@acme.io", "account-admin"),
        person("member00011@acme.io", "release-manager"),
        person("member00012@acme.io", "developer", ["domains:manage"]),
        ...seeded(13, 17).map((e) => person(e)),
        ...["new1@acme.io", "new2@acme.io", "new3@acme.io"].map((e) => person(e)),
        person("new4@acme.io", "release-manager", ["logs:read"]),
      ],
      [{ name: "release-manager", description: "Ships services", permissions: ["deployments:create", "deployments:read", "logs:read"], source }],
    );
    const first = fx.client();
    const { plan, result } = await planAndApply(first, want);
    expect(plan.summary).toMatchObject({ createRole: 1, inviteMember: 4, updateMember: 3, removeMember: 3 });
    expect(result.failed).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.applied).toHaveLength(plan.changes.length);

    const second = fx.client();
    const again = await planAndApply(second, want);
    expect(again.plan.changes).toEqual([]);
    expect(again.result).toEqual({ applied: [], failed: [], skipped: [], notAttempted: [] });
    expect(second.calls).toEqual({ GET: 7, POST: 0, PATCH: 0, PUT: 0, DELETE: 0, reads: 7, writes: 0, retries: 0 });
  });
});

describe("plan and apply against injected faults", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ faults: { fraction: 0.3, seed: 99 } });
  });
  afterAll(async () => fx.close());

  it("300 invitations converge: with faults off the next plan has no change, one invitation per email, each sent once", async () => {
    const emails = Array.from({ length: 300 }, (_, i) => `person${String(i).padStart(3, "0")}@acme.io`);
    const want = desired(emails.map((e) => person(e)));
    const faulty = fx.client({ retry: { retries: 15 } });
    const { result } = await planAndApply(faulty, want);
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(300);
    expect(faulty.calls.POST).toBe(300);
    expect(faulty.calls.retries).toBeGreaterThan(20);

    await fx.restart({});
    const clean = fx.client();
    const live = await fetchWorkspaceState(clean, "acme");
    expect(computePlan(want, live, { target: clean.baseUrl }).changes).toEqual([]);
    const pending = live.invitations.filter((i) => i.status === "pending");
    expect(pending.map((i) => i.email)).toEqual(emails);
    expect(pending.every((i) => i.sendCount === 1)).toBe(true);
    expect(await clean.listAllAudit("acme", { action: "invitation.created" })).toHaveLength(300);
  });
});
