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

describe("plan and apply against injected faults (30 % of requests fail, half of them after the change is committed)", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ seed: 40, faults: { fraction: 0.3, seed: 4242 } });
  });
  afterAll(async () => fx.close());

  it("300 invitations and 30 member updates converge: one invitation per email, sent once; the next plan has no change; a rerun of the same plan changes nothing", async () => {
    const emails = Array.from({ length: 300 }, (_, i) => `invitee${String(i).padStart(3, "0")}@acme.io`);
    const updated = seeded(0, 30);
    const want = desired([
      ...updated.map((e) => person(e, "developer", ["domains:manage"])),
      ...seeded(30, 40).map((e) => person(e)),
      ...emails.map((e) => person(e)),
    ]);
    const faulty = fx.client({ retry: { retries: 15 } });
    const { plan, result } = await planAndApply(faulty, want);
    expect(plan.summary).toMatchObject({ inviteMember: 300, updateMember: 30, total: 330 });
    expect(result.failed).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.applied).toHaveLength(330);
    expect(faulty.calls.retries).toBeGreaterThan(20);
    expect(faulty.calls.POST).toBe(300);
    expect(faulty.calls.PATCH).toBe(30);
    // A PATCH whose answer was lost is retried, meets 412 (its own new version) and is recognised as applied.
    expect(result.applied.filter((a) => a.note).every((a) => a.kind === "updateMember" && a.note === "already updated")).toBe(true);

    await fx.restart({}); // the same database, faults off
    const clean = fx.client();
    const live = await fetchWorkspaceState(clean, "acme");
    expect(computePlan(want, live, { target: clean.baseUrl }).changes).toEqual([]);
    const pending = live.invitations.filter((i) => i.status === "pending");
    expect(pending.map((i) => i.email)).toEqual(emails);
    expect(pending.every((i) => i.sendCount === 1)).toBe(true);
    expect(await clean.listAllAudit("acme", { action: "invitation.created" })).toHaveLength(300);
    expect(await clean.listAllAudit("acme", { action: "member.updated" })).toHaveLength(30);
    for (const email of updated) expect(live.members.find((m) => m.email === email)?.permissions).toEqual(["domains:manage"]);

    // The same saved plan again: same Idempotency-Keys, so the server replays its answers; no new invitation.
    const again = await applyPlan({ ...plan, changes: plan.changes.filter((c) => c.kind === "inviteMember") }, clean);
    expect(again.failed).toEqual([]);
    expect(await clean.listAllAudit("acme", { action: "invitation.created" })).toHaveLength(300);
    expect((await fetchWorkspaceState(clean, "acme")).digest).toBe(live.digest);
  });
});
