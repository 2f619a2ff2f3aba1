import { normalizeEmail } from "../../schema/catalog.js";
import type { DesiredState } from "../../schema/model.js";
import { evaluatePolicies, type PolicyViolation } from "../../schema/policy/evaluate.js";
import type { Policy } from "../../schema/policy/model.js";
import type { LiveState } from "../live-state.js";
import type { Plan, PlanPolicies, PolicyFinding, SafetyViolation } from "../plan.js";
import { declaredBy, livePeople, projectPeople, type PeopleProjection } from "./people.js";

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
  const people = projectPeople(plan, live, desired);
  const after = evaluatePolicies(policies, people.after, now);
  // Without changes the workspace after the plan is the live one: judged once.
  const before = people.changed.size === 0 ? after : judgeBefore(policies, people, after, now);
  const wasLive = new Map(before.map((v) => [keyOf(v), v]));
  const remains = new Set(after.map(keyOf));
  const findings: PolicyFinding[] = [
    ...after.map((v) => finding(v, statusOf(v, wasLive.get(keyOf(v))))),
    ...before.filter((v) => !remains.has(keyOf(v))).sort(byPolicy(policies)).map((v) => finding(v, "fixed")),
  ];
  const errors = after.filter((v) => v.severity === "error");
  if (errors.length === 0) return { policies: { checked: policies.length, findings }, violations: [] };
  const byName = new Map(policies.map((p) => [p.name, p]));
  const declared = declaredBy(desired);
  const preserved = new Set(desired.safety.preserve.map(normalizeEmail));
  const owner = normalizeEmail(live.workspace.owner);
  const violations = errors
    .map((v): SafetyViolation => ({
      rail: `policy:${v.policy}`,
      message: `${v.subject} ${v.message}${liveNote(statusOf(v, wasLive.get(keyOf(v))))}`,
      override: howToFix(v, byName.get(v.policy)!, desired, { declared, preserved, owner }),
    }));
  return { policies: { checked: policies.length, findings }, violations };
}

/** judgeLivePolicies is the live workspace judged by the file's policies (for the access review); empty without policies. */
export function judgeLivePolicies(live: LiveState, desired: DesiredState, now: Date): PolicyViolation[] {
  const policies = desired.policies ?? [];
  return policies.length === 0 ? [] : evaluatePolicies(policies, livePeople(live, desired), now);
}

/**
 * judgeBefore evaluates the live workspace knowing the judgement after the plan: a finding
 * about one person depends only on that person, so people the plan leaves exactly as they
 * are keep their findings and only the others are evaluated again; limits count everyone.
 * The result equals evaluatePolicies(policies, before, now), up to order.
 */
function judgeBefore(policies: readonly Policy[], people: PeopleProjection, after: readonly PolicyViolation[], now: Date): PolicyViolation[] {
  const { before, changed } = people;
  const perPerson = policies.filter((p) => p.rule.kind !== "limit");
  const limits = policies.filter((p) => p.rule.kind === "limit");
  return [
    // A finding about someone the plan leaves as they are was a finding before it (people it adds are all in `changed`).
    ...after.filter((v) => v.email !== null && !changed.has(v.email)),
    ...evaluatePolicies(perPerson, before.filter((p) => changed.has(p.email)), now),
    ...(limits.length === 0 ? [] : evaluatePolicies(limits, before, now)),
  ];
}

/** byPolicy orders findings by their policy's place in the file (stable within one policy). */
function byPolicy(policies: readonly Policy[]): (a: PolicyViolation, b: PolicyViolation) => number {
  const rank = new Map(policies.map((p, i) => [p.name, i]));
  return (a, b) => (rank.get(a.policy) ?? 0) - (rank.get(b.policy) ?? 0);
}

/**
 * statusOf relates a finding after the plan to the same finding live (undefined: none):
 * new, or already so and left as it is, or — a limit the plan pushes further over — worse.
 */
function statusOf(after: PolicyViolation, live: PolicyViolation | undefined): Exclude<PolicyFinding["status"], "fixed"> {
  if (live === undefined) return "new";
  return after.count !== undefined && live.count !== undefined && after.count > live.count ? "worse" : "unfixed";
}

/** liveNote is what a blocking finding's message adds about the live workspace. */
function liveNote(status: Exclude<PolicyFinding["status"], "fixed">): string {
  switch (status) {
    case "new":
      return "";
    case "unfixed":
      return " (already so in the live workspace; this plan does not fix it)";
    case "worse":
      return " (already so in the live workspace; this plan makes it worse)";
  }
}

function keyOf(v: PolicyViolation): string {
  return `${v.policy}\u0000${v.email ?? ""}`;
}

function finding(v: PolicyViolation, status: PolicyFinding["status"]): PolicyFinding {
  return { policy: v.policy, severity: v.severity, subject: v.subject, message: v.message, status };
}

/** howToFix names what to change in the file: the person's entry, naming them (additive mode), safety.preserve, or the policy. */
function howToFix(v: PolicyViolation, policy: Policy, desired: DesiredState, people: { declared: ReadonlyMap<string, unknown>; preserved: Set<string>; owner: string }): string {
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
