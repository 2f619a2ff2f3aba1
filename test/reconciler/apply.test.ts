import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessClient } from "../../client/index.js";
import { SafetyError, StalePlanError } from "../../errors.js";
import { applyPlan, assertFresh, BREAKER_THRESHOLD, type ApplyClient, type ApplyProgress } from "../../reconciler/apply/index.js";
import { fetchWorkspaceState } from "../../reconciler/fetch.js";
import { createClient } from "../../client/index.js";
import { noSleep, startFixture, type Fixture } from "../client/fixture.js";
import { change, memberByEmail, planOf } from "./plans.js";

/** recording wraps a real client: every call is logged with its start order, and the calls in flight are tracked. */
function recording(client: AccessClient) {
  const log: { method: string; arg: string; start: number; end: number }[] = [];
  let clock = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const wrapped = new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || prop === "gaveUp") return value; // gaveUp is a synchronous question, not a call
      return async (...args: unknown[]) => {
        const entry = { method: String(prop), arg: String(typeof args[1] === "object" ? JSON.stringify(args[1]) : args[1]), start: clock++, end: -1 };
        log.push(entry);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          inFlight -= 1;
          entry.end = clock++;
        }
      };
    },
  }) as AccessClient satisfies ApplyClient;
  return { client: wrapped, log, maxInFlight: () => maxInFlight };
}

describe("applyPlan against the reference server", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ seed: 60 });
  });
  afterAll(async () => fx.close());

  it("runs the phases in order, at most `concurrency` calls in flight, and reaches the planned state", async () => {
    const setup = fx.client();
    await setup.putRole(fx.workspace, "legacy", { description: "old", permissions: ["logs:read"] });
    const live = await fetchWorkspaceState(setup, fx.workspace);
    const legacy = live.roles.find((r) => r.name === "legacy")!;
    const promoted = memberByEmail(live, "member00000@acme.io");
    const removed = ["member00010@acme.io", "member00011@acme.io", "member00012@acme.io"].map((e) => memberByEmail(live, e));
    const invited = Array.from({ length: 20 }, (_, i) => `new${i}@acme.io`);
    const plan = planOf(live, [
      change.createRole("qa", ["logs:read", "deployments:read"]),
      ...invited.map((e) => change.invite(e, "qa")),
      change.updateMember(promoted, "account-admin", [], { gained: ["access:manage"] }),
      ...removed.map(change.removeMember),
      change.deleteRole(legacy),
    ]);
    const rec = recording(fx.client());
    const progress: ApplyProgress[] = [];
    const result = await applyPlan(plan, rec.client, { concurrency: 4, onProgress: (p) => progress.push(p) });

    expect(result.failed).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.applied.map((a) => a.key)).toEqual(plan.changes.map((c) => c.key));
    expect(result.applied[1]).toEqual({ key: "inviteMember:new0@acme.io", kind: "inviteMember", phase: "grants", email: "new0@acme.io" });
    expect(result.applied[0]).toEqual({ key: "createRole:qa", kind: "createRole", phase: "roles", name: "qa" });
    expect(rec.maxInFlight()).toBe(4);
    expect(progress.map((p) => p.done)).toEqual(plan.changes.map((_, i) => i + 1));
    expect(progress.every((p) => p.total === plan.changes.length && p.outcome === "applied")).toBe(true);

    const spans = (method: string) => rec.log.filter((e) => e.method === method);
    const last = (method: string) => Math.max(...spans(method).map((e) => e.end));
    const first = (method: string) => Math.min(...spans(method).map((e) => e.start));
    expect(last("putRole")).toBeLessThan(first("createInvitation"));
    expect(Math.max(last("createInvitation"), last("updateMember"))).toBeLessThan(first("removeMember"));
    expect(last("removeMember")).toBeLessThan(first("deleteRole"));
    expect(rec.log).toHaveLength(plan.changes.length); // one call per change, no reads

    const after = await fetchWorkspaceState(setup, fx.workspace);
    expect(after.roles.map((r) => r.name)).toEqual(["qa"]);
    expect(memberByEmail(after, "member00000@acme.io").role).toBe("account-admin");
    expect(after.members.map((m) => m.email)).not.toContain("member00010@acme.io");
    const pending = after.invitations.filter((i) => i.status === "pending" && i.email.startsWith("new"));
    expect(pending.map((i) => i.email).sort()).toEqual([...invited].sort());
    expect(pending.every((i) => i.role === "qa")).toBe(true);
  });

  it("an empty plan makes no call at all", async () => {
    const live = await fetchWorkspaceState(fx.client(), fx.workspace);
    const client = fx.client();
    expect(await applyPlan(planOf(live, []), client)).toEqual({ applied: [], failed: [], skipped: [], notAttempted: [] });
    expect(client.calls).toMatchObject({ reads: 0, writes: 0 });
  });

  it("continues past a failed change and skips the changes that depend on it", async () => {
    const live = await fetchWorkspaceState(fx.client(), fx.workspace);
    const plan = planOf(live, [
      change.createRole("billing-ops", ["billing:manage"]), // owner-only: the server refuses it
      change.invite("needs-role@acme.io", "billing-ops"),
      change.invite("independent@acme.io", "developer"),
    ]);
    const client = fx.client();
    const result = await applyPlan(plan, client);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ key: "createRole:billing-ops", name: "billing-ops", error: { status: 400 } });
    expect(result.failed[0]!.error.code).toMatch(/validation_failed|bad_request/);
    expect(result.skipped).toEqual([
      {
        key: "inviteMember:needs-role@acme.io",
        kind: "inviteMember",
        phase: "grants",
        email: "needs-role@acme.io",
        reason: "role billing-ops was not created (createRole:billing-ops)",
      },
    ]);
    expect(result.applied.map((a) => a.email)).toEqual(["independent@acme.io"]);
    expect(client.calls).toMatchObject({ PUT: 1, POST: 1 });
  });

  it("refuses a plan with violations before any call", async () => {
    const live = await fetchWorkspaceState(fx.client(), fx.workspace);
    const client = fx.client();
    const plan = planOf(live, [change.invite("blocked@acme.io")], {
      violations: [{ rail: "maxRemovals", message: "removes 30 of 60 members (limit 25%)", override: "safety.maxRemovals" }],
    });
    await expect(applyPlan(plan, client)).rejects.toThrow(SafetyError);
    await expect(applyPlan(plan, client)).rejects.toThrow(/blocked by 1 safety rail; nothing was changed/);
    expect(client.calls).toMatchObject({ reads: 0, writes: 0 });
  });

  it("reports a 412 as a concurrent change to re-plan, without retrying it", async () => {
    const setup = fx.client();
    const live = await fetchWorkspaceState(setup, fx.workspace);
    const target = memberByEmail(live, "member00020@acme.io");
    await setup.updateMember(fx.workspace, target.id, { permissions: ["domains:manage"] }, { ifMatch: target.version });
    const client = fx.client();
    const result = await applyPlan(planOf(live, [change.updateMember(target, "account-admin")]), client);
    expect(result.applied).toEqual([]);
    expect(result.failed).toEqual([
      {
        key: "updateMember:member00020@acme.io",
        kind: "updateMember",
        phase: "grants",
        email: "member00020@acme.io",
        error: { status: 412, code: "precondition_failed", message: "member00020@acme.io changed concurrently; run plan again" },
      },
    ]);
    expect(client.calls).toMatchObject({ PATCH: 1, retries: 0 });
    const now = await setup.getMember(fx.workspace, target.id);
    expect(now).toMatchObject({ role: "developer", permissions: ["domains:manage"] });
  });

  it("counts a 412 as applied when the member already holds exactly the planned access (a lost answer looks like this)", async () => {
    const setup = fx.client();
    const live = await fetchWorkspaceState(setup, fx.workspace);
    const target = memberByEmail(live, "member00021@acme.io");
    await setup.updateMember(fx.workspace, target.id, { role: "account-admin", permissions: [] }, { ifMatch: target.version });
    const result = await applyPlan(planOf(live, [change.updateMember(target, "account-admin")]), fx.client());
    expect(result.failed).toEqual([]);
    expect(result.applied).toEqual([expect.objectContaining({ email: "member00021@acme.io", note: "already updated" })]);
  });

  it("counts a 409 on invite as applied only when the pending invitation matches the plan", async () => {
    const setup = fx.client();
    const live = await fetchWorkspaceState(setup, fx.workspace);
    await setup.createInvitation(fx.workspace, { email: "same@acme.io", role: "developer", permissions: ["logs:read"] });
    await setup.createInvitation(fx.workspace, { email: "other@acme.io", role: "account-admin" });
    const result = await applyPlan(
      planOf(live, [
        change.invite("same@acme.io", "developer", ["logs:read"]),
        change.invite("other@acme.io", "developer"),
        change.invite("member00030@acme.io", "developer"),
        change.invite("member00031@acme.io", "account-admin"),
      ]),
      fx.client(),
    );
    expect(result.applied).toEqual([
      expect.objectContaining({ email: "same@acme.io", note: "already invited with this access" }),
      expect.objectContaining({ email: "member00030@acme.io", note: "already a member with this access" }),
    ]);
    expect(result.failed.map((f) => [f.email, f.error.status, f.error.code, f.error.message])).toEqual([
      ["other@acme.io", 409, "invitation_pending", "other@acme.io was invited concurrently with other access; run plan again"],
      ["member00031@acme.io", 409, "already_member", "member00031@acme.io was added concurrently with other access; run plan again"],
    ]);
  });

  it("counts removing a member or deleting a role that is already gone as applied", async () => {
    const setup = fx.client();
    await setup.putRole(fx.workspace, "gone", { description: "x", permissions: ["logs:read"] });
    const live = await fetchWorkspaceState(setup, fx.workspace);
    const member = memberByEmail(live, "member00040@acme.io");
    const role = live.roles.find((r) => r.name === "gone")!;
    await setup.removeMember(fx.workspace, member.id, { ifMatch: member.version });
    await setup.deleteRole(fx.workspace, "gone", { ifMatch: role.version! });
    const result = await applyPlan(planOf(live, [change.removeMember(member), change.deleteRole(role)]), fx.client());
    expect(result.failed).toEqual([]);
    expect(result.applied.map((a) => a.note)).toEqual(["already removed", "already deleted"]);
  });

  it("updates and revokes pending invitations with If-Match", async () => {
    const setup = fx.client();
    const a = await setup.createInvitation(fx.workspace, { email: "upd@acme.io", role: "developer" });
    const b = await setup.createInvitation(fx.workspace, { email: "rev@acme.io", role: "developer" });
    const live = await fetchWorkspaceState(setup, fx.workspace);
    const result = await applyPlan(planOf(live, [change.updateInvitation(a, "account-admin", []), change.revokeInvitation(b)]), fx.client());
    expect(result.failed).toEqual([]);
    expect((await setup.getInvitation(fx.workspace, a.id)).role).toBe("account-admin");
    expect((await setup.getInvitation(fx.workspace, b.id)).status).toBe("revoked");
  });

  it("assertFresh refuses a saved plan once anything it depends on changed", async () => {
    const setup = fx.client();
    const live = await fetchWorkspaceState(setup, fx.workspace);
    const plan = planOf(live, []);
    expect(() => assertFresh(plan, live)).not.toThrow();
    expect(() => assertFresh(plan, { digest: live.digest })).not.toThrow();
    const m = memberByEmail(live, "member00050@acme.io");
    await setup.updateMember(fx.workspace, m.id, { permissions: ["logs:read"] }, { ifMatch: m.version });
    const later = await fetchWorkspaceState(setup, fx.workspace);
    let err: unknown;
    try {
      assertFresh(plan, later);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StalePlanError);
    expect(err).toMatchObject({ expectedDigest: live.digest, actualDigest: later.digest });
    expect((err as Error).message).toMatch(/stale.*nothing was changed, run plan again/);
  });

  it("a non-API error (a bug) is not swallowed", async () => {
    const live = await fetchWorkspaceState(fx.client(), fx.workspace);
    const broken = { ...fx.client(), createInvitation: async () => { throw new TypeError("boom"); } } as unknown as ApplyClient;
    await expect(applyPlan(planOf(live, [change.invite("bug@acme.io")]), broken)).rejects.toThrow(TypeError);
  });
});

describe("applyPlan stopping early", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ seed: 40 });
  });
  afterAll(async () => fx.close());

  it("once the signal aborts, no new change starts: the rest are not attempted, the ones begun finish", async () => {
    const live = await fetchWorkspaceState(fx.client(), fx.workspace);
    const controller = new AbortController();
    const client = fx.client();
    const emails = Array.from({ length: 12 }, (_, i) => `stop${i}@acme.io`);
    const result = await applyPlan(planOf(live, emails.map((e) => change.invite(e))), client, {
      concurrency: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 4) controller.abort();
      },
    });
    expect(result.failed).toEqual([]);
    expect(result.applied.length).toBeGreaterThanOrEqual(4);
    expect(result.applied.length).toBeLessThanOrEqual(5); // the call in flight when it aborted finishes
    expect(result.notAttempted.map((n) => n.reason)).toEqual(Array(12 - result.applied.length).fill("interrupted"));
    expect(client.calls.writes).toBe(result.applied.length);
    const pending = await fx.client().listInvitations(fx.workspace, { status: "pending" });
    expect(pending.filter((i) => i.email.startsWith("stop")).map((i) => i.email).sort()).toEqual(result.applied.map((a) => a.email).sort());
  });

  it(`gives up after ${BREAKER_THRESHOLD} unreachable changes in a row: the rest are not attempted`, async () => {
    const live = await fetchWorkspaceState(fx.client(), fx.workspace);
    const gone = await startFixture();
    const url = gone.url;
    await gone.close();
    const dead = createClient({ baseUrl: url, token: fx.token, retry: { retries: 1 }, sleep: noSleep });
    try {
      const emails = Array.from({ length: 20 }, (_, i) => `dead${i}@acme.io`);
      const result = await applyPlan(planOf(live, emails.map((e) => change.invite(e))), dead, { concurrency: 1 });
      expect(result.applied).toEqual([]);
      expect(result.failed).toHaveLength(BREAKER_THRESHOLD);
      expect(result.failed.every((f) => f.error.status === 0)).toBe(true);
      expect(result.notAttempted).toHaveLength(20 - BREAKER_THRESHOLD);
      expect(new Set(result.notAttempted.map((n) => n.reason))).toEqual(new Set(["unreachable"]));
      expect(dead.calls.writes).toBe(BREAKER_THRESHOLD);
    } finally {
      await dead.close();
    }
  });

  it("a refusal (4xx) does not count towards giving up: only unreachable failures in a row do", async () => {
    const live = await fetchWorkspaceState(fx.client(), fx.workspace);
    const client = fx.client();
    // Inviting the owner is refused (409 already_member) every time: never a reason to stop.
    const owner = live.members.find((m) => m.role === "owner")!.email;
    const changes = Array.from({ length: 6 }, (_, i) => ({ ...change.invite(owner), key: `inviteMember:owner-${i}` }));
    const result = await applyPlan(planOf(live, changes), client, { concurrency: 1, breakerThreshold: 2 });
    expect(result.notAttempted).toEqual([]);
    expect(result.failed).toHaveLength(6);
  });
});
