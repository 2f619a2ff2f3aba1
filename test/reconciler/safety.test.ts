import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import type { LiveState } from "../../reconciler/live-state.js";
import type { Change, Plan, SafetyViolation } from "../../reconciler/plan.js";
import { runRails, SAFETY_RAILS } from "../../reconciler/safety/index.js";
import type { DesiredState } from "../../schema/model.js";
import { desired, invitation, live, member, NO_LIMIT, role, want, wantRole } from "./factory.js";

interface Case {
  name: string;
  desired: DesiredState;
  live: LiveState;
  allowSelfChange?: boolean;
  /** edit a computed plan, as a hand-edited saved plan would be */
  edit?: (plan: Plan, live: LiveState) => Change[];
  /** expected violations as `rail` or `rail: message fragment` */
  violations: string[];
  override?: string;
}

const people = (n: number, role = "developer", prefix = "p") => Array.from({ length: n }, (_, i) => member(`${prefix}${i}@acme.io`, role));
const count = (value: number) => ({ maxRemovals: { kind: "count" as const, value } });
const percent = (value: number) => ({ maxRemovals: { kind: "percent" as const, value } });
const keep = (emails: string[], role = "developer") => emails.map((e) => want(e, role));

/** removeOf builds the removeMember change a tampered plan would carry for a live member. */
function removeOf(l: LiveState, email: string): Change {
  const m = l.members.find((x) => x.email === email)!;
  return { kind: "removeMember", key: `removeMember:${email}`, phase: "removals", risk: "normal", gained: [], lost: m.effectivePermissions, reason: "edited", email, memberId: m.id, version: m.version, before: { role: m.role, permissions: m.permissions }, after: null };
}

const STACK = "pulumi:infra/prod/urn:pulumi:prod::infra::antryk:index:Member::gus";
const managed = <T extends object>(o: T, managedBy: string | null): T => ({ ...o, managedBy });

const cases: Case[] = [
  // lookAlike
  {
    name: "lookAlike: inviting an address that reads as a live member's is blocked, with no override",
    desired: desired({ safety: NO_LIMIT, members: [want("\u0430lice@acme.io")] }),
    live: live({ members: [member("alice@acme.io")] }),
    violations: ["lookAlike: access.yaml:1:1 invites \u0430lice@acme.io, which reads the same as alice@acme.io, a member of acme-prod"],
  },
  {
    name: "lookAlike: as a pending invitee's (Greek \u03bf); an expired invitation's is no identity",
    desired: desired({ safety: NO_LIMIT, members: [want("b\u03bfb@acme.io"), want("c\u0430rol@acme.io")] }),
    live: live({ invitations: [invitation("bob@acme.io"), invitation("carol@acme.io", "developer", { status: "expired" })] }),
    violations: ["lookAlike: access.yaml:1:1 invites b\u03bfb@acme.io, which reads the same as bob@acme.io, a pending invitee of acme-prod"],
  },
  {
    name: "lookAlike: live look-alikes the plan only keeps or removes are not its doing",
    desired: desired({ safety: NO_LIMIT, members: [want("alice@acme.io")] }),
    live: live({ members: [member("alice@acme.io"), member("\u0430lice@acme.io")] }),
    violations: [],
  },
  // managedElsewhere
  {
    name: "managedElsewhere: changing a member another manager manages is blocked, naming it and the take-over",
    desired: desired({ members: keep(["gus@acme.io"], "account-admin") }),
    live: live({ members: [managed(member("gus@acme.io", "developer"), STACK)] }),
    violations: [`managedElsewhere: gus@acme.io is managed by ${STACK}, not by antryk-access:acme-prod; this plan would updateMember it`],
    override: `--take-over ${STACK} (or safety.takeOver: [${STACK}] in the file) to take it over`,
  },
  {
    name: "managedElsewhere: removing one is blocked too",
    desired: desired({ safety: NO_LIMIT }),
    live: live({ members: [managed(member("gus@acme.io"), STACK)] }),
    violations: ["managedElsewhere: gus@acme.io is managed by"],
  },
  {
    name: "managedElsewhere: revoking, updating and resending another manager's invitations are blocked",
    desired: desired({ safety: NO_LIMIT, members: [want("ivy@acme.io", "account-admin"), want("old@acme.io")] }),
    live: live({
      invitations: [
        managed(invitation("gone@acme.io"), STACK),
        managed(invitation("ivy@acme.io"), STACK),
        managed(invitation("old@acme.io", "developer", { status: "expired" }), STACK),
      ],
    }),
    violations: ["managedElsewhere: ivy@acme.io", "managedElsewhere: old@acme.io", "managedElsewhere: gone@acme.io"],
  },
  {
    name: "managedElsewhere: editing or deleting another manager's role is blocked; creating one is not",
    desired: desired({ roles: [wantRole("lead", ["logs:read"]), wantRole("fresh", ["logs:read"])] }),
    live: live({ roles: [managed(role("lead", ["access:manage"]), STACK), managed(role("stale", ["logs:read"]), STACK)] }),
    violations: ["managedElsewhere: role lead is managed by", "managedElsewhere: role stale is managed by"],
  },
  {
    name: "managedElsewhere: nobody's (null) and the file's own manager are fine",
    desired: desired({ safety: NO_LIMIT, members: keep(["a@acme.io"], "account-admin") }),
    live: live({ members: [managed(member("a@acme.io"), null), managed(member("b@acme.io"), "antryk-access:acme-prod")] }),
    violations: [],
  },
  {
    name: "managedElsewhere: the file's manager: is its own",
    desired: { ...desired({ members: keep(["a@acme.io"], "account-admin") }), manager: "antryk-access:platform:acme-prod" },
    live: live({ members: [managed(member("a@acme.io"), "antryk-access:platform:acme-prod")] }),
    violations: [],
  },
  {
    name: "managedElsewhere: the default manager is another manager for a file with its own manager:",
    desired: { ...desired({ members: keep(["a@acme.io"], "account-admin") }), manager: "antryk-access:platform:acme-prod" },
    live: live({ members: [managed(member("a@acme.io"), "antryk-access:acme-prod")] }),
    violations: ["managedElsewhere: a@acme.io is managed by antryk-access:acme-prod, not by antryk-access:platform:acme-prod"],
  },
  {
    name: "managedElsewhere: safety.takeOver lifts it for that manager only",
    desired: desired({ safety: { ...NO_LIMIT, takeOver: [STACK] }, members: keep(["gus@acme.io"], "account-admin") }),
    live: live({ members: [managed(member("gus@acme.io"), STACK), managed(member("max@acme.io"), "pulumi:other")] }),
    violations: ["managedElsewhere: max@acme.io is managed by pulumi:other"],
  },
  {
    name: "managedElsewhere: an edited saved plan is judged too",
    desired: desired({ members: keep(["gus@acme.io"]) }),
    live: live({ members: [managed(member("gus@acme.io"), STACK)] }),
    edit: (_plan, l) => [removeOf(l, "gus@acme.io")],
    violations: ["maxRemovals", "managedElsewhere: gus@acme.io"],
  },
  // maxRemovals
  {
    name: "maxRemovals count: removing exactly the limit passes",
    desired: desired({ safety: count(2) }),
    live: live({ members: people(2) }),
    violations: [],
  },
  {
    name: "maxRemovals count: one more than the limit is blocked, with the file key as override",
    desired: desired({ safety: count(2) }),
    live: live({ members: people(3) }),
    violations: ["maxRemovals: removes or revokes 3 of 4 people"],
    override: "raise safety.maxRemovals in access.yaml (e.g. maxRemovals: 3)",
  },
  {
    name: "maxRemovals percent: 2 of 8 people is 25% and passes",
    desired: desired({ safety: percent(25), members: keep(["p2@acme.io", "p3@acme.io", "p4@acme.io", "p5@acme.io", "p6@acme.io"]) }),
    live: live({ members: people(7) }),
    violations: [],
  },
  {
    name: "maxRemovals percent: 3 of 8 people is over 25%",
    desired: desired({ safety: percent(25), members: keep(["p3@acme.io", "p4@acme.io", "p5@acme.io", "p6@acme.io"]) }),
    live: live({ members: people(7) }),
    violations: ["maxRemovals: removes or revokes 3 of 8 people, more than safety.maxRemovals allows (25% of 8 = 2)"],
  },
  {
    name: "maxRemovals counts revoked pending invitations, and pending invitations in the population",
    desired: desired({ safety: count(1) }),
    live: live({ invitations: [invitation("a@acme.io"), invitation("b@acme.io")] }),
    violations: ["maxRemovals: removes or revokes 2 of 3 people"],
  },
  {
    name: "maxRemovals counts members moved to a custom role with no permission as removals",
    desired: desired({
      safety: count(1),
      roles: [wantRole("parked", [])],
      members: ["p0@acme.io", "p1@acme.io", "p2@acme.io"].map((e) => want(e, "parked")),
    }),
    live: live({ members: people(3), roles: [role("parked", [])] }),
    violations: ["maxRemovals: removes or revokes 3 of 4 people (3 of them by leaving them no permission: p0@acme.io, p1@acme.io, p2@acme.io)"],
  },
  {
    name: "maxRemovals counts holders of a role the plan empties, pending invitations included",
    desired: desired({ safety: count(1), roles: [wantRole("lead", [])], members: [want("a@acme.io", "lead"), want("b@acme.io", "lead")] }),
    live: live({ members: [member("a@acme.io", "lead")], invitations: [invitation("b@acme.io", "lead")], roles: [role("lead", ["logs:read"])] }),
    violations: ["maxRemovals: removes or revokes 2 of 3 people"],
  },
  {
    name: "maxRemovals does not count an invitation to a role with no permission (nothing is taken away)",
    desired: desired({ safety: count(0), roles: [wantRole("parked", [])], members: [want("new@acme.io", "parked")] }),
    live: live({ roles: [role("parked", [])] }),
    violations: [],
  },
  {
    name: "maxRemovals counts removals of expired entries",
    desired: desired({ safety: count(0), expiredMembers: [want("eve@x.dev", "developer", [], { expires: "2026-01-01" })] }),
    live: live({ members: [member("eve@x.dev")] }),
    violations: ["maxRemovals"],
  },
  {
    name: "maxRemovals 0 with nothing to remove passes",
    desired: desired({ safety: count(0), members: [want("new@acme.io")] }),
    live: live(),
    violations: [],
  },
  // minAdmins
  {
    name: "minAdmins: removing one of three active admins (owner included) down to 2 passes",
    desired: desired({ safety: { ...count(10), minAdmins: 2 }, members: keep(["a1@acme.io"], "account-admin") }),
    live: live({ members: people(2, "account-admin", "a") }),
    violations: [],
  },
  {
    name: "minAdmins: removing admins below the minimum is blocked and names them",
    desired: desired({ safety: { ...count(10), minAdmins: 2 } }),
    live: live({ members: people(2, "account-admin", "a") }),
    violations: ["minAdmins: this plan removes or demotes the active admins a0@acme.io, a1@acme.io, leaving 1 active admin (safety.minAdmins: 2)"],
    override: "lower safety.minAdmins in access.yaml, or let the new admins accept their invitations first",
  },
  {
    name: "minAdmins: a demotion of an active admin counts like a removal",
    desired: desired({ safety: { minAdmins: 2 }, members: keep(["a0@acme.io"], "developer") }),
    live: live({ members: people(1, "account-admin", "a") }),
    violations: ["minAdmins: this plan removes or demotes the active admin a0@acme.io, leaving 1"],
  },
  {
    name: "minAdmins: pending admin invitations are not active admins",
    desired: desired({ safety: { minAdmins: 2 }, members: [want("a0@acme.io", "developer"), want("new1@acme.io", "account-admin"), want("new2@acme.io", "account-admin")] }),
    live: live({ members: people(1, "account-admin", "a") }),
    violations: ["minAdmins"],
  },
  {
    name: "minAdmins: a workspace already below the minimum is not blocked by a plan that takes no admin away",
    desired: desired({ safety: { minAdmins: 3 }, members: [want("new@acme.io", "account-admin"), want("d@acme.io")] }),
    live: live({ members: [member("d@acme.io", "developer")] }),
    violations: [],
  },
  {
    name: "minAdmins: a custom role losing access:manage demotes its active holders",
    desired: desired({ safety: { minAdmins: 2 }, roles: [wantRole("lead", ["logs:read"])], members: keep(["l@acme.io"], "lead") }),
    live: live({ members: [member("l@acme.io", "lead")], roles: [role("lead", ["logs:read", "access:manage"])] }),
    violations: ["minAdmins: this plan removes or demotes the active admin l@acme.io"],
  },
  // requiredAdmins
  {
    name: "requiredAdmins: an active required admin the file keeps as admin passes",
    desired: desired({ safety: { requiredAdmins: ["OPS@acme.io"] }, members: keep(["ops@acme.io"], "account-admin") }),
    live: live({ members: [member("ops@acme.io", "account-admin")] }),
    violations: [],
  },
  {
    name: "requiredAdmins: a required admin only invited (pending) passes",
    desired: desired({ safety: { requiredAdmins: ["ops@acme.io"] }, members: keep(["ops@acme.io"], "account-admin") }),
    live: live(),
    violations: [],
  },
  {
    name: "requiredAdmins: the owner always passes",
    desired: desired({ safety: { requiredAdmins: ["owner@acme.io"] } }),
    live: live(),
    violations: [],
  },
  {
    name: "requiredAdmins: a required admin the file does not make an admin is blocked",
    desired: desired({ safety: { requiredAdmins: ["ops@acme.io"], minAdmins: 0 }, members: keep(["ops@acme.io"], "developer") }),
    live: live({ members: [member("ops@acme.io", "account-admin")] }),
    violations: ["requiredAdmins: ops@acme.io is a required admin but access.yaml does not make it an admin"],
    override: "edit safety.requiredAdmins in access.yaml",
  },
  {
    name: "requiredAdmins: a plan edited to remove a required admin is blocked",
    desired: desired({ safety: { ...count(10), requiredAdmins: ["ops@acme.io"], minAdmins: 0 }, members: keep(["ops@acme.io"], "account-admin") }),
    live: live({ members: [member("ops@acme.io", "account-admin")] }),
    edit: (p, l) => [...p.changes, removeOf(l, "ops@acme.io")],
    violations: ["requiredAdmins: this plan removes the required admin ops@acme.io"],
  },
  {
    name: "requiredAdmins: a custom role losing access:manage demotes a required admin",
    desired: desired({ safety: { requiredAdmins: ["ops@acme.io"], minAdmins: 0 }, roles: [wantRole("lead", ["logs:read", "access:manage"])], members: keep(["ops@acme.io"], "lead") }),
    live: live({ members: [member("ops@acme.io", "lead")], roles: [role("lead", ["logs:read", "access:manage"])] }),
    edit: (p) => [...p.changes, { kind: "updateRole", key: "updateRole:lead", phase: "demotions", risk: "normal", gained: [], lost: ["access:manage"], reason: "edited", name: "lead", version: 1, before: { description: "", permissions: ["access:manage", "logs:read"] }, after: { description: "", permissions: ["logs:read"] } }],
    violations: ["requiredAdmins: this plan takes access:manage from the required admin ops@acme.io"],
  },
  // preserve
  {
    name: "preserve: computePlan never touches preserved people, so the rail stays quiet",
    desired: desired({ safety: { preserve: ["bot@acme.io"] } }),
    live: live({ members: [member("bot@acme.io")] }),
    violations: [],
  },
  {
    name: "preserve: a plan edited to remove a preserved member is blocked",
    desired: desired({ safety: { ...count(10), preserve: ["Bot@acme.io"] } }),
    live: live({ members: [member("bot@acme.io")] }),
    edit: (p, l) => [removeOf(l, "bot@acme.io")],
    violations: ["preserve: bot@acme.io is in safety.preserve, but this plan would removeMember"],
    override: "remove bot@acme.io from safety.preserve in access.yaml",
  },
  // owner
  {
    name: "owner: an owner: assertion that matches (case-insensitively) passes",
    desired: desired({ owner: "Owner@ACME.io" }),
    live: live(),
    violations: [],
  },
  {
    name: "owner: an owner: assertion naming someone else is blocked, without override",
    desired: desired({ owner: "someone@acme.io" }),
    live: live(),
    violations: ["owner: access.yaml says the owner is someone@acme.io, but the owner of acme-prod is owner@acme.io"],
  },
  {
    name: "owner: a plan edited to remove the owner is blocked",
    desired: desired({ safety: count(10) }),
    live: live(),
    edit: (p, l) => [removeOf(l, "owner@acme.io")],
    violations: ["owner: this plan would removeMember the owner owner@acme.io", "self", "minAdmins"],
  },
  // self
  {
    name: "self: removing the caller is blocked unless --allow-self-change",
    desired: desired({ safety: { ...count(10), minAdmins: 0 } }),
    live: live({ caller: "me@acme.io", members: [member("me@acme.io", "account-admin")] }),
    violations: ["self: this plan removes me@acme.io, whose token runs it"],
    override: "--allow-self-change",
  },
  {
    name: "self: demoting the caller is blocked",
    desired: desired({ safety: { minAdmins: 0 }, members: keep(["me@acme.io"], "developer") }),
    live: live({ caller: "me@acme.io", members: [member("me@acme.io", "account-admin")] }),
    violations: ["self: this plan takes billing:read, access:manage, settings:manage, infrastructure:configure, domains:manage from me@acme.io"],
  },
  {
    name: "self: --allow-self-change lifts the rail",
    desired: desired({ safety: { minAdmins: 0 }, members: keep(["me@acme.io"], "developer") }),
    live: live({ caller: "me@acme.io", members: [member("me@acme.io", "account-admin")] }),
    allowSelfChange: true,
    violations: [],
  },
  {
    name: "self: promoting the caller is allowed",
    desired: desired({ members: [want("me@acme.io", "developer", ["domains:manage"])] }),
    live: live({ caller: "Me@acme.io", members: [member("me@acme.io", "developer")] }),
    violations: [],
  },
  {
    name: "self: removing the caller while it sponsors an open invitation is blocked even with --allow-self-change, with the two steps",
    desired: desired({ safety: { ...count(10), minAdmins: 0 }, members: [want("alt@acme.io")] }),
    live: live({ caller: "me@acme.io", members: [member("me@acme.io", "account-admin")], invitations: [{ ...invitation("alt@acme.io"), invitedBy: "me@acme.io", sponsor: "me@acme.io" }] }),
    allowSelfChange: true,
    violations: ["self: this plan removes me@acme.io, whose token runs it, while me@acme.io sponsors or would send 1 invitation(s) (alt@acme.io); an invitation dies with its sponsor's access:manage, so they would be lost. Do it in two steps"],
  },
  {
    name: "self: demoting the caller in a plan that sends an invitation is blocked even with --allow-self-change",
    desired: desired({ safety: { minAdmins: 0 }, members: [...keep(["me@acme.io"], "developer"), want("new@acme.io")] }),
    live: live({ caller: "me@acme.io", members: [member("me@acme.io", "account-admin")] }),
    allowSelfChange: true,
    violations: ["self: this plan takes billing:read, access:manage, settings:manage, infrastructure:configure, domains:manage from me@acme.io, whose token runs it, while me@acme.io sponsors or would send 1 invitation(s) (new@acme.io)"],
  },
  {
    name: "self: a caller that loses a permission but keeps access:manage while sponsoring is the ordinary, overridable case",
    desired: desired({ members: [want("me@acme.io", "account-admin"), want("alt@acme.io")], roles: [] }),
    live: live({ caller: "me@acme.io", members: [member("me@acme.io", "account-admin", ["config:read"])], invitations: [{ ...invitation("alt@acme.io"), sponsor: "me@acme.io" }] }),
    violations: ["self: this plan takes config:read from me@acme.io, whose token runs it"],
    override: "--allow-self-change",
  },
  {
    name: "self: the caller's custom role losing a permission demotes the caller",
    desired: desired({ roles: [wantRole("lead", ["access:manage"])], members: keep(["me@acme.io"], "lead") }),
    live: live({ caller: "me@acme.io", members: [member("me@acme.io", "lead")], roles: [role("lead", ["access:manage", "logs:read"])] }),
    violations: ["self: this plan takes logs:read from me@acme.io"],
  },
];

function matches(v: SafetyViolation, expected: string): boolean {
  const [rail, fragment] = expected.split(/: (.*)/s);
  return v.rail === rail && (fragment === undefined || v.message.includes(fragment));
}

describe("safety rails", () => {
  it.each(cases)("$name", (c) => {
    const options = { target: "http://127.0.0.1:1", allowSelfChange: c.allowSelfChange ?? false };
    let plan = computePlan(c.desired, c.live, options);
    if (c.edit !== undefined) {
      const changes = c.edit(plan, c.live);
      plan = { ...plan, changes, violations: [] };
      plan.violations = runRails(plan, c.live, c.desired, { allowSelfChange: options.allowSelfChange });
    }
    expect(plan.violations).toHaveLength(c.violations.length);
    c.violations.forEach((expected, i) => expect(plan.violations[i], `violation ${i}: ${JSON.stringify(plan.violations)}`).toSatisfy((v: SafetyViolation) => matches(v, expected)));
    if (c.override !== undefined) expect(plan.violations[0]?.override).toBe(c.override);
  });

  it("lists every rail once", () => {
    expect(SAFETY_RAILS.map((r) => r.name).sort()).toEqual(["lookAlike", "managedElsewhere", "maxRemovals", "minAdmins", "owner", "preserve", "requiredAdmins", "self", "unknownRole"]);
  });

  it("a blocked plan still lists its changes (the CLI shows them) but carries the violations", () => {
    const p = computePlan(desired({ safety: count(0) }), live({ members: people(1) }), { target: "t" });
    expect(p.changes.map((c) => c.key)).toEqual(["removeMember:p0@acme.io"]);
    expect(p.violations.map((v) => v.rail)).toEqual(["maxRemovals"]);
  });
});
