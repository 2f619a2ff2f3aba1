import { BUILT_IN_ROLE_NAMES, CUSTOM_ROLE_NAME_PATTERN, isBuiltInRole, isPermission, PERMISSION_IDS } from "../catalog.js";
import type { Draft } from "../normalize.js";
import { error, warning, type Finding, type Rule } from "../rules/types.js";
import { checkDescription, escapeInvisible, parseEmail } from "../identity.js";
import { parseMatcherDomain } from "./domain.js";
import { didYouMean } from "../suggest.js";
import { POLICY_NAME_PATTERN } from "./model.js";
import type { PolicyRef } from "./read.js";

/**
 * The named rules of the policy language (codes documented in docs/policies.md). The JSON
 * Schema checks shapes and gives editors completion; these report what it cannot know
 * (names defined elsewhere in the file) or could only say badly (patterns, enums).
 */

/** policyNames (`invalid-policy-name`, `duplicate-policy`): names match ^[a-z][a-z0-9-]{1,62}$ and are unique; a repeat names the first place. */
export const policyNames: Rule = (draft, ctx) => {
  const findings: Finding[] = [];
  const first = new Map<string, (string | number)[]>();
  for (const p of draft.policies.policies) {
    if (p.name === undefined) continue;
    const at = [...p.path, "name"];
    if (!POLICY_NAME_PATTERN.test(p.name)) {
      findings.push(error("invalid-policy-name", at, `policy name "${p.name}" must be 2-63 characters of a-z, 0-9 and "-", starting with a letter`));
      continue;
    }
    const seen = first.get(p.name);
    if (seen === undefined) first.set(p.name, at);
    else findings.push(error("duplicate-policy", at, `policy "${p.name}" is already defined at ${ctx.where(seen)}`));
  }
  return findings;
};

/**
 * policyShape (`policy-rule`, `invalid-limit`, `invalid-duration`, `invalid-description`): one of
 * require, deny or limit; a limit on one permission or one role; durations like 90d; a
 * description the identity grammar accepts (as a custom role's).
 */
export const policyShape: Rule = (draft) =>
  draft.policies.policies.flatMap((p): Finding[] => {
    const who = p.name === undefined ? "this policy" : `policy "${p.name}"`;
    const out: Finding[] = [];
    // No rule key but an unknown one: most likely a misspelled rule key, which the schema already reports with "did you mean".
    if (p.ruleKeys.length > 1 || (p.ruleKeys.length === 0 && !p.unknownKey)) {
      const got = p.ruleKeys.length === 0 ? "none" : p.ruleKeys.join(" and ");
      out.push(error("policy-rule", p.ruleKeys.length === 0 ? p.path : [...p.path, p.ruleKeys[1]!], `${who} needs exactly one of require, deny or limit (got ${got})`, p.ruleKeys.length > 0));
    }
    if (p.badLimit === true) out.push(error("invalid-limit", [...p.path, "limit"], `the limit of ${who} counts exactly one of permission or role`, true));
    const problem = checkDescription(p.description);
    if (problem !== undefined) out.push(error("invalid-description", [...p.path, "description"], `the description of ${who} ${problem}`));
    if (p.badDuration !== undefined) {
      out.push(error("invalid-duration", [...p.path, "require", "expiresWithin"], `expiresWithin of ${who} must be a number of days written like "90d", not "${p.badDuration}"`));
    }
    if (p.badInactiveFor !== undefined) {
      out.push(error("invalid-duration", p.badInactiveFor.path, `inactiveFor of ${who} must be a number of days written like "90d", not "${p.badInactiveFor.text}"`));
    }
    return out;
  });

/**
 * policyReferences (`unknown-permission`, `unknown-role`, `unknown-group`, `invalid-email`, `invalid-domain`):
 * every email a policy matches is an address under the identity grammar, every domain a domain
 * under it (schema/policy/domain.ts: no trailing dot, no wildcard; an empty list matches
 * nobody and is refused too), and every name it mentions exists: a catalog permission, a built-in role (owner included) or a
 * custom role of the file, a group of the file; each with "did you mean". In additive mode
 * a custom-role-shaped name the file does not define is a warning (the workspace may have
 * it), as for members.
 */
export const policyReferences: Rule = (draft) => {
  const custom = draft.roles.filter((r) => !isBuiltInRole(r.name)).map((r) => r.name);
  const roles = [...BUILT_IN_ROLE_NAMES, ...custom];
  const known = { role: new Set<string>(roles), group: new Set(draft.policies.groups), permission: new Set<string>(PERMISSION_IDS) };
  const findings: Finding[] = [];
  for (const p of draft.policies.policies) {
    for (const ref of p.refs) {
      if (ref.kind === "email") {
        const parsed = parseEmail(ref.value);
        if (!parsed.ok) findings.push(error("invalid-email", ref.path, `"${escapeInvisible(ref.value)}" is not a valid email address: it ${parsed.reason}${ref.value === "" ? ", so the matcher matches nobody" : ""}`));
        continue;
      }
      if (ref.kind === "domain") {
        const parsed = ref.value === "" ? { ok: false as const, reason: "is empty" } : parseMatcherDomain(ref.value);
        if (!parsed.ok) findings.push(error("invalid-domain", ref.path, `"${escapeInvisible(ref.value)}" ${parsed.reason}; a matcher that can match nobody would switch its policy off`));
        continue;
      }
      if (known[ref.kind].has(ref.value)) continue;
      findings.push(unknownRef(ref as PolicyRef & { kind: "role" | "group" | "permission" }, roles, draft));
    }
  }
  return findings;
};

function unknownRef(ref: PolicyRef & { kind: "role" | "group" | "permission" }, roles: readonly string[], draft: Draft): Finding {
  switch (ref.kind) {
    case "permission":
      return error("unknown-permission", ref.path, `"${ref.value}" is not a permission${isPermission(ref.value) ? "" : didYouMean(ref.value, PERMISSION_IDS)}`);
    case "group": {
      const groups = draft.policies.groups;
      return error("unknown-group", ref.path, `"${ref.value}" is not a group of this file${didYouMean(ref.value, groups)}${groups.length > 0 ? ` (groups: ${groups.join(", ")})` : ""}`);
    }
    case "role":
      return draft.mode === "additive" && CUSTOM_ROLE_NAME_PATTERN.test(ref.value)
        ? warning("unknown-role", ref.path, `"${ref.value}" is not defined in this file${didYouMean(ref.value, roles)}; additive mode judges it against the workspace's roles`)
        : error("unknown-role", ref.path, `"${ref.value}" is not a role${didYouMean(ref.value, roles)} (roles: ${roles.join(", ")})`);
  }
}

/** POLICY_RULES are the policy language's named rules, run with the file's other rules. */
export const POLICY_RULES: Readonly<Record<string, Rule>> = { policyNames, policyShape, policyReferences };
