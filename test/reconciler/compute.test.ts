import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import type { LiveState } from "../../reconciler/live-state.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../../reconciler/plan.js";
import type { DesiredState } from "../../schema/model.js";
import { desired, invitation, live, member, NO_LIMIT, role, want, wantRole } from "./factory.js";

interface Case {
  name: string;
  desired: DesiredState;
  live: LiveState;
  /** the plan's change keys, in plan order */
  changes: string[];
  /** warning codes with their email or role, in plan order */
  warnings?: string[];
  check?: (plan: Plan) => void;
}

const plan = (d: DesiredState, l: LiveState) => computePlan(d, l, { target: "http://127.0.0.1:1", planId: "plan-under-test" });
const only = (p: Plan) => {
  expect(p.changes).toHaveLength(1);
  return p.changes[0]!;
};

const cases: Case[] = [
  // Active members
  { name: "an empty file against a workspace with only the owner changes nothing", desired: desired(), live: live(), changes: [] },
  {
    name: "an active member with the same role is left alone",
    desired: desired({ members: [want("bob@acme.io")] }),
    live: live({ members: [member("bob@acme.io")] }),
    changes: [],
  },
  {
    name: "grants compare as sets (order and duplicates do not matter)",
    desired: desired({ members: [want("bob@acme.io", "developer", ["environments:configure", "domains:manage", "domains:manage"])] }),
    live: live({ members: [member("bob@acme.io", "developer", ["domains:manage", "environments:configure"])] }),
    changes: [],
  },
  {
    name: "emails in the file match live emails case-insensitively",
    desired: desired({ members: [want("Bob@ACME.io ")] }),
    live: live({ members: [member("bob@acme.io")] }),
    changes: [],
  },
  {
    name: "live emails with capitals match lower-case file emails",
    desired: desired({ members: [want("bob@acme.io")] }),
    live: live({ members: [member("Bob@Acme.IO")] }),
    changes: [],
  },
  {
    name: "a role change is one in-place updateMember; developer → account-admin makes an admin (grants phase, though it loses deploy rights) and is high risk",
    desired: desired({ members: [want("bob@acme.io", "account-admin")] }),
    live: live({ members: [member("bob@acme.io")] }),
    changes: ["updateMember:bob@acme.io"],
    check: (p) => {
      const c = only(p);
      expect(c).toMatchObject({ phase: "grants", risk: "high", before: { role: "developer" }, after: { role: "account-admin" } });
      expect(c.gained).toEqual(["billing:read", "access:manage", "settings:manage", "infrastructure:configure", "domains:manage"]);
      expect(c.lost).toEqual(["deployments:create", "config:read"]);
    },
  },
  {
    name: "an admin swap promotes the new admin before demoting the old one, so the admin count never dips mid-apply",
    desired: desired({ members: [want("alice@acme.io", "developer"), want("bob@acme.io", "account-admin")] }),
    live: live({ members: [member("alice@acme.io", "account-admin"), member("bob@acme.io")] }),
    changes: ["updateMember:bob@acme.io", "updateMember:alice@acme.io"],
    check: (p) => expect(p.changes.map((c) => c.phase)).toEqual(["grants", "demotions"]),
  },
  {
    name: "an added grant is a promotion (grants phase, normal risk)",
    desired: desired({ members: [want("bob@acme.io", "developer", ["domains:manage"])] }),
    live: live({ members: [member("bob@acme.io")] }),
    changes: ["updateMember:bob@acme.io"],
    check: (p) => expect(only(p)).toMatchObject({ phase: "grants", risk: "normal", gained: ["domains:manage"], lost: [] }),
  },
  {
    name: "gaining access:manage through a grant is high risk",
    desired: desired({ members: [want("bob@acme.io", "developer", ["access:manage"])] }),
    live: live({ members: [member("bob@acme.io")] }),
    changes: ["updateMember:bob@acme.io"],
    check: (p) => expect(only(p)).toMatchObject({ phase: "grants", risk: "high", gained: ["access:manage"] }),
  },
  {
    name: "gaining billing:read is high risk",
    desired: desired({ members: [want("bob@acme.io", "developer", ["billing:read"])] }),
    live: live({ members: [member("bob@acme.io")] }),
    changes: ["updateMember:bob@acme.io"],
    check: (p) => expect(only(p).risk).toBe("high"),
  },
  {
    name: "a removed grant is a demotion",
    desired: desired({ members: [want("bob@acme.io")] }),
    live: live({ members: [member("bob@acme.io", "developer", ["domains:manage"])] }),
    changes: ["updateMember:bob@acme.io"],
    check: (p) => expect(only(p)).toMatchObject({ phase: "demotions", risk: "normal", gained: [], lost: ["domains:manage"] }),
  },
  {
    name: "a grant already in the role changes the record but no effective permission",
    desired: desired({ members: [want("bob@acme.io", "developer", ["logs:read"])] }),
    live: live({ members: [member("bob@acme.io")] }),
    changes: ["updateMember:bob@acme.io"],
    check: (p) => expect(only(p)).toMatchObject({ phase: "grants", gained: [], lost: [] }),
  },
  {
    name: "a member holding a pending invitation too is reconciled as a member",
    desired: desired({ members: [want("bob@acme.io")] }),
    live: live({ members: [member("bob@acme.io")], invitations: [invitation("bob@acme.io", "account-admin")] }),
    changes: [],
  },
  // Invitations
  {
    name: "someone neither a member nor invited is invited",
    desired: desired({ members: [want("new@acme.io", "developer", ["domains:manage"], { group: "backend" })] }),
    live: live(),
    changes: ["inviteMember:new@acme.io"],
    check: (p) =>
      expect(only(p)).toMatchObject({ phase: "grants", risk: "normal", before: null, after: { role: "developer", permissions: ["domains:manage"] }, reason: "not a member yet; group backend" }),
  },
  {
    name: "inviting an account-admin is high risk",
    desired: desired({ members: [want("ops@acme.io", "account-admin")] }),
    live: live(),
    changes: ["inviteMember:ops@acme.io"],
    check: (p) => expect(only(p).risk).toBe("high"),
  },
  {
    name: "a matching pending invitation counts as done",
    desired: desired({ members: [want("new@acme.io", "developer", ["domains:manage"])] }),
    live: live({ invitations: [invitation("NEW@acme.io", "developer", { permissions: ["domains:manage"] })] }),
    changes: [],
  },
  {
    name: "a differing pending invitation is updated in place",
    desired: desired({ members: [want("new@acme.io", "developer", ["domains:manage"])] }),
    live: live({ invitations: [invitation("new@acme.io", "developer", { version: 4 })] }),
    changes: ["updateInvitation:new@acme.io"],
    check: (p) => expect(only(p)).toMatchObject({ phase: "grants", version: 4, gained: ["domains:manage"] }),
  },
  {
    name: "a pending invitation losing permissions is updated in the demotions phase",
    desired: desired({ members: [want("new@acme.io", "developer")] }),
    live: live({ invitations: [invitation("new@acme.io", "account-admin")] }),
    changes: ["updateInvitation:new@acme.io"],
    check: (p) => expect(only(p).phase).toBe("demotions"),
  },
  {
    name: "a matching expired invitation sent once is resent",
    desired: desired({ members: [want("new@acme.io")] }),
    live: live({ invitations: [invitation("new@acme.io", "developer", { status: "expired", sendCount: 1 })] }),
    changes: ["resendInvitation:new@acme.io"],
    check: (p) => expect(only(p)).toMatchObject({ sendCount: 1, phase: "grants", reason: "invitation expired on 2026-01-08; resend 1 of 3" }),
  },
  {
    name: "resends done are sendCount - 1: sendCount 3 with maxResends 3 still resends (third resend)",
    desired: desired({ members: [want("new@acme.io")] }),
    live: live({ invitations: [invitation("new@acme.io", "developer", { status: "expired", sendCount: 3 })] }),
    changes: ["resendInvitation:new@acme.io"],
  },
  {
    name: "after maxResends resends an expired invitation is a warning, not a change",
    desired: desired({ members: [want("new@acme.io")] }),
    live: live({ invitations: [invitation("new@acme.io", "developer", { status: "expired", sendCount: 4 })] }),
    changes: [],
    warnings: ["max-resends-reached:new@acme.io"],
  },
  {
    name: "maxResends 0 never resends",
    desired: desired({ members: [want("new@acme.io")], invitations: { maxResends: 0 } }),
    live: live({ invitations: [invitation("new@acme.io", "developer", { status: "expired", sendCount: 1 })] }),
    changes: [],
    warnings: ["max-resends-reached:new@acme.io"],
  },
  {
    name: "resendExpired: false leaves an expired invitation with a warning",
    desired: desired({ members: [want("new@acme.io")], invitations: { resendExpired: false } }),
    live: live({ invitations: [invitation("new@acme.io", "developer", { status: "expired" })] }),
    changes: [],
    warnings: ["invitation-expired:new@acme.io"],
  },
  {
    name: "an expired invitation that differs gets a fresh invitation",
    desired: desired({ members: [want("new@acme.io", "account-admin")] }),
    live: live({ invitations: [invitation("new@acme.io", "developer", { status: "expired", sendCount: 9 })] }),
    changes: ["inviteMember:new@acme.io"],
  },
  {
    name: "a revoked invitation gets a fresh invitation",
    desired: desired({ members: [want("new@acme.io")] }),
    live: live({ invitations: [invitation("new@acme.io", "developer", { status: "revoked" })] }),
    changes: ["inviteMember:new@acme.io"],
    check: (p) => expect(only(p).reason).toBe("previous invitation was revoked"),
  },
  {
    name: "of several invitations the pending one speaks, even when older",
    desired: desired({ members: [want("new@acme.io")] }),
    live: live({
      invitations: [
        invitation("new@acme.io", "developer", { createdAt: "2026-01-01T00:00:00.000Z" }),
        invitation("new@acme.io", "developer", { status: "revoked", createdAt: "2026-02-01T00:00:00.000Z" }),
      ],
    }),
    changes: [],
  },
  {
    name: "without a pending one the newest invitation speaks (revoked, newer than expired)",
    desired: desired({ members: [want("new@acme.io")] }),
    live: live({
      invitations: [
        invitation("new@acme.io", "developer", { status: "revoked", createdAt: "2026-02-01T00:00:00.000Z" }),
        invitation("new@acme.io", "developer", { status: "expired", createdAt: "2026-01-01T00:00:00.000Z" }),
      ],
    }),
    changes: ["inviteMember:new@acme.io"],
  },
  // Authoritative and additive
  {
    name: "authoritative: a member the file does not name is removed",
    desired: desired({ safety: NO_LIMIT }),
    live: live({ members: [member("gone@acme.io", "account-admin")] }),
    changes: ["removeMember:gone@acme.io"],
    check: (p) => expect(only(p)).toMatchObject({ phase: "removals", reason: "not in access.yaml", lost: expect.arrayContaining(["access:manage"]) }),
  },
  {
    name: "authoritative: a pending invitation the file does not name is revoked",
    desired: desired({ safety: NO_LIMIT }),
    live: live({ invitations: [invitation("gone@acme.io")] }),
    changes: ["revokeInvitation:gone@acme.io"],
  },
  {
    name: "authoritative: expired and revoked invitations nobody names are left alone",
    desired: desired(),
    live: live({ invitations: [invitation("a@acme.io", "developer", { status: "expired" }), invitation("b@acme.io", "developer", { status: "revoked" })] }),
    changes: [],
  },
  {
    name: "additive: unnamed members and pending invitations are reported, not touched",
    desired: desired({ mode: "additive" }),
    live: live({ members: [member("stay@acme.io")], invitations: [invitation("wait@acme.io")] }),
    changes: [],
    warnings: ["unmanaged-invitation:wait@acme.io", "unmanaged-member:stay@acme.io"],
  },
  {
    name: "additive: named people are still invited and updated",
    desired: desired({ mode: "additive", members: [want("new@acme.io"), want("bob@acme.io", "account-admin")] }),
    live: live({ members: [member("bob@acme.io")] }),
    changes: ["updateMember:bob@acme.io", "inviteMember:new@acme.io"],
  },
  // Preserve and owner
  {
    name: "preserve: an unnamed preserved member is never removed (case-insensitive)",
    desired: desired({ safety: { ...NO_LIMIT, preserve: ["CI-Bot@acme.io"] } }),
    live: live({ members: [member("ci-bot@acme.io", "account-admin")] }),
    changes: [],
  },
  {
    name: "preserve: a listed preserved member that differs is not changed, but warned about",
    desired: desired({ members: [want("ci-bot@acme.io", "developer")], safety: { preserve: ["ci-bot@acme.io"] } }),
    live: live({ members: [member("ci-bot@acme.io", "account-admin")] }),
    changes: [],
    warnings: ["preserved-differs:ci-bot@acme.io"],
  },
  {
    name: "preserve: a preserved pending invitation is neither updated nor revoked",
    desired: desired({ members: [], safety: { ...NO_LIMIT, preserve: ["ci-bot@acme.io"] } }),
    live: live({ invitations: [invitation("ci-bot@acme.io")] }),
    changes: [],
  },
  {
    name: "the owner is never removed, even unnamed in authoritative mode",
    desired: desired({ safety: NO_LIMIT }),
    live: live({ owner: "Founder@acme.io" }),
    changes: [],
  },
  {
    name: "the owner listed under members is never changed (the owner rail reports it)",
    desired: desired({ members: [want("owner@acme.io", "developer")] }),
    live: live(),
    changes: [],
    check: (p) => expect(p.violations.map((v) => v.rail)).toEqual(["owner"]),
  },
  // expires
  {
    name: "an entry past its expiry removes the member, with the date as the reason",
    desired: desired({ expiredMembers: [want("eve@contractor.dev", "developer", [], { expires: "2026-01-31" })], safety: NO_LIMIT }),
    live: live({ members: [member("eve@contractor.dev")] }),
    changes: ["removeMember:eve@contractor.dev"],
    check: (p) => expect(only(p).reason).toBe("expired on 2026-01-31"),
  },
  {
    name: "an entry past its expiry is removed in additive mode too (the file says when access ends)",
    desired: desired({ mode: "additive", expiredMembers: [want("eve@contractor.dev", "developer", [], { expires: "2026-01-31" })], safety: NO_LIMIT }),
    live: live({ members: [member("eve@contractor.dev")] }),
    changes: ["removeMember:eve@contractor.dev"],
  },
  {
    name: "an entry past its expiry revokes a pending invitation",
    desired: desired({ expiredMembers: [want("eve@contractor.dev", "developer", [], { expires: "2026-01-31" })], safety: NO_LIMIT }),
    live: live({ invitations: [invitation("eve@contractor.dev")] }),
    changes: ["revokeInvitation:eve@contractor.dev"],
  },
  {
    name: "an entry past its expiry for someone absent changes nothing",
    desired: desired({ expiredMembers: [want("eve@contractor.dev", "developer", [], { expires: "2026-01-31" })] }),
    live: live(),
    changes: [],
  },
  // Custom roles
  {
    name: "a custom role the workspace lacks is created (before anyone is invited to it)",
    desired: desired({ roles: [wantRole("release-manager", ["deployments:create", "deployments:read"])], members: [want("rm@acme.io", "release-manager")] }),
    live: live(),
    changes: ["createRole:release-manager", "inviteMember:rm@acme.io"],
    check: (p) => expect(p.changes[0]).toMatchObject({ phase: "roles", after: { permissions: ["deployments:read", "deployments:create"] } }),
  },
  {
    name: "a custom role with the same permissions and description is left alone",
    desired: desired({ roles: [wantRole("qa", ["logs:read", "deployments:read"])] }),
    live: live({ roles: [role("qa", ["deployments:read", "logs:read"])] }),
    changes: [],
  },
  {
    name: "a custom role gaining a permission is updated in the roles phase; holders gain it",
    desired: desired({ roles: [wantRole("qa", ["logs:read", "deployments:read"])] }),
    live: live({ roles: [role("qa", ["logs:read"])] }),
    changes: ["updateRole:qa"],
    check: (p) => expect(only(p)).toMatchObject({ phase: "roles", gained: ["deployments:read"], lost: [] }),
  },
  {
    name: "a custom role losing a permission is updated in the demotions phase",
    desired: desired({ roles: [wantRole("qa", ["logs:read"])] }),
    live: live({ roles: [role("qa", ["logs:read", "deployments:read"])] }),
    changes: ["updateRole:qa"],
    check: (p) => expect(only(p)).toMatchObject({ phase: "demotions", lost: ["deployments:read"] }),
  },
  {
    name: "a custom role whose description differs is updated",
    desired: desired({ roles: [wantRole("qa", ["logs:read"], "Quality assurance")] }),
    live: live({ roles: [role("qa", ["logs:read"], "QA")] }),
    changes: ["updateRole:qa"],
    check: (p) => expect(only(p).reason).toBe("description differs from access.yaml"),
  },
  {
    name: "moving to a custom role values gained and lost with the file's definition of it",
    desired: desired({ roles: [wantRole("qa", ["logs:read", "deployments:read"])], members: [want("bob@acme.io", "qa")] }),
    live: live({ members: [member("bob@acme.io")], roles: [role("qa", ["logs:read"])] }),
    changes: ["updateRole:qa", "updateMember:bob@acme.io"],
    check: (p) => expect(p.changes[1]).toMatchObject({ gained: [], lost: ["resources:manage", "deployments:create", "config:read"] }),
  },
  {
    name: "authoritative: an unnamed custom role nobody holds is deleted last",
    desired: desired(),
    live: live({ roles: [role("old", ["logs:read"])] }),
    changes: ["deleteRole:old"],
    check: (p) => expect(only(p)).toMatchObject({ phase: "roleDeletions", lost: ["logs:read"] }),
  },
  {
    name: "authoritative: an unnamed custom role is deleted after its only holder is removed",
    desired: desired({ safety: NO_LIMIT }),
    live: live({ members: [member("x@acme.io", "old")], roles: [role("old", ["logs:read"])] }),
    changes: ["removeMember:x@acme.io", "deleteRole:old"],
  },
  {
    name: "authoritative: an unnamed custom role is deleted after its holder moves to another role",
    desired: desired({ members: [want("x@acme.io")] }),
    live: live({ members: [member("x@acme.io", "old")], roles: [role("old", ["logs:read"])] }),
    changes: ["updateMember:x@acme.io", "deleteRole:old"],
  },
  {
    name: "a custom role still held (a preserved member, a pending invitation) is kept with a warning",
    desired: desired({ mode: "authoritative", safety: { preserve: ["bot@acme.io"] }, members: [want("bot@acme.io", "old")] }),
    live: live({ members: [member("bot@acme.io", "old")], roles: [role("old", ["logs:read"])] }),
    changes: [],
    warnings: ["role-in-use:"],
  },
  {
    name: "a revoked invitation does not hold a role; a pending one does",
    desired: desired({ mode: "authoritative", safety: { preserve: ["p@acme.io"] } }),
    live: live({
      invitations: [invitation("r@acme.io", "gone", { status: "revoked" }), invitation("p@acme.io", "kept")],
      roles: [role("gone", ["logs:read"]), role("kept", ["logs:read"])],
    }),
    changes: ["deleteRole:gone"],
    warnings: ["role-in-use:"],
  },
  {
    name: "additive: an unnamed custom role is reported, not deleted",
    desired: desired({ mode: "additive" }),
    live: live({ roles: [role("old", ["logs:read"])] }),
    changes: [],
    warnings: ["unmanaged-role:"],
  },
  // Order and plan fields
  {
    name: "changes are ordered by phase, high risk first, then kind, then email",
    desired: desired({
      safety: NO_LIMIT,
      roles: [wantRole("qa", ["logs:read"])],
      members: [want("zed@acme.io"), want("amy@acme.io"), want("boss@acme.io", "account-admin"), want("dev@acme.io"), want("inv@acme.io", "developer")],
    }),
    live: live({
      members: [member("dev@acme.io", "developer", ["domains:manage"]), member("gone@acme.io"), member("amy@acme.io", "developer")],
      invitations: [invitation("inv@acme.io", "developer", { permissions: ["domains:manage"] }), invitation("left@acme.io")],
      roles: [role("old", ["logs:read"])],
    }),
    changes: [
      "createRole:qa",
      "inviteMember:boss@acme.io",
      "inviteMember:zed@acme.io",
      "updateInvitation:inv@acme.io",
      "updateMember:dev@acme.io",
      "revokeInvitation:left@acme.io",
      "removeMember:gone@acme.io",
      "deleteRole:old",
    ],
  },
  {
    name: "the plan records where it came from and counts its changes",
    desired: desired({ members: [want("a@acme.io", "account-admin"), want("b@acme.io")] }),
    live: live({ caller: "owner@acme.io", revision: 42 }),
    changes: ["inviteMember:a@acme.io", "inviteMember:b@acme.io"],
    check: (p) => {
      expect(p).toMatchObject({ formatVersion: PLAN_FORMAT_VERSION, planId: "plan-under-test", accessFile: null, workspace: "acme-prod", target: "http://127.0.0.1:1", mode: "authoritative", liveDigest: "sha256:live-digest-for-tests", liveRevision: 42, caller: "owner@acme.io", violations: [] });
      expect(p.summary).toMatchObject({ inviteMember: 2, total: 2, highRisk: 1, removeMember: 0 });
    },
  },
];

describe("computePlan", () => {
  it.each(cases)("$name", (c) => {
    const p = plan(c.desired, c.live);
    expect(p.changes.map((x) => x.key)).toEqual(c.changes);
    expect(p.warnings.map((w) => `${w.code}:${w.email ?? ""}`)).toEqual(c.warnings ?? []);
    c.check?.(p);
  });

  it("is pure: the same inputs give the same plan, and the inputs are not modified", () => {
    const d = desired({ safety: NO_LIMIT, members: [want("a@acme.io", "account-admin")] });
    const l = live({ members: [member("gone@acme.io")], roles: [role("old", ["logs:read"])] });
    const before = JSON.stringify([d, l]);
    expect(plan(d, l)).toEqual(plan(d, l));
    expect(JSON.stringify([d, l])).toBe(before);
  });

  it("keys are unique within a plan", () => {
    const d = desired({ safety: NO_LIMIT, members: Array.from({ length: 50 }, (_, i) => want(`p${i}@acme.io`, i % 2 ? "developer" : "account-admin")) });
    const l = live({ members: Array.from({ length: 50 }, (_, i) => member(`p${i * 2}@acme.io`)) });
    const keys = plan(d, l).changes.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("planId", () => {
  it("is random per computed plan unless given, so idempotency keys never recur across plans of a recurring state", () => {
    const d = desired({ members: [want("bob@acme.io")] });
    const l = live({});
    const a = computePlan(d, l, { target: "t" });
    const b = computePlan(d, l, { target: "t" });
    expect(a.planId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.planId).not.toBe(b.planId);
    expect(a.changes).toEqual(b.changes);
    expect(computePlan(d, l, { target: "t", planId: "fixed" }).planId).toBe("fixed");
  });
});

describe("invitations whose sponsor loses access:manage in the plan: each is decided, transfer or revoke, and shown", () => {
  const sponsoredBy = (inv: ReturnType<typeof invitation>, email: string) => ({ ...inv, invitedBy: email, sponsor: email });
  const admin = () => member("adm@acme.io", "account-admin");
  const base = { safety: NO_LIMIT };
  const decisions = (p: ReturnType<typeof plan>) =>
    p.changes.flatMap((c) => ("sponsored" in c && c.sponsored ? c.sponsored.map((s) => [c.key, s.email, s.decision, s.reason]) : []));
  it.each([
    {
      name: "the sponsor is removed: an invitation the file lists is transferred, no second e-mail",
      d: desired({ ...base, members: [want("alt@acme.io")] }),
      l: live({ members: [admin()], invitations: [sponsoredBy(invitation("alt@acme.io"), "adm@acme.io")] }),
      changes: [["removeMember:adm@acme.io", "removals"]],
      decided: [["removeMember:adm@acme.io", "alt@acme.io", "transfer", "access.yaml lists it"]],
    },
    {
      name: "the sponsor is demoted: a differing invitation is updated (its sponsor becomes the caller) and transferred",
      d: desired({ ...base, members: [want("adm@acme.io"), want("alt@acme.io", "account-admin")] }),
      l: live({ members: [admin(), member("ops@acme.io", "account-admin")], invitations: [sponsoredBy(invitation("alt@acme.io"), "adm@acme.io")] }),
      changes: [["updateInvitation:alt@acme.io", "grants"], ["updateMember:adm@acme.io", "demotions"], ["removeMember:ops@acme.io", "removals"]],
      decided: [["updateMember:adm@acme.io", "alt@acme.io", "transfer", "access.yaml lists it"]],
    },
    {
      name: "an expired invitation the file lists is resent, not invited again",
      d: desired({ ...base, members: [want("alt@acme.io")] }),
      l: live({ members: [admin()], invitations: [sponsoredBy(invitation("alt@acme.io", "developer", { status: "expired" }), "adm@acme.io")] }),
      changes: [["resendInvitation:alt@acme.io", "grants"], ["removeMember:adm@acme.io", "removals"]],
      decided: [["removeMember:adm@acme.io", "alt@acme.io", "transfer", "access.yaml lists it"]],
    },
    {
      name: "a role edit that takes access:manage from its holder decides the holder's invitations",
      d: desired({ ...base, members: [want("adm@acme.io", "lead"), want("alt@acme.io")], roles: [wantRole("lead", ["logs:read"])] }),
      l: live({
        members: [member("adm@acme.io", "lead")],
        roles: [role("lead", ["access:manage", "logs:read"])],
        invitations: [sponsoredBy(invitation("alt@acme.io"), "adm@acme.io")],
      }),
      changes: [["updateRole:lead", "demotions"]],
      decided: [["updateRole:lead", "alt@acme.io", "transfer", "access.yaml lists it"]],
    },
    {
      name: "additive mode and safety.preserve keep the invitations they leave alone (transferred)",
      d: desired({ ...base, mode: "additive", members: [], expiredMembers: [want("adm@acme.io", "account-admin")], safety: { ...NO_LIMIT, preserve: ["pres@acme.io"] } }),
      l: live({
        members: [admin()],
        invitations: [sponsoredBy(invitation("gina@acme.io"), "adm@acme.io"), sponsoredBy(invitation("pres@acme.io"), "adm@acme.io")],
      }),
      changes: [["removeMember:adm@acme.io", "removals"]],
      decided: [
        ["removeMember:adm@acme.io", "gina@acme.io", "transfer", "additive mode leaves it alone"],
        ["removeMember:adm@acme.io", "pres@acme.io", "transfer", "in safety.preserve"],
      ],
    },
    {
      name: "authoritative mode: an invitation the file drops is revoked by its own change; an expired one nothing keeps is a consequence revocation",
      d: desired({ ...base, members: [] }),
      l: live({
        members: [admin()],
        invitations: [sponsoredBy(invitation("drop@acme.io"), "adm@acme.io"), sponsoredBy(invitation("old@acme.io", "developer", { status: "expired" }), "adm@acme.io")],
      }),
      changes: [["removeMember:adm@acme.io", "removals"], ["revokeInvitation:drop@acme.io", "removals"], ["revokeInvitation:old@acme.io", "removals"]],
      decided: [
        ["removeMember:adm@acme.io", "drop@acme.io", "revoke", "this plan revokes it (not in access.yaml)"],
        ["removeMember:adm@acme.io", "old@acme.io", "revoke", "nothing keeps it: access.yaml does not list it"],
      ],
    },
    {
      name: "invitations of someone who keeps access:manage are not decided",
      d: desired({ ...base, members: [want("alt@acme.io"), want("adm@acme.io", "account-admin")] }),
      l: live({ members: [admin()], invitations: [sponsoredBy(invitation("alt@acme.io"), "adm@acme.io")] }),
      changes: [],
      decided: [],
    },
  ])("$name", ({ d, l, changes, decided }) => {
    const p = plan(d, l);
    expect(p.changes.map((c) => [c.key, c.phase])).toEqual(changes);
    expect(decisions(p)).toEqual(decided);
  });

  it("a consequence revocation names its cause and counts toward maxRemovals", () => {
    const p = plan(
      desired({ safety: { maxRemovals: { kind: "count", value: 1 } }, members: [] }),
      live({ members: [admin()], invitations: [sponsoredBy(invitation("old@acme.io", "developer", { status: "expired" }), "adm@acme.io")] }),
    );
    const revoke = p.changes.find((c) => c.kind === "revokeInvitation");
    expect(revoke).toMatchObject({ cause: "removeMember:adm@acme.io", reason: "its sponsor adm@acme.io loses access:manage (removeMember:adm@acme.io) and access.yaml does not list it" });
    expect(p.violations.map((v) => v.rail)).toContain("maxRemovals");
  });
});
