import { normalizeEmail } from "../catalog.js";
import { parseMatcherDomain } from "./domain.js";
import type { YamlPath } from "../source/locator.js";
import { DURATION_PATTERN, type Deny, type Limit, type Matcher, type PolicyRule, type PolicySeverity, type Requirement } from "./model.js";

/**
 * Reading `policies:` out of a plain document, defensively (the JSON Schema check has
 * already reported shapes it rejects): each policy becomes a DraftPolicy with its names
 * normalized (emails as identities, domains lower-case, `90d` as 90) and every role, group
 * and permission it mentions kept with its YAML path, for the named rules to judge.
 */

/** PolicyRef is one role, group or permission name, or email, a policy mentions, with where. */
export interface PolicyRef {
  kind: "role" | "group" | "permission" | "email" | "domain";
  value: string;
  path: YamlPath;
}

/** RuleKey is a key that says what a policy checks; a policy needs exactly one. */
export type RuleKey = "require" | "deny" | "limit";

/** DraftPolicy is one policy as written: `rule` is undefined when it has no rule key or several (a rule reports it). */
export interface DraftPolicy {
  path: YamlPath;
  name?: string;
  description: string;
  severity: PolicySeverity;
  match: Matcher;
  ruleKeys: RuleKey[];
  rule?: PolicyRule;
  refs: PolicyRef[];
  /** expiresWithin as written when it is not a number of days like `90d`. */
  badDuration?: string;
  /** inactiveFor as written (with its path) when it is not a number of days like `90d`. */
  badInactiveFor?: { text: string; path: YamlPath };
  /** limit names neither or both of permission and role. */
  badLimit?: boolean;
  /** The policy has a key the language does not know (the schema reports it, with "did you mean"). */
  unknownKey: boolean;
}

/** PolicyDraft is the policies of a document and the group names they may refer to. */
export interface PolicyDraft {
  policies: DraftPolicy[];
  groups: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const RULE_KEYS: readonly RuleKey[] = ["require", "deny", "limit"];
const POLICY_KEYS = new Set<string>(["name", "description", "severity", "match", ...RULE_KEYS]);

/** readPolicies reads the `policies` list and the group names of a document (both empty when absent). */
export function readPolicies(root: Obj): PolicyDraft {
  const groups = isObj(root.groups) ? Object.keys(root.groups) : [];
  const list = Array.isArray(root.policies) ? root.policies : [];
  const policies: DraftPolicy[] = [];
  list.forEach((p, i) => {
    if (isObj(p)) policies.push(readPolicy(p, ["policies", i]));
  });
  return { policies, groups };
}

function readPolicy(p: Obj, path: YamlPath): DraftPolicy {
  const refs: PolicyRef[] = [];
  const draft: DraftPolicy = {
    path,
    description: typeof p.description === "string" ? p.description : "",
    severity: p.severity === "warning" ? "warning" : "error",
    match: {},
    ruleKeys: RULE_KEYS.filter((k) => p[k] !== undefined),
    refs,
    unknownKey: Object.keys(p).some((k) => !POLICY_KEYS.has(k)),
  };
  if (isObj(p.match)) draft.match = readMatcher(p.match, [...path, "match"], refs, draft);
  if (typeof p.name === "string") draft.name = p.name;
  if (draft.ruleKeys.length !== 1) return draft;
  const key = draft.ruleKeys[0]!;
  const body = isObj(p[key]) ? (p[key] as Obj) : {};
  const at = [...path, key];
  switch (key) {
    case "require": {
      const require: Requirement = {};
      if (typeof body.expiresWithin === "string") {
        if (DURATION_PATTERN.test(body.expiresWithin)) require.expiresWithin = Number(body.expiresWithin.slice(0, -1));
        else draft.badDuration = body.expiresWithin;
      } else if (typeof body.expiresWithin === "number") {
        draft.badDuration = String(body.expiresWithin);
      }
      if (body.expires === true) require.expires = true;
      const roleIn = names(body.roleIn, "role", [...at, "roleIn"], refs);
      if (roleIn) require.roleIn = roleIn;
      const roleNotIn = names(body.roleNotIn, "role", [...at, "roleNotIn"], refs);
      if (roleNotIn) require.roleNotIn = roleNotIn;
      const subset = names(body.permissionsSubsetOf, "permission", [...at, "permissionsSubsetOf"], refs);
      if (subset) require.permissionsSubsetOf = subset;
      draft.rule = { kind: "require", require };
      break;
    }
    case "deny": {
      const deny: Deny = {};
      const permissions = names(body.permissions, "permission", [...at, "permissions"], refs);
      if (permissions) deny.permissions = permissions;
      const roles = names(body.roles, "role", [...at, "roles"], refs);
      if (roles) deny.roles = roles;
      draft.rule = { kind: "deny", deny };
      break;
    }
    case "limit": {
      const max = typeof body.max === "number" && Number.isInteger(body.max) && body.max >= 0 ? body.max : 0;
      const permission = name(body.permission, "permission", [...at, "permission"], refs);
      const role = name(body.role, "role", [...at, "role"], refs);
      if ((permission === undefined) === (role === undefined)) {
        draft.badLimit = true;
        break;
      }
      const limit: Limit = permission !== undefined ? { permission, max } : { role: role!, max };
      draft.rule = { kind: "limit", limit };
      break;
    }
  }
  return draft;
}

function readMatcher(m: Obj, path: YamlPath, refs: PolicyRef[], draft: DraftPolicy): Matcher {
  const out: Matcher = {};
  const email = strings(m.email);
  if (Array.isArray(m.email) && m.email.length === 0) refs.push({ kind: "email", value: "", path: [...path, "email"] });
  if (email) {
    out.email = email.map(normalizeEmail);
    if (typeof m.email === "string") refs.push({ kind: "email", value: m.email, path: [...path, "email"] });
    else (m.email as unknown[]).forEach((e, i) => typeof e === "string" && refs.push({ kind: "email", value: e, path: [...path, "email", i] }));
  }
  const domain = strings(m.emailDomain);
  if (domain) out.emailDomain = domainList(m.emailDomain, domain, [...path, "emailDomain"], refs);
  const domainNot = strings(m.emailDomainNot);
  if (domainNot) out.emailDomainNot = domainList(m.emailDomainNot, domainNot, [...path, "emailDomainNot"], refs);
  const role = name(m.role, "role", [...path, "role"], refs);
  if (role !== undefined) out.role = role;
  const roleIn = names(m.roleIn, "role", [...path, "roleIn"], refs);
  if (roleIn) out.roleIn = roleIn;
  const group = name(m.group, "group", [...path, "group"], refs);
  if (group !== undefined) out.group = group;
  const permission = name(m.hasPermission, "permission", [...path, "hasPermission"], refs);
  if (permission !== undefined) out.hasPermission = permission;
  if (typeof m.inactiveFor === "string" && DURATION_PATTERN.test(m.inactiveFor)) out.inactiveFor = Number(m.inactiveFor.slice(0, -1));
  else if (m.inactiveFor !== undefined) draft.badInactiveFor = { text: String(m.inactiveFor), path: [...path, "inactiveFor"] };
  if (isObj(m.not)) out.not = readMatcher(m.not, [...path, "not"], refs, draft);
  return out;
}

/** domainList reads a matcher's domains in their canonical form (parseMatcherDomain; one that matches nobody is kept as written, and its ref makes the rules refuse it), each kept as a ref. */
function domainList(raw: unknown, domains: string[], path: YamlPath, refs: PolicyRef[]): string[] {
  if (typeof raw === "string" || (Array.isArray(raw) && raw.length === 0)) refs.push({ kind: "domain", value: typeof raw === "string" ? raw : "", path });
  else (raw as unknown[]).forEach((d, i) => typeof d === "string" && refs.push({ kind: "domain", value: d, path: [...path, i] }));
  return domains.map((d) => {
    const parsed = parseMatcherDomain(d);
    return parsed.ok ? parsed.value : d;
  });
}

/** strings reads a string or a list of strings (non-strings dropped; the schema reported them). */
function strings(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  if (!Array.isArray(v)) return undefined;
  return v.filter((x): x is string => typeof x === "string");
}

function name(v: unknown, kind: PolicyRef["kind"], path: YamlPath, refs: PolicyRef[]): string | undefined {
  if (typeof v !== "string") return undefined;
  refs.push({ kind, value: v, path });
  return v;
}

function names(v: unknown, kind: PolicyRef["kind"], path: YamlPath, refs: PolicyRef[]): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  v.forEach((x, i) => {
    if (typeof x !== "string") return;
    refs.push({ kind, value: x, path: [...path, i] });
    out.push(x);
  });
  return out;
}
