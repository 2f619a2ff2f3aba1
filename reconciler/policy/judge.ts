import { normalizeEmail } from "../../schema/catalog.js";
import type { DesiredState } from "../../schema/model.js";
import { evaluatePolicies, type PolicyViolation } from "../../schema/policy/evaluate.js";
import type { Policy } from "../../schema/policy/model.js";
import type { LiveState } from "../live-state.js";
import type { Plan, PlanPolicies, PolicyFinding, SafetyViolation } from "../plan.js";
import { livePeople, peopleAfter } from "./people.js";

/**
 * Policies against a plan (docs/policies.md): evaluated on the workspace as the plan leaves
 * it and on the live workspace, so each finding says whether the plan makes it, leaves it
 * or fixes it; error-severity findings the plan leaves behind block like safety rails.
 */

/** PolicyJudgement is what judgePlanPolicies adds to a plan: its policy section and the violations that block it. */
export interface PolicyJudgement {
  policies: PlanPolicies;
  violations: SafetyViolation[];
}

/** judgePlanPolicies judges the plan's outcome by the file's policies at `now`; undefined when the file has none. Pure. */
export function judgePlanPolicies(plan: Plan, live: LiveState, desired: DesiredState, now: Date): PolicyJudgement | undefined {
  const policies = desired.policies ?? [];
  if (policies.length === 0) return undefined;
  const before = evaluatePolicies(policies, livePeople(live, desired), now);
  const after = evaluatePolicies(policies, peopleAfter(plan, live, desired), now);
  const wasLive = new Set(before.map(keyOf));
  const remains = new Set(after.map(keyOf));
  const findings: PolicyFinding[] = [
    ...after.map((v) => finding(v, wasLive.has(keyOf(v)) ? "unfixed" : "new")),
    ...before.filter((v) => !remains.has(keyOf(v))).map((v) => finding(v, "fixed")),
  ];
  const byName = new Map(policies.map((p) => [p.name, p]));
  const declared = new Set(desired.members.map((m) => normalizeEmail(m.email)));
  const preserved = new Set(desired.safety.preserve.map(normalizeEmail));
  const owner = normalizeEmail(live.workspace.owner);
  const violations = after
    .filter((v) => v.severity === "error")
    .map((v): SafetyViolation => ({
      rail: `policy:${v.policy}`,
      message: `${v.subject} ${v.message}${wasLive.has(keyOf(v)) ? " (already so in the live workspace; this plan does not fix it)" : ""}`,
      override: howToFix(v, byName.get(v.policy)!, desired, { declared, preserved, owner }),
    }));
  return { policies: { checked: policies.length, findings }, violations };
}

/** judgeLivePolicies is the live workspace judged by the file's policies (for the access review); empty without policies. */
export function judgeLivePolicies(live: LiveState, desired: DesiredState, now: Date): PolicyViolation[] {
  const policies = desired.policies ?? [];
  return policies.length === 0 ? [] : evaluatePolicies(policies, livePeople(live, desired), now);
}

function keyOf(v: PolicyViolation): string {
  return `${v.policy}\u0000${v.email ?? ""}`;
}

function finding(v: PolicyViolation, status: PolicyFinding["status"]): PolicyFinding {
  return { policy: v.policy, severity: v.severity, subject: v.subject, message: v.message, status };
}

/** howToFix names what to change in the file: the person's entry, naming them (additive mode), safety.preserve, or the policy. */
function howToFix(v: PolicyViolation, policy: Policy, desired: DesiredState, people: { declared: Set<string>; preserved: Set<string>; owner: string }): string {
  const { declared, preserved, owner } = people;
  const where = `${policy.source.file}:${policy.source.line}`;
  if (v.email === owner) return `the owner's access is never changed by this tool: leave the owner out of policy ${policy.name} (${where}), e.g. match: { not: { role: owner } }`;
  if (v.email === null) return `give it to fewer people in ${desired.file}${desired.mode === "additive" ? " (additive mode changes only people the file names)" : ""}, or change policy ${policy.name} (${where})`;
  if (preserved.has(v.email)) return `${v.email} is under safety.preserve, which this tool never changes: take them out of preserve and change their access, or change policy ${policy.name} (${where})`;
  if (declared.has(v.email)) return `change the entry of ${v.email} in ${desired.file}, or change policy ${policy.name} (${where})`;
  return desired.mode === "additive"
    ? `name ${v.email} in ${desired.file} with access the policy allows (additive mode leaves people the file does not name as they are), or change policy ${policy.name} (${where})`
    : `change policy ${policy.name} (${where})`;
}
