import { AsyncLocalStorage } from "node:async_hooks";
import { CHANGE_KIND_TABLE, subjectOf, symbolOf, takesPersonAway } from "../reconciler/change-kinds.js";
import type { Plan } from "../reconciler/plan.js";
import { summaryLine } from "../reconciler/render/index.js";
import { STATUS_TEXT } from "../reconciler/render/policy.js";

/**
 * What the provider tells a Pulumi user while previewing: the plan summary, the people
 * it removes or revokes by name, the rail violations (policy errors among them) and policy warnings. The Pulumi engine forwards
 * every line a provider plugin writes to stdout (after its port line) to the
 * diagnostic log of the running operation, so `pulumi preview` shows these lines; the
 * dynamic-provider host has no other channel to the engine.
 */

/** MAX_NAMED is how many removed people one report names before counting the rest. */
const MAX_NAMED = 20;

/** HIDDEN says why a line of a secret document's report names nobody. */
export const HIDDEN = "names hidden: the document is a secret";

/**
 * planReport is the lines that describe a plan for the diagnostic log, each prefixed by
 * `label`. With `secret` (the document is a secret input) they name nobody: counts, rails
 * and policies only, since the diagnostic log is not encrypted like the state.
 */
export function planReport(label: string, plan: Plan, secret = false): string[] {
  const lines = [summaryLine(plan.summary)];
  const removed = plan.changes.filter((c) => takesPersonAway(c.kind)).map(subjectOf);
  if (removed.length > 0 && secret) lines.push(`removes or revokes ${removed.length} ${removed.length === 1 ? "person" : "people"} (${HIDDEN})`);
  else if (removed.length > 0) {
    const named = removed.slice(0, MAX_NAMED).join(", ");
    lines.push(`removes or revokes: ${named}${removed.length > MAX_NAMED ? ` and ${removed.length - MAX_NAMED} more` : ""}`);
  }
  const deletedRoles = plan.changes.filter((c) => CHANGE_KIND_TABLE[c.kind].subject === "role" && symbolOf(c) === "-").map(subjectOf);
  if (deletedRoles.length > 0) lines.push(secret ? `deletes ${deletedRoles.length} custom role(s) (${HIDDEN})` : `deletes custom roles: ${deletedRoles.join(", ")}`);
  for (const v of plan.violations) lines.push(`blocked by ${v.rail}: ${secret ? `(${HIDDEN})` : v.message}`);
  // Policy warnings never block, so no violation names them: the log does (errors are the violations above).
  for (const f of plan.policies?.findings ?? []) {
    if (f.severity !== "warning" || f.status === "fixed") continue;
    lines.push(secret ? `policy warning policy:${f.policy} (${HIDDEN})` : `policy warning policy:${f.policy}: ${f.subject} ${f.message} (${STATUS_TEXT[f.status]})`);
  }
  return lines.map((line) => `${label}: ${line}`);
}

/**
 * logSink routes diagnostic lines for the call running in it: the native plugin
 * (provider/native/) runs each call with a sink that sends them to the engine's Log
 * service with the resource's URN, since the engine hides a native plugin's stdout.
 */
export const logSink = new AsyncLocalStorage<(lines: readonly string[]) => void>();

/** logLines writes lines to the call's logSink, else to the host's stdout, which the engine shows as diagnostics of the operation. */
export function logLines(lines: readonly string[]): void {
  if (lines.length === 0) return;
  const sink = logSink.getStore();
  if (sink !== undefined) sink(lines);
  else process.stdout.write(`${lines.join("\n")}\n`);
}
