import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import type { LiveState } from "../../reconciler/live-state.js";
import { assertNever, PHASES, type Plan } from "../../reconciler/plan.js";
import type { Invitation, InvitationStatus, Member, Role } from "../../schema/api.js";
import { desired, invitation, live, member, role, want, wantRole } from "./factory.js";

/**
 * simulate is a small model of the Access API applying a plan's changes, phase by phase:
 * enough to check that computePlan converges (a second plan after applying the first is
 * empty) on arbitrary workspaces and files. The real server is exercised by the apply
 * engine and end-to-end suites; this explores many more shapes.
 */
function simulate(plan: Plan, state: LiveState): LiveState {
  let members: Member[] = [...state.members];
  let invitations: Invitation[] = [...state.invitations];
  let roles: Role[] = [...state.roles];
  const byEmail = (email: string) => (x: { email: string }) => x.email.toLowerCase() === email;
  for (const phase of PHASES) {
    for (const c of plan.changes.filter((x) => x.phase === phase)) {
      switch (c.kind) {
        case "inviteMember":
          invitations.push(invitation(c.email, c.after.role, { permissions: c.after.permissions, createdAt: "2026-06-01T00:00:00.000Z" }));
          break;
        case "updateInvitation":
          invitations = invitations.map((i) => (i.id === c.invitationId ? { ...i, role: c.after.role, permissions: c.after.permissions } : i));
          break;
        case "resendInvitation":
          invitations = invitations.map((i) => (i.id === c.invitationId ? { ...i, status: "pending" as const, sendCount: i.sendCount + 1 } : i));
          break;
        case "revokeInvitation":
          invitations = invitations.map((i) => (i.id === c.invitationId ? { ...i, status: "revoked" as const } : i));
          break;
        case "updateMember":
          members = members.map((m) => (m.id === c.memberId ? { ...m, role: c.after.role, permissions: c.after.permissions } : m));
          break;
        case "removeMember":
          members = members.filter((m) => m.id !== c.memberId);
          break;
        case "createRole":
        case "updateRole":
          roles = [...roles.filter((r) => r.name !== c.name), role(c.name, c.after.permissions, c.after.description)];
          break;
        case "deleteRole":
          expect(members.some((m) => m.role === c.name) || invitations.some((i) => i.status === "pending" && i.role === c.name), `role ${c.name} deleted while held`).toBe(false);
          roles = roles.filter((r) => r.name !== c.name);
          break;
        default:
          assertNever(c);
      }
      if ("email" in c) expect(members.filter(byEmail(c.email)).length).toBeLessThanOrEqual(1);
    }
  }
  return { ...state, members, invitations, roles };
}

const EMAILS = ["a@acme.io", "b@acme.io", "c@acme.io", "d@acme.io", "e@acme.io", "f@acme.io"];
const ROLE_NAMES = ["developer", "account-admin", "qa", "lead"];
const grants = fc.subarray(["domains:manage", "environments:configure", "billing:read", "logs:read"]);
const upper = fc.boolean();
const cased = (email: string, up: boolean) => (up ? email.toUpperCase() : email);

const liveArb = fc
  .record({
    members: fc.array(fc.record({ email: fc.constantFrom(...EMAILS), role: fc.constantFrom(...ROLE_NAMES), grants, up: upper }), { maxLength: 6 }),
    invitations: fc.array(
      fc.record({ email: fc.constantFrom(...EMAILS), role: fc.constantFrom(...ROLE_NAMES), grants, status: fc.constantFrom<InvitationStatus>("pending", "expired", "revoked"), sendCount: fc.integer({ min: 1, max: 5 }) }),
      { maxLength: 6 },
    ),
    roles: fc.subarray(["qa", "lead", "old"]),
  })
  .map(({ members, invitations, roles }) => {
    const taken = new Set<string>();
    const ms = members.filter((m) => !taken.has(m.email) && taken.add(m.email)).map((m) => member(cased(m.email, m.up), m.role, m.grants));
    const pending = new Set<string>();
    const invs = invitations
      .filter((i) => i.status !== "pending" || (!taken.has(i.email) && !pending.has(i.email) && pending.add(i.email)))
      .map((i) => invitation(i.email, i.role, { permissions: i.grants, status: i.status, sendCount: i.sendCount }));
    // Live people may only hold roles the workspace has.
    const defined = new Set([...roles, "developer", "account-admin"]);
    const fix = <T extends { role: string }>(x: T) => (defined.has(x.role) ? x : { ...x, role: "developer" });
    return live({ members: ms.map(fix), invitations: invs.map(fix), roles: roles.map((r) => role(r, r === "lead" ? ["access:manage", "logs:read"] : ["logs:read"])) });
  });

const desiredArb = fc
  .record({
    mode: fc.constantFrom("authoritative" as const, "additive" as const),
    members: fc.uniqueArray(fc.record({ email: fc.constantFrom(...EMAILS), role: fc.constantFrom(...ROLE_NAMES), grants, up: upper }), { selector: (m) => m.email, maxLength: 6 }),
    expired: fc.subarray(EMAILS),
    roles: fc.subarray(["qa", "lead"]),
    preserve: fc.subarray(EMAILS, { maxLength: 2 }),
    maxResends: fc.integer({ min: 0, max: 3 }),
    resendExpired: fc.boolean(),
  })
  .map((d) => {
    const defined = new Set([...d.roles, "developer", "account-admin"]);
    const members = d.members.map((m) => want(cased(m.email, m.up), defined.has(m.role) ? m.role : "developer", m.grants));
    const named = new Set(d.members.map((m) => m.email));
    return desired({
      mode: d.mode,
      members,
      expiredMembers: d.expired.filter((e) => !named.has(e)).map((e) => want(e, "developer", [], { expires: "2026-01-31" })),
      roles: d.roles.map((r) => wantRole(r, r === "lead" ? ["access:manage", "deployments:read"] : ["logs:read", "config:read"])),
      safety: { maxRemovals: { kind: "percent", value: 100 }, minAdmins: 0, preserve: d.preserve },
      invitations: { maxResends: d.maxResends, resendExpired: d.resendExpired },
    });
  });

const converges = fc.property(desiredArb, liveArb, (d, l) => {
  const first = computePlan(d, l, { target: "t", allowSelfChange: true });
  const second = computePlan(d, simulate(first, l), { target: "t", allowSelfChange: true });
  expect(second.changes, JSON.stringify({ first: first.changes.map((c) => c.key), second: second.changes })).toEqual([]);
});

describe("computePlan converges", () => {
  it("after applying a plan, the next plan has no changes (property, fixed seed; CONVERGE_SEED replays another)", () => {
    fc.assert(converges, { numRuns: 400, seed: Number(process.env.CONVERGE_SEED ?? 20261130) });
  });

  it("…and on a random seed each run (fast-check prints the seed and path of a failure to replay it)", () => {
    fc.assert(converges, { numRuns: 200 });
  });
});
