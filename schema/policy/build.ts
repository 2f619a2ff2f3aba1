import type { YamlPath } from "../source/locator.js";
import type { Policy, PolicySource } from "./model.js";
import type { PolicyDraft } from "./read.js";

/** toPolicies builds the DesiredState's policies from a draft the rules found no error in (a draft policy without a name or rule is skipped: a rule reported it). */
export function toPolicies(draft: PolicyDraft, source: (path: YamlPath) => PolicySource): Policy[] {
  const out: Policy[] = [];
  for (const p of draft.policies) {
    if (p.name === undefined || p.rule === undefined) continue;
    out.push({ name: p.name, description: p.description, severity: p.severity, match: p.match, rule: p.rule, source: source(p.path) });
  }
  return out;
}
