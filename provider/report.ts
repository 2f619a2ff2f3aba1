import { CHANGE_KIND_TABLE, subjectOf, symbolOf, takesPersonAway } from "../reconciler/change-kinds.js";
import type { Plan } from "../reconciler/plan.js";
import { summaryLine } from "../reconciler/render/index.js";

/**
 * What the provider tells a Pulumi user while previewing: the plan summary, the people
 * it removes or revokes by name, and the rail violations. The Pulumi engine forwards
 * every line a provider plugin writes to stdout (after its port line) to the
 * diagnostic log of the running operation, so `pulumi preview` shows these lines; the
 * dynamic-provider host has no other channel to the engine.
 */

/** MAX_NAMED is how many removed people one report names before counting the rest. */
const MAX_NAMED = 20;

/** planReport is the lines that describe a plan for the diagnostic log, each prefixed by `label`. */
export function planReport(label: string, plan: Plan): string[] {
  const lines = [summaryLine(plan.summary)];
  const removed = plan.changes.filter((c) => takesPersonAway(c.kind)).map(subjectOf);
  if (removed.length > 0) {
    const named = removed.slice(0, MAX_NAMED).join(", ");
    lines.push(`removes or revokes: ${named}${removed.length > MAX_NAMED ? ` and ${removed.length - MAX_NAMED} more` : ""}`);
  }
  const deletedRoles = plan.changes.filter((c) => CHANGE_KIND_TABLE[c.kind].subject === "role" && symbolOf(c) === "-").map(subjectOf);
  if (deletedRoles.length > 0) lines.push(`deletes custom roles: ${deletedRoles.join(", ")}`);
  for (const v of plan.violations) lines.push(`blocked by ${v.rail}: ${v.message}`);
  return lines.map((line) => `${label}: ${line}`);
}

/** logLines writes lines to the host's stdout, which the engine shows as diagnostics of the operation. */
export function logLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
}
