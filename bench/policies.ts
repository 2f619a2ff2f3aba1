import { computePlan } from "../reconciler/compute/index.js";
import type { Matcher, Policy, PolicyRule } from "../schema/policy/model.js";
import { file, time, workspace } from "./plan.js";

/**
 * The policies' benchmark: what 20 policies (every matcher, requirement, deny and limit)
 * add to computePlan over 10,000 people (target: at most 50 ms), on a converged workspace
 * and on one with about 1,000 changes. The plans with and without policies are timed
 * alternately, so both see the same machine load.
 */

const SIZE = 10_000;
const TARGET_MS = 50;
const NOW = new Date("2026-11-30T00:00:00Z");

function policy(i: number, match: Matcher, rule: PolicyRule): Policy {
  return { name: `policy-${i}`, description: "", severity: "warning", match, rule, source: { file: "bench.yaml", line: i + 1, column: 5, path: ["policies", i] } };
}

/** POLICIES: 20 policies mixing every matcher (with `not` and AND), requirement, deny and limit. */
export const POLICIES: Policy[] = [
  policy(0, { emailDomainNot: ["bench.io"] }, { kind: "deny", deny: { permissions: ["access:manage", "billing:read", "settings:manage"] } }),
  policy(1, { emailDomainNot: ["bench.io"] }, { kind: "require", require: { expiresWithin: 90 } }),
  policy(2, {}, { kind: "limit", limit: { permission: "access:manage", max: 500 } }),
  policy(3, { hasPermission: "deployments:create" }, { kind: "require", require: { roleIn: ["release-manager", "developer"] } }),
  policy(4, { role: "qa" }, { kind: "require", require: { permissionsSubsetOf: ["deployments:read", "logs:read", "environments:configure", "domains:manage"] } }),
  policy(5, { roleIn: ["developer", "qa"] }, { kind: "require", require: { roleNotIn: ["account-admin"] } }),
  policy(6, { email: ["person-1@bench.io", "person-2@bench.io"] }, { kind: "deny", deny: { roles: ["account-admin"] } }),
  policy(7, { emailDomain: ["contractor.dev"] }, { kind: "require", require: { expires: true } }),
  policy(8, { group: "backend" }, { kind: "deny", deny: { permissions: ["billing:read"] } }),
  policy(9, { not: { role: "owner" } }, { kind: "deny", deny: { permissions: ["billing:manage", "ownership:transfer"] } }),
  policy(10, {}, { kind: "limit", limit: { role: "account-admin", max: 300 } }),
  policy(11, { hasPermission: "domains:manage", not: { role: "account-admin" } }, { kind: "require", require: { roleIn: ["developer"] } }),
  policy(12, { role: "release-manager" }, { kind: "require", require: { permissionsSubsetOf: ["deployments:create", "deployments:read", "logs:read", "environments:configure", "domains:manage"] } }),
  policy(13, { emailDomainNot: ["bench.io", "bench.dev"], hasPermission: "logs:read" }, { kind: "deny", deny: { roles: ["qa"] } }),
  policy(14, { hasPermission: "environments:configure" }, { kind: "limit", limit: { permission: "environments:configure", max: 5_000 } }),
  policy(15, { not: { not: { roleIn: ["qa"] } } }, { kind: "require", require: { roleNotIn: ["owner"] } }),
  policy(16, { role: "developer", hasPermission: "config:read" }, { kind: "require", require: { permissionsSubsetOf: ["resources:manage", "deployments:read", "deployments:create", "logs:read", "config:read", "environments:configure", "domains:manage"] } }),
  policy(17, { emailDomain: ["bench.io"], not: { hasPermission: "access:manage" } }, { kind: "deny", deny: { permissions: ["infrastructure:configure"] } }),
  policy(18, {}, { kind: "limit", limit: { permission: "billing:read", max: 1_000 } }),
  policy(19, { roleIn: ["account-admin"], emailDomainNot: ["bench.io"] }, { kind: "require", require: { expiresWithin: 30, roleIn: ["developer"] } }),
];

export async function run(): Promise<Record<string, unknown>> {
  const live = workspace(SIZE);
  const options = { target: "bench", now: NOW };
  const measure = (drift: number) => {
    const plain = file(SIZE, drift);
    const guarded = { ...plain, policies: POLICIES };
    const without: number[] = [];
    const withPolicies: number[] = [];
    let findings = 0;
    for (let round = 0; round < 7; round += 1) {
      const a = time(() => computePlan(plain, live, options), 3);
      const w = time(() => computePlan(guarded, live, options), 3);
      without.push(a.medianMs, a.minMs);
      withPolicies.push(w.medianMs, w.minMs);
      findings = w.result.policies?.findings.length ?? 0;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const round = (n: number) => Math.round(n * 100) / 100;
    // The median shows the typical cost under the machine's load; the fastest runs show the cost itself, with the least noise.
    const addedMs = round(median(withPolicies) - median(without));
    const addedFastestMs = round(Math.min(...withPolicies) - Math.min(...without));
    return { computePlanMs: median(without), withPoliciesMs: median(withPolicies), addedMs, addedFastestMs, findings, withinTarget: addedMs <= TARGET_MS };
  };
  return { people: SIZE, policies: POLICIES.length, targetAddedMs: TARGET_MS, converged: measure(0), drifted: measure(1_000) };
}
