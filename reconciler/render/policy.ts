import type { Plan, PlanPolicies, PolicyFinding, PolicyStatus } from "../plan.js";
import { mdCode, mdText, showInvisible } from "./escape.js";

/**
 * The policy section every renderer shows (docs/policies.md): one headline counting what
 * the plan leaves, then one line per finding, errors first, each with whether the plan
 * makes it, leaves it from the live workspace or fixes it. JSON carries `plan.policies` as is.
 */

/** STATUS_TEXT says how a finding relates to the live workspace. */
export const STATUS_TEXT: Record<PolicyStatus, string> = {
  new: "new with this plan",
  unfixed: "already violated live; this plan does not fix it",
  worse: "already violated live; this plan makes it worse",
  fixed: "violated live; this plan fixes it",
};

/** policyHeadline counts the findings: `2 policies checked: 1 error, 1 warning after this plan; 1 live violation fixed.` */
export function policyHeadline(p: PlanPolicies): string {
  const remaining = p.findings.filter((f) => f.status !== "fixed");
  const errors = remaining.filter((f) => f.severity === "error").length;
  const warnings = remaining.length - errors;
  const fixed = p.findings.length - remaining.length;
  const n = (k: number, word: string, words = `${word}s`) => `${k} ${k === 1 ? word : words}`;
  const after = remaining.length === 0 ? "all hold after this plan" : `${n(errors, "error")}, ${n(warnings, "warning")} after this plan`;
  return `${n(p.checked, "policy", "policies")} checked: ${after}${fixed > 0 ? `; ${n(fixed, "live violation")} fixed by it` : ""}.`;
}

/** orderedFindings puts errors first, then warnings, then what the plan fixes; stable within each. */
export function orderedFindings(p: PlanPolicies): PolicyFinding[] {
  const rank = (f: PolicyFinding) => (f.status === "fixed" ? 2 : f.severity === "error" ? 0 : 1);
  return [...p.findings].sort((a, b) => rank(a) - rank(b));
}

/** policyTextLines is the text plan's section (empty when the plan has no policies); values shown with invisible characters escaped. */
export function policyTextLines(plan: Plan, paint: { error: (s: string) => string; warning: (s: string) => string; title: (s: string) => string }): string[] {
  const p = plan.policies;
  if (p === undefined) return [];
  const lines = ["", paint.title(`Policies: ${policyHeadline(p)}`)];
  for (const f of orderedFindings(p)) {
    const mark = f.status === "fixed" ? "✓" : f.severity === "error" ? paint.error("✗") : paint.warning("!");
    lines.push(`  ${mark} ${f.severity} policy:${showInvisible(f.policy)} ${showInvisible(`${f.subject} ${f.message}`)} (${STATUS_TEXT[f.status]})`);
  }
  return lines;
}

/** policyMarkdownLines is the comment's "Policy" section, as lines of one list (empty when the plan has no policies); every value inert. */
export function policyMarkdownLines(plan: Plan): { head: string[]; items: string[] } {
  const p = plan.policies;
  if (p === undefined) return { head: [], items: [] };
  const items = orderedFindings(p).map(
    (f) => `- ${f.status === "fixed" ? "fixed" : `**${f.severity}**`} ${mdCode(`policy:${f.policy}`, "block")} ${mdText(`${f.subject} ${f.message}`, "block")} (_${STATUS_TEXT[f.status]}_)`,
  );
  return { head: ["#### Policy", "", mdText(policyHeadline(p), "block"), ""], items };
}
