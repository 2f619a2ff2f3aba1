import { computePlan } from "../../reconciler/compute/index.js";
import type { LiveState } from "../../reconciler/live-state.js";
import type { Plan } from "../../reconciler/plan.js";
import type { DesiredState } from "../../schema/model.js";
import { desired, invitation, live, member, role, want, wantRole } from "./factory.js";

/** Scenario is a named (desired, live) pair whose plan the renderer goldens pin down. */
export interface Scenario {
  name: string;
  desired: DesiredState;
  live: LiveState;
}

const TARGET = "https://api.antryk.example";

/** FIXED_PLAN_ID and FIXED_ACCESS_FILE make goldens reproducible (a real plan's id is random). */
export const FIXED_PLAN_ID = "00000000-0000-4000-8000-000000000000";
export const FIXED_ACCESS_FILE = { path: "access.yaml", sha256: "0".repeat(64) };

/** planOf computes a scenario's plan against a fixed target. */
export function planOf(s: Scenario, allowSelfChange = false): Plan {
  return computePlan(s.desired, s.live, { target: TARGET, allowSelfChange, planId: FIXED_PLAN_ID, accessFile: FIXED_ACCESS_FILE });
}

/** small: a role to create, two invitations, an update, a removal, a resend and a warning. */
export const small: Scenario = {
  name: "small",
  desired: desired({
    safety: { maxRemovals: { kind: "count", value: 5 } },
    roles: [wantRole("release-manager", ["deployments:create", "deployments:read", "logs:read", "environments:configure"], "Ships services to production")],
    members: [
      want("alice@acme.io", "account-admin"),
      want("bob@acme.io", "developer", ["environments:configure"], { group: "backend" }),
      want("dan@acme.io", "developer", ["environments:configure"], { group: "backend" }),
      want("rita@acme.io", "release-manager"),
      want("sam@acme.io", "developer"),
      want("tom@acme.io", "developer"),
    ],
  }),
  live: live({
    members: [member("alice@acme.io", "account-admin"), member("bob@acme.io", "developer"), member("carol@acme.io", "developer")],
    invitations: [invitation("sam@acme.io", "developer", { status: "expired", sendCount: 1 }), invitation("tom@acme.io", "developer", { status: "expired", sendCount: 4 })],
  }),
};

/** highRisk: someone becomes an admin, someone gains billing:read, a new admin is invited, a role gains access:manage, an admin steps down. */
export const highRisk: Scenario = {
  name: "high-risk",
  desired: desired({
    roles: [wantRole("lead", ["access:manage", "logs:read"], "Team leads")],
    members: [
      want("alice@acme.io", "account-admin"),
      want("bob@acme.io", "developer", ["billing:read"]),
      want("kim@acme.io", "developer"),
      want("lee@acme.io", "lead"),
      want("new-admin@acme.io", "account-admin"),
      want("quiet@acme.io", "developer", ["domains:manage"]),
    ],
  }),
  live: live({
    members: [
      member("alice@acme.io", "developer"),
      member("bob@acme.io", "developer"),
      member("kim@acme.io", "account-admin"),
      member("lee@acme.io", "lead"),
      member("quiet@acme.io", "developer"),
    ],
    roles: [role("lead", ["logs:read"], "Team leads")],
  }),
};

/** converged: the workspace already matches. */
export const converged: Scenario = {
  name: "no-changes",
  desired: desired({ members: [want("alice@acme.io", "account-admin"), want("bob@acme.io")] }),
  live: live({ members: [member("alice@acme.io", "account-admin")], invitations: [invitation("bob@acme.io")] }),
};

/** blocked: the file drops most people, including the caller, and asserts the wrong owner. */
export const blocked: Scenario = {
  name: "blocked",
  desired: desired({ owner: "someone-else@acme.io", safety: { minAdmins: 2, maxRemovals: { kind: "percent", value: 25 } }, members: [want("new@acme.io")] }),
  live: live({
    caller: "ops@acme.io",
    members: [member("ops@acme.io", "account-admin"), member("a@acme.io"), member("b@acme.io"), member("c@acme.io", "account-admin")],
  }),
};

/** large: 500 changes, more than fit in a pull-request comment. */
export const large: Scenario = (() => {
  const members = [];
  const liveMembers = [];
  for (let i = 0; i < 300; i += 1) members.push(want(`new-person-${String(i).padStart(3, "0")}@example-corporation.io`, i % 10 === 0 ? "account-admin" : "developer", ["environments:configure", "domains:manage"]));
  for (let i = 0; i < 200; i += 1) {
    const email = `existing-person-${String(i).padStart(3, "0")}@example-corporation.io`;
    liveMembers.push(member(email, "developer"));
    members.push(want(email, "developer", ["environments:configure"]));
  }
  return { name: "large", desired: desired({ members }), live: live({ members: liveMembers }) };
})();

/** SCENARIOS are rendered in every format. */
export const SCENARIOS: Scenario[] = [small, highRisk, converged, blocked];

/** truncatedMixed: 900 invitations, one admin demoted and two invitations revoked: far more than a comment holds. */
export const truncatedMixed: Scenario = (() => {
  const members = [want("ops@acme.io", "account-admin"), want("demoted-admin@acme.io", "developer")];
  for (let i = 0; i < 900; i += 1) members.push(want(`newcomer-${String(i).padStart(3, "0")}@example-corporation.io`, "developer", ["environments:configure"]));
  return {
    name: "truncated-mixed",
    desired: desired({ safety: { maxRemovals: { kind: "count", value: 2 } }, members }),
    live: live({
      members: [member("ops@acme.io", "account-admin"), member("demoted-admin@acme.io", "account-admin")],
      invitations: [invitation("revoked-one@acme.io", "account-admin"), invitation("revoked-two@acme.io", "developer")],
    }),
  };
})();

/** roleEditAdmins: the custom role `lead` loses access:manage; two active admins, a pending invitee and a holder with their own grant hold it. */
export const roleEditAdmins: Scenario = {
  name: "role-edit-admins",
  desired: desired({
    roles: [wantRole("lead", ["logs:read", "deployments:read"], "Team leads")],
    members: [
      want("ann@acme.io", "lead"),
      want("ben@acme.io", "lead"),
      want("cat@acme.io", "lead", ["access:manage"]),
      want("pending-lead@acme.io", "lead"),
      want("ops@acme.io", "account-admin"),
    ],
  }),
  live: live({
    members: [member("ann@acme.io", "lead"), member("ben@acme.io", "lead"), member("cat@acme.io", "lead", ["access:manage"]), member("ops@acme.io", "account-admin")],
    invitations: [invitation("pending-lead@acme.io", "lead")],
    roles: [role("lead", ["access:manage", "logs:read"], "Team leads")],
  }),
};

/** twoThousand: 2,000 changes: 1,800 invitations, 100 promotions, 60 demotions, 30 removals, 10 revocations. */
export const twoThousand: Scenario = (() => {
  const pad = (i: number) => String(i).padStart(4, "0");
  const members = [want("ops@acme.io", "account-admin")];
  const liveMembers = [member("ops@acme.io", "account-admin")];
  const invitations = [];
  for (let i = 0; i < 1800; i += 1) members.push(want(`invitee-${pad(i)}@example-corporation.io`, "developer"));
  for (let i = 0; i < 100; i += 1) {
    liveMembers.push(member(`promoted-${pad(i)}@acme.io`, "developer"));
    members.push(want(`promoted-${pad(i)}@acme.io`, "developer", ["domains:manage"]));
  }
  for (let i = 0; i < 60; i += 1) {
    liveMembers.push(member(`demoted-${pad(i)}@acme.io`, "developer", ["domains:manage"]));
    members.push(want(`demoted-${pad(i)}@acme.io`, "developer"));
  }
  for (let i = 0; i < 30; i += 1) liveMembers.push(member(`removed-${pad(i)}@acme.io`, "developer"));
  for (let i = 0; i < 10; i += 1) invitations.push(invitation(`revoked-${pad(i)}@acme.io`, "developer"));
  return { name: "two-thousand", desired: desired({ safety: { maxRemovals: { kind: "count", value: 40 } }, members }), live: live({ members: liveMembers, invitations }) };
})();
