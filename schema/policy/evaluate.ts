import { PERMISSION_IDS } from "../catalog.js";
import { domainMatches } from "./domain.js";
import { DAY_MS, usesActivity, type Deny, type Limit, type Matcher, type Policy, type PolicySeverity, type Requirement } from "./model.js";

/**
 * The policy evaluator: pure, synchronous, linear in policies × people. It judges people
 * (whoever builds them: the file, the live workspace, the workspace after a plan) and
 * knows nothing of where they came from; callers locate and render its findings.
 */

/**
 * PolicyPerson is one person as policies see them: `permissions` are effective (role ∪
 * grants, catalog order); `groups` and `expires` come from the file (empty / absent for
 * people it does not name). `email` is empty only for an owner nobody named: matchers on
 * emails never match them, and they are shown as "the owner".
 */
export interface PolicyPerson {
  email: string;
  state: "owner" | "active" | "pending";
  role: string;
  permissions: readonly string[];
  groups: readonly string[];
  expires?: string;
  /** activity is a member's last activity and joining, as a live workspace reports them; absent where unknown (the file alone, a pending invitation). */
  activity?: PersonActivity;
}

/** PersonActivity: `lastActiveAt` (ISO time, null: never used their access) and `joinedAt` (acceptance). */
export interface PersonActivity {
  lastActiveAt: string | null;
  joinedAt: string;
}

/**
 * PolicyViolation is one finding: `email` is the person it is about, or null for a limit
 * (about the count); `subject` is who, as shown (`eve@x.dev`, `the owner`, `6 people`);
 * `message` is why, in words a person can act on.
 */
export interface PolicyViolation {
  policy: string;
  severity: PolicySeverity;
  email: string | null;
  subject: string;
  message: string;
  /** count is how many people hold what a `limit` counts (limits only). */
  count?: number;
}

/** evaluatePolicies judges every person against every policy; `now` is the clock expiresWithin counts days from. Order: policies as given, people as given. */
export function evaluatePolicies(policies: readonly Policy[], people: readonly PolicyPerson[], now: Date): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const masks = permissionMasks(people);
  const domains = policies.some((p) => usesDomain(p.match)) ? people.map((p) => domainOf(p.email)) : people.map(() => "");
  for (const policy of policies) {
    const matches = compileMatcher(policy.match, now);
    // A policy about activity says, for each person, how long they have been inactive.
    const since = usesActivity(policy.match) ? (p: PolicyPerson) => ` (${activityText(p, now)})` : () => "";
    const matched: PolicyPerson[] = [];
    for (let i = 0; i < people.length; i += 1) if (matches(people[i]!, masks[i]!, domains[i]!)) matched.push(people[i]!);
    const base = { policy: policy.name, severity: policy.severity };
    const rule = policy.rule;
    switch (rule.kind) {
      case "require":
        for (const p of matched) {
          const why = unmetRequirements(rule.require, p, now);
          if (why.length > 0) out.push({ ...base, email: p.email, subject: who(p), message: why.join("; ") + since(p) });
        }
        break;
      case "deny":
        for (const p of matched) {
          const why = deniedHoldings(rule.deny, p);
          if (why !== undefined) out.push({ ...base, email: p.email, subject: who(p), message: why + since(p) });
        }
        break;
      case "limit": {
        const finding = overLimit(rule.limit, matched);
        if (finding !== undefined) out.push({ ...base, email: null, ...finding });
        break;
      }
    }
  }
  return out;
}

/** who names a person in findings. */
export function who(p: PolicyPerson): string {
  return p.email === "" ? "the owner" : p.email;
}

/** BIT gives each catalog permission a bit; OTHER_BIT stands for any id outside the catalog (never allowed by a subset). */
const BIT = new Map<string, number>(PERMISSION_IDS.map((p, i) => [p, 2 ** i]));
const OTHER_BIT = 2 ** PERMISSION_IDS.length;

/** maskOf is the bit set of a permission list. */
function maskOf(permissions: readonly string[]): number {
  let mask = 0;
  for (const p of permissions) mask |= BIT.get(p) ?? OTHER_BIT;
  return mask;
}

/** permissionMasks is every person's permission bits, computed once per distinct list (people who share a role and grants share their list). */
function permissionMasks(people: readonly PolicyPerson[]): number[] {
  const cache = new Map<readonly string[], number>();
  return people.map((p) => {
    let mask = cache.get(p.permissions);
    if (mask === undefined) {
      mask = maskOf(p.permissions);
      cache.set(p.permissions, mask);
    }
    return mask;
  });
}

/** Predicate tests one person, given their permission bits and email domain ("" for an unnamed owner). */
type Predicate = (p: PolicyPerson, mask: number, domain: string) => boolean;

/** compileMatcher turns a matcher into a predicate (sets and bits built once per policy, not per person); `now` is what `inactiveFor` counts back from. */
export function compileMatcher(m: Matcher, now: Date): Predicate {
  const tests: Predicate[] = [];
  if (m.email !== undefined) {
    const set = new Set(m.email);
    tests.push((p) => p.email !== "" && set.has(p.email));
  }
  if (m.emailDomain !== undefined) {
    const set = new Set(m.emailDomain);
    tests.push((_p, _mask, domain) => domainMatches(domain, set));
  }
  if (m.emailDomainNot !== undefined) {
    const set = new Set(m.emailDomainNot);
    tests.push((_p, _mask, domain) => domain !== "" && !domainMatches(domain, set));
  }
  if (m.role !== undefined) {
    const role = m.role;
    tests.push((p) => p.role === role);
  }
  if (m.roleIn !== undefined) {
    const set = new Set(m.roleIn);
    tests.push((p) => set.has(p.role));
  }
  if (m.group !== undefined) {
    const group = m.group;
    tests.push((p) => p.groups.includes(group));
  }
  if (m.hasPermission !== undefined) {
    const permission = m.hasPermission;
    const bit = BIT.get(permission);
    tests.push(bit === undefined ? (p) => p.permissions.includes(permission) : (_p, mask) => (mask & bit) !== 0);
  }
  if (m.inactiveFor !== undefined) {
    const cutoff = now.getTime() - m.inactiveFor * DAY_MS;
    tests.push((p) => p.activity !== undefined && inactiveSince(p.activity) < cutoff);
  }
  if (m.not !== undefined) {
    const inner = compileMatcher(m.not, now);
    tests.push((p, mask, domain) => !inner(p, mask, domain));
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (p, mask, domain) => {
    for (const t of tests) if (!t(p, mask, domain)) return false;
    return true;
  };
}

/** usesDomain tells whether a matcher (or one it negates) looks at email domains. */
function usesDomain(m: Matcher): boolean {
  return m.emailDomain !== undefined || m.emailDomainNot !== undefined || (m.not !== undefined && usesDomain(m.not));
}

/** domainOf is an email's domain; "" for an owner nobody named (no email). */
function domainOf(email: string): string {
  return email === "" ? "" : email.slice(email.lastIndexOf("@") + 1);
}

/** unmetRequirements lists why a person fails each requirement (empty: all met). */
function unmetRequirements(r: Requirement, p: PolicyPerson, now: Date): string[] {
  const why: string[] = [];
  if (r.expiresWithin !== undefined) {
    if (p.expires === undefined) why.push(`has no expires date (access must end within ${daysText(r.expiresWithin)})`);
    else if (!withinDays(p.expires, r.expiresWithin, now)) why.push(`expires ${p.expires}, more than ${daysText(r.expiresWithin)} from today (${now.toISOString().slice(0, 10)})`);
  } else if (r.expires === true && p.expires === undefined) {
    why.push("has no expires date (access must be time-bound)");
  }
  if (r.roleIn !== undefined && !r.roleIn.includes(p.role)) why.push(`holds role ${p.role}, not one of ${r.roleIn.join(", ")}`);
  if (r.roleNotIn !== undefined && r.roleNotIn.includes(p.role)) why.push(`holds role ${p.role}, which this policy rules out`);
  if (r.permissionsSubsetOf !== undefined) {
    const allowed = new Set(r.permissionsSubsetOf);
    const extra = p.permissions.filter((x) => !allowed.has(x));
    if (extra.length > 0) why.push(`holds ${extra.join(", ")}, beyond the permissions this policy allows`);
  }
  return why;
}

/** deniedHoldings says what a person holds that the policy denies, or undefined. */
function deniedHoldings(d: Deny, p: PolicyPerson): string | undefined {
  const parts: string[] = [];
  if (d.roles !== undefined && d.roles.includes(p.role)) parts.push(`role ${p.role}`);
  if (d.permissions !== undefined) {
    const held = d.permissions.filter((x) => p.permissions.includes(x));
    if (held.length > 0) parts.push(held.join(", "));
  }
  return parts.length === 0 ? undefined : `holds ${parts.join(" and ")}, which this policy denies`;
}

/** overLimit is the finding of a limit the matched people exceed, or undefined. */
function overLimit(limit: Limit, matched: readonly PolicyPerson[]): { subject: string; message: string; count: number } | undefined {
  const [what, holds] = "permission" in limit ? [limit.permission, (p: PolicyPerson) => p.permissions.includes(limit.permission)] : [`role ${limit.role}`, (p: PolicyPerson) => p.role === limit.role];
  const holders = matched.filter(holds);
  if (holders.length <= limit.max) return undefined;
  const names = holders.map(who);
  const shown = names.slice(0, 5).join(", ") + (names.length > 5 ? ` and ${names.length - 5} more` : "");
  return { count: holders.length, subject: `${holders.length} people`, message: `hold ${what} (${shown}); the limit is ${limit.max}, counting the owner, members and pending invitations` };
}

/** inactiveSince is when a person was last seen: their last activity, or their acceptance if they never used their access (ms). */
export function inactiveSince(a: PersonActivity): number {
  return Date.parse(a.lastActiveAt ?? a.joinedAt);
}

/** activityText says how long a person has been inactive: `last active 2026-08-01, 128 days ago` or `never active since joining 2026-08-01, 128 days ago`. */
export function activityText(p: PolicyPerson, now: Date): string {
  const a = p.activity;
  if (a === undefined) return "activity unknown";
  const days = Math.floor((now.getTime() - inactiveSince(a)) / DAY_MS);
  const ago = `${days} day${days === 1 ? "" : "s"} ago`;
  return a.lastActiveAt === null ? `never active since joining ${a.joinedAt.slice(0, 10)}, ${ago}` : `last active ${a.lastActiveAt.slice(0, 10)}, ${ago}`;
}

/** daysText is a number of days as the file writes it (`90d`). */
export const daysText = (days: number): string => `${days}d`;

/** withinDays tells whether the UTC day `expires` (YYYY-MM-DD) is at most `days` days after the UTC day of `now`. */
export function withinDays(expires: string, days: number, now: Date): boolean {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const last = Date.parse(`${expires}T00:00:00Z`);
  return Number.isFinite(last) && last <= today + days * DAY_MS;
}
