import { describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "../../schema/catalog.js";
import { checkPolicies, liveOnlyPolicies } from "../../schema/policy/check.js";
import { evaluatePolicies, type PolicyPerson } from "../../schema/policy/evaluate.js";
import type { Policy } from "../../schema/policy/model.js";
import { check, HEAD } from "./helpers.js";

/**
 * The activity matcher `inactiveFor: 90d`: people whose last activity, or whose acceptance
 * if they never used their access, is older than that many days; people whose activity is
 * unknown (the file alone, a pending invitation) are never inactive. Validate cannot judge it
 * and leaves such policies out.
 */

const NOW = new Date("2026-11-30T10:00:00Z");
const perms = (role: keyof typeof BUILT_IN_ROLES) => [...BUILT_IN_ROLES[role].permissions];
const active = (lastActiveAt: string | null, joinedAt = "2026-01-01T00:00:00.000Z") => ({ activity: { lastActiveAt, joinedAt } });

const CAST: PolicyPerson[] = [
  { email: "founder@acme.io", state: "owner", role: "owner", permissions: perms("owner"), groups: [], ...active("2026-11-29T08:00:00.000Z") },
  { email: "ops@acme.io", state: "active", role: "account-admin", permissions: perms("account-admin"), groups: [], ...active("2026-08-01T00:00:00.000Z") },
  { email: "alice@acme.io", state: "active", role: "account-admin", permissions: perms("account-admin"), groups: [], ...active(null, "2026-06-01T00:00:00.000Z") },
  { email: "carol@acme.io", state: "active", role: "account-admin", permissions: perms("account-admin"), groups: [], ...active(null, "2026-11-01T00:00:00.000Z") },
  { email: "bob@acme.io", state: "active", role: "developer", permissions: perms("developer"), groups: [], ...active("2026-01-01T00:00:00.000Z") },
  { email: "dan@acme.io", state: "active", role: "developer", permissions: perms("developer"), groups: [], ...active("2026-09-01T10:00:00.000Z") }, // exactly 90 days
  { email: "eve@acme.io", state: "pending", role: "account-admin", permissions: perms("account-admin"), groups: [] },
];

function policyOf(lines: string): Policy {
  const text = [HEAD.trimEnd(), "members:", "  - { email: ops@acme.io, role: account-admin }", "policies:", "  - name: the-policy", ...lines.split("\n").map((l) => `    ${l}`), ""].join("\n");
  const result = check(text, NOW);
  expect(result.diagnostics.filter((d) => d.severity === "error"), text).toEqual([]);
  return result.desired!.policies![0]!;
}

const denyAll = "deny: { roles: [owner, account-admin, developer] }";
const found = (match: string) => evaluatePolicies([policyOf(`${match}\n${denyAll}`)], CAST, NOW).map((v) => v.email);

describe("inactiveFor", () => {
  it.each([
    ["inactive for 90 days: last activity or, never active, acceptance older than that", "match: { inactiveFor: 90d }", ["ops@acme.io", "alice@acme.io", "bob@acme.io"]],
    ["exactly 90 days is not older than 90 days; 89 is", "match: { inactiveFor: 89d }", ["ops@acme.io", "alice@acme.io", "bob@acme.io", "dan@acme.io"]],
    ["last active 121 days and 10 hours ago: older than 121 days, not than 122", "match: { inactiveFor: 122d }", ["alice@acme.io", "bob@acme.io"]],
    ["dormant admins", "match: { inactiveFor: 90d, hasPermission: access:manage }", ["ops@acme.io", "alice@acme.io"]],
    ["not inactive: a pending invitation has no activity, so it is never inactive", "match: { not: { inactiveFor: 90d } }", ["founder@acme.io", "carol@acme.io", "dan@acme.io", "eve@acme.io"]],
  ])("%s", (_name, match, expected) => {
    expect(found(match)).toEqual(expected);
  });

  it("a finding says how long each person has been inactive", () => {
    const policy = policyOf("severity: warning\nmatch: { inactiveFor: 90d, hasPermission: access:manage }\ndeny: { permissions: [access:manage] }");
    expect(evaluatePolicies([policy], CAST, NOW).map((v) => `${v.severity} ${v.subject} ${v.message}`)).toEqual([
      "warning ops@acme.io holds access:manage, which this policy denies (last active 2026-08-01, 121 days ago)",
      "warning alice@acme.io holds access:manage, which this policy denies (never active since joining 2026-06-01, 182 days ago)",
    ]);
  });

  it("people without activity (the file's own) match nothing, and validate leaves the policy out", () => {
    const offline = CAST.map(({ activity: _, ...p }) => p);
    expect(evaluatePolicies([policyOf(`match: { inactiveFor: 1d }\n${denyAll}`)], offline, NOW)).toEqual([]);
    const text = [HEAD.trimEnd(), "members:", "  - { email: ops@acme.io, role: account-admin }", "policies:",
      "  - { name: dormant-admins, match: { inactiveFor: 90d, hasPermission: access:manage }, deny: { permissions: [access:manage] } }",
      "  - { name: not-dormant, match: { not: { inactiveFor: 90d } }, deny: { roles: [account-admin] } }",
      "  - { name: no-admins, deny: { roles: [account-admin] } }", ""].join("\n");
    const desired = check(text, NOW).desired!;
    expect(liveOnlyPolicies(desired)).toEqual(["dormant-admins", "not-dormant"]);
    expect(checkPolicies(desired, NOW).map((d) => d.code)).toEqual(["policy:no-admins"]);
  });

  it.each([
    ["3 months", 'inactiveFor of policy "the-policy" must be a number of days written like "90d", not "3 months"'],
    ["90", 'inactiveFor of policy "the-policy" must be a number of days written like "90d", not "90"'],
  ])("inactiveFor: %s is one invalid-duration at its place", (value, message) => {
    const text = [HEAD.trimEnd(), "policies:", "  - name: the-policy", `    match: { not: { inactiveFor: ${value} } }`, `    ${denyAll}`, ""].join("\n");
    const errors = check(text, NOW).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([`6:34 invalid-duration ${message}`]);
  });
});
