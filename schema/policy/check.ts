import { BUILT_IN_ROLES, normalizeEmail, PERMISSION_IDS } from "../catalog.js";
import { sortPermissions } from "../order.js";
import type { Diagnostic } from "../diagnostics.js";
import type { DesiredState } from "../model.js";
import { evaluatePolicies, type PolicyPerson, type PolicyViolation } from "./evaluate.js";
import { usesActivity } from "./model.js";

/**
 * The file's side of policies: the people access.yaml declares, judged by its policies,
 * as `validate` reports them (one diagnostic per finding, at the person's entry, or at the
 * policy for a limit). The workspace's side (after a plan, live) is reconciler/policy/.
 */

/**
 * desiredPeople are the people the file grants access to (entries not yet expired) and
 * the owner (named by `owner:`, or unnamed), with effective permissions under the
 * built-in roles and the file's custom roles. A role the file does not define (additive
 * mode) grants only the extra grants here; plan judges it with the workspace's roles.
 */
export function desiredPeople(desired: DesiredState): PolicyPerson[] {
  const roles = new Map<string, readonly string[]>(Object.entries(BUILT_IN_ROLES).map(([n, r]) => [n, r.permissions]));
  for (const r of desired.roles) roles.set(r.name, r.permissions);
  const owner: PolicyPerson = { email: desired.owner === undefined ? "" : normalizeEmail(desired.owner), state: "owner", role: "owner", permissions: PERMISSION_IDS, groups: [] };
  const people: PolicyPerson[] = [owner];
  // People who share a role and grants share one effective-permission list (read-only): a large file sorts each combination once.
  const shared = new Map<string, readonly string[]>();
  for (const m of desired.members) {
    const key = `${m.role}\u0000${m.permissions.join(",")}`;
    let permissions = shared.get(key);
    if (permissions === undefined) {
      permissions = sortPermissions([...(roles.get(m.role) ?? []), ...m.permissions]);
      shared.set(key, permissions);
    }
    const person: PolicyPerson = {
      email: normalizeEmail(m.email),
      state: "active",
      role: m.role,
      permissions,
      groups: m.group === undefined ? [] : [m.group],
    };
    if (m.expires !== undefined) person.expires = m.expires;
    people.push(person);
  }
  return people;
}

/** liveOnlyPolicies names the file's policies that judge activity (`inactiveFor`): checkPolicies cannot judge them offline and skips them. */
export function liveOnlyPolicies(desired: DesiredState): string[] {
  return (desired.policies ?? []).filter((p) => usesActivity(p.match)).map((p) => p.name);
}

/**
 * checkPolicies is `validate`'s policy stage: each finding of the file's policies over
 * desiredPeople as a Diagnostic (code `policy:<name>`, message `<who> <why>`), at the
 * person's entry (in `members` or in their group), the owner's at `owner:`, at the custom role
 * a limit counts, or at the policy (a limit on a permission or a built-in role, a finding
 * about an owner the file does not name). Policies about activity are left out: the file does
 * not know who uses their access.
 */
export function checkPolicies(desired: DesiredState, now: Date): Diagnostic[] {
  // Activity (inactiveFor) is known only to a live workspace: plan and review judge those policies; validate skips them (liveOnlyPolicies).
  const policies = (desired.policies ?? []).filter((p) => !usesActivity(p.match));
  if (policies.length === 0) return [];
  const entries = new Map(desired.members.map((m) => [normalizeEmail(m.email), m.source]));
  const roles = new Map(desired.roles.map((r) => [r.name, r.source]));
  const owner = desired.owner === undefined ? undefined : normalizeEmail(desired.owner);
  // A limit is about a count: it points at the custom role it counts, else at the policy.
  const byName = new Map(policies.map((p) => [p.name, (p.rule.kind === "limit" && "role" in p.rule.limit ? roles.get(p.rule.limit.role) : undefined) ?? p.source]));
  return evaluatePolicies(policies, desiredPeople(desired), now).map((v: PolicyViolation): Diagnostic => {
    const at = (v.email !== null ? (entries.get(v.email) ?? (v.email === owner ? desired.ownerSource : undefined)) : undefined) ?? byName.get(v.policy)!;
    return { severity: v.severity, code: `policy:${v.policy}`, message: `${v.subject} ${v.message}`, file: at.file, line: at.line, column: at.column, path: at.path };
  });
}
