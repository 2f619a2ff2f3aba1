import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type AccessClient } from "../../client/index.js";
import { applyPlan, type ApplyClient } from "../../reconciler/apply/index.js";
import { computePlan } from "../../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../../reconciler/fetch.js";
import { verifyApplied } from "../../reconciler/verify.js";
import { initWorkspace, issueToken } from "../../server/admin.js";
import { noSleep, startFixture, type Fixture } from "../client/fixture.js";
import { desired, NO_LIMIT, want, wantRole } from "./factory.js";

/**
 * Sponsors against the real reference server: random sequences of removals, demotions,
 * role edits and invitations sent by several admins, each apply run by a random admin.
 * After every apply, every invitation the plan decided is where the plan said (transferred
 * ones open and sponsored by the caller, revoked ones revoked) and the verification holds;
 * a concurrent writer that breaks a promise is named, with the history event that did it.
 * SPONSORS_SEED explores another sequence (printed on failure); CI runs the fixed one and a random one.
 */

const OWNER = "owner@acme.io";
const ADMINS = ["a1@acme.io", "a2@acme.io", "a3@acme.io"];
const PEOPLE = ["p1@acme.io", "p2@acme.io", "p3@acme.io", "p4@acme.io"];
const ADMIN_ACCESS = [null, "account-admin", "developer", "lead"] as const;
const FIXED_SEED = 20261208;
// 842964500 found a role edit deciding the invitations of a holder an earlier phase had moved off the role (kept as a regression seed)
const SEEDS = [FIXED_SEED, 842964500, Number(process.env.SPONSORS_SEED ?? Math.floor(Math.random() * 2 ** 31))];

const step = fc.record({
  sends: fc.array(fc.record({ by: fc.integer({ min: 0, max: ADMINS.length }), to: fc.integer({ min: 0, max: PEOPLE.length - 1 }) }), { maxLength: 4 }),
  admins: fc.array(fc.integer({ min: 0, max: ADMIN_ACCESS.length - 1 }), { minLength: ADMINS.length, maxLength: ADMINS.length }),
  people: fc.array(fc.boolean(), { minLength: PEOPLE.length, maxLength: PEOPLE.length }),
  leadManages: fc.boolean(),
  additive: fc.boolean(),
  preserve: fc.array(fc.boolean(), { minLength: PEOPLE.length, maxLength: PEOPLE.length }),
  applier: fc.integer({ min: 0, max: ADMINS.length }),
  accept: fc.array(fc.boolean(), { minLength: PEOPLE.length, maxLength: PEOPLE.length }),
});

let fx: Fixture;
let runs = 0;
const clients: AccessClient[] = [];
beforeAll(async () => {
  fx = await startFixture({ devOutbox: true });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await fx.close();
});

function clientOf(workspace: string, email: string, ownerToken: string): AccessClient {
  const token = email === OWNER ? ownerToken : issueToken(fx.dbPath, { workspace, email });
  const c = createClient({ baseUrl: fx.url, token, sleep: noSleep });
  clients.push(c);
  return c;
}

/** setUp makes a workspace with three admins (a3 through the custom role lead) and returns the owner's client. */
async function setUp(): Promise<{ workspace: string; owner: AccessClient; ownerToken: string }> {
  // runs are sequential: the clients of the previous run are done (and would hold connections past the server's per-address cap)
  await Promise.all(clients.splice(0).map((c) => c.close()));
  const workspace = `sp${++runs}`;
  const ownerToken = initWorkspace(fx.dbPath, { workspace, owner: OWNER });
  const owner = clientOf(workspace, OWNER, ownerToken);
  await owner.putRole(workspace, "lead", { description: "lead role", permissions: ["access:manage", "logs:read"] });
  for (const [i, email] of ADMINS.entries()) await owner.createInvitation(workspace, { email, role: i === 2 ? "lead" : "account-admin" });
  for (const m of await owner.devOutbox(workspace)) await owner.acceptInvitation(m.token);
  return { workspace, owner, ownerToken };
}

async function holdsManage(owner: AccessClient, workspace: string, email: string): Promise<boolean> {
  const m = (await owner.listMembers(workspace)).find((x) => x.email === email);
  return m?.effectivePermissions.includes("access:manage") ?? false;
}

describe("random removals, demotions, role edits and invitations by several admins", () => {
  it.each(SEEDS)("every invitation ends where the plan said, and verification holds (seed %i)", async (seed) => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 6 }), async (steps) => {
        const { workspace, owner, ownerToken } = await setUp();
        const everyone = [...ADMINS, OWNER];
        for (const s of steps) {
          for (const send of s.sends) {
            const by = everyone[send.by]!;
            if (!(await holdsManage(owner, workspace, by))) continue;
            await clientOf(workspace, by, ownerToken).createInvitation(workspace, { email: PEOPLE[send.to]!, role: "developer" }).catch(() => undefined);
          }
          let applier = (await holdsManage(owner, workspace, everyone[s.applier]!)) ? everyone[s.applier]! : OWNER;
          const members = [
            ...ADMINS.flatMap((email, i) => (ADMIN_ACCESS[s.admins[i]!] === null ? [] : [want(email, ADMIN_ACCESS[s.admins[i]!]!)])),
            ...PEOPLE.flatMap((email, i) => (s.people[i] ? [want(email, "developer")] : [])),
          ];
          const d = {
            ...desired({
              members,
              mode: s.additive ? "additive" : "authoritative",
              roles: [wantRole("lead", s.leadManages ? ["access:manage", "logs:read"] : ["logs:read"], "lead role")],
              safety: { ...NO_LIMIT, preserve: PEOPLE.filter((_, i) => s.preserve[i]) },
            }),
            workspace,
          };
          let client = clientOf(workspace, applier, ownerToken);
          let live = await fetchWorkspaceState(client, workspace);
          let plan = computePlan(d, live, { target: fx.url });
          if (plan.violations.length > 0 && applier !== OWNER) {
            // the self rail stopped an admin from removing or demoting itself: the owner applies instead
            applier = OWNER;
            client = clientOf(workspace, OWNER, ownerToken);
            live = await fetchWorkspaceState(client, workspace);
            plan = computePlan(d, live, { target: fx.url });
          }
          expect(plan.violations).toEqual([]);
          const result = await applyPlan(plan, client);
          expect(result.failed, JSON.stringify({ failed: result.failed, changes: plan.changes.map((c) => [c.key, "sponsored" in c ? c.sponsored : undefined]), live: live.invitations.map((i) => [i.email, i.status, i.sponsor]), members: live.members.map((m) => [m.email, m.role]) })).toEqual([]);

          const after = await owner.listInvitations(workspace);
          for (const c of plan.changes) {
            if (c.kind !== "removeMember" && c.kind !== "updateMember" && c.kind !== "updateRole") continue;
            for (const decided of c.sponsored ?? []) {
              const inv = after.find((i) => i.id === decided.invitationId)!;
              if (decided.decision === "revoke") expect(inv.status, `${decided.email} (${c.key})`).toBe("revoked");
              else expect([inv.status === "pending" || inv.status === "expired" || inv.status === "accepted", inv.sponsor], JSON.stringify({ change: c, inv, applier, live: live.invitations.map((i) => [i.email, i.status, i.sponsor]) })).toEqual([true, applier]);
            }
          }
          if (applier !== OWNER && !(await holdsManage(owner, workspace, applier))) continue; // the self rail allowed it: nothing sponsored
          const verification = await verifyApplied(client, d, plan, live, new Set(result.applied.map((a) => a.key)));
          expect(verification, JSON.stringify(verification)).toEqual({ status: "verified" });

          const outbox = await owner.devOutbox(workspace);
          const newest = new Map(outbox.map((m) => [m.email, m.token]));
          for (const inv of await owner.listInvitations(workspace, { status: "pending" })) {
            if (s.accept[PEOPLE.indexOf(inv.email)] === true) await owner.acceptInvitation(newest.get(inv.email)!).catch(() => undefined);
          }
        }
      }),
      { seed, numRuns: 8, endOnFailure: true },
    );
  }, 240_000);
});

describe("a writer that breaks a promise during the apply", () => {
  it("is named by the verification, with the history event that did it", async () => {
    const { workspace, owner, ownerToken } = await setUp();
    const a1 = clientOf(workspace, ADMINS[0]!, ownerToken);
    await a1.createInvitation(workspace, { email: "gina@acme.io", role: "developer" });
    // additive: gina is left alone and a1's removal transfers her invitation to the owner
    const d = { ...desired({ mode: "additive", members: [want(ADMINS[1]!, "account-admin"), want(ADMINS[2]!, "lead")], expiredMembers: [want(ADMINS[0]!, "account-admin")], roles: [wantRole("lead", ["access:manage", "logs:read"], "lead role")], safety: NO_LIMIT }), workspace };
    const live = await fetchWorkspaceState(owner, workspace);
    const plan = computePlan(d, live, { target: fx.url });
    expect(plan.violations).toEqual([]);
    const a2 = clientOf(workspace, ADMINS[1]!, ownerToken);
    // After the removal answers, a2 revokes gina's invitation: the plan promised to keep it.
    const disturbing: ApplyClient = Object.assign(Object.create(owner) as AccessClient, {
      removeMember: async (...args: Parameters<AccessClient["removeMember"]>) => {
        await owner.removeMember(...args);
        const gina = (await a2.listInvitations(workspace, { status: "pending" })).find((i) => i.email === "gina@acme.io")!;
        await a2.revokeInvitation(workspace, gina.id, { ifMatch: gina.version, idempotencyKey: "disturb" });
      },
    });
    const result = await applyPlan(plan, disturbing);
    expect(result.failed).toEqual([]);
    const verification = await verifyApplied(owner, d, plan, live, new Set(result.applied.map((a) => a.key)));
    expect(verification).toMatchObject({
      status: "differs",
      deviations: [
        {
          subject: "gina@acme.io",
          promised: "an open invitation as developer, sponsored by owner@acme.io",
          found: "nothing (no member, no open invitation)",
          event: { action: "invitation.revoked", actor: ADMINS[1], client: "antryk-access" },
        },
      ],
    });
  });
});
