import { isLocalTarget, type Change, type Plan } from "../plan.js";
import { showInvisible as v } from "./escape.js";
import { policyTextLines } from "./policy.js";
import { LOCAL_NOTE, blockedLine, liveSinceText, changesByPhase, describeState, holderEffect, PHASE_TITLES, permissionEffects, reviewOrder, fileOf, sponsoredLines, subjectOf, summaryLine, symbolOf, verbOf, type Symbol } from "./words.js";

/** TextOptions: `color` adds ANSI colours; the CLI passes true only on a TTY without NO_COLOR. */
export interface TextOptions {
  color: boolean;
}

const ANSI = { reset: "\x1b[0m", bold: "\x1b[1m", dim: "\x1b[2m", red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m" } as const;

/**
 * renderText is the terminal form of a plan, like `terraform plan`: a header naming the
 * workspace, the policy findings (when the file has policies), and then, in review order, every high-risk change and every change that takes
 * access away (role edits name each holder with their effective permissions before and
 * after); then all changes grouped by phase in apply order (high-risk first within each),
 * each with the effective permissions the person gains (`+`) and loses (`-`) and, where
 * there was earlier access, `live since` — a change shown under "Review first" is counted
 * in its phase's title, never printed twice —, then
 * warnings, safety-rail violations, and the closing summary line. Every value from the
 * file or the workspace is shown with its control, bidi and zero-width characters escaped
 * (`\u001b`). Pure: the same plan and options give the same text; colour only when `color` is true.
 */
export function renderText(plan: Plan, options: TextOptions): string {
  const paint = (codes: string, s: string) => (options.color ? `${codes}${s}${ANSI.reset}` : s);
  const bySymbol: Record<Symbol, string> = { "+": ANSI.green, "~": ANSI.yellow, "-": ANSI.red };
  const lines: string[] = [];
  lines.push(v(`Workspace ${plan.workspace} at ${plan.target} (revision ${plan.liveRevision}, ${plan.mode} mode), read as ${plan.caller}.`));
  if (isLocalTarget(plan.target)) lines.push(paint(ANSI.bold + ANSI.yellow, LOCAL_NOTE));
  const changeLines = (c: Change, indent: string) => {
    const sym = symbolOf(c);
    const head = v(`${sym} ${verbOf(c)} ${subjectOf(c)}${describeState(c)}`);
    const risk = c.risk === "high" ? ` ${paint(ANSI.bold + ANSI.red, "[high risk]")}` : "";
    lines.push(`${indent}${paint(bySymbol[sym], head)}${risk}  ${paint(ANSI.dim, `(${v(c.reason)})`)}`);
    for (const line of permissionEffects(c)) lines.push(`${indent}    ${paint(bySymbol[line[0] as Symbol], v(line))}`);
    for (const line of sponsoredLines(c)) lines.push(`${indent}    ${v(line)}`);
    // Only where there was earlier access: an invitation of someone new or a new role has no history to name.
    const since = c.liveSince === null && (c.kind === "inviteMember" || c.kind === "createRole") ? null : liveSinceText(c);
    if (since !== null) lines.push(`${indent}    ${paint(ANSI.dim, v(`live since: ${since}`))}`);
  };

  lines.push(...policyTextLines(plan, { error: (s) => paint(ANSI.red, s), warning: (s) => paint(ANSI.yellow, s), title: (s) => paint(ANSI.bold, s) }));

  const { review } = reviewOrder(plan.changes);
  if (review.length > 0) {
    lines.push("", paint(ANSI.bold, `Review first (${review.length} taking access away or high risk):`));
    for (const c of review) {
      changeLines(c, "  ");
      if (c.kind !== "updateRole") continue;
      for (const h of c.holders ?? []) {
        const d = holderEffect(h.before, h.after);
        const effect = [...(d.gained.length > 0 ? [`gains ${d.gained.join(", ")}`] : []), ...(d.lost.length > 0 ? [`loses ${d.lost.join(", ")}`] : [])].join("; ") || "no change";
        lines.push(`      holder ${v(h.email)} (${h.state}): ${effect} [${h.before.join(", ")} → ${h.after.join(", ")}]`);
      }
    }
  }

  // Each change is printed once: a phase lists what "Review first" did not, and counts what it did.
  const reviewed = new Set(review);
  for (const [phase, changes] of changesByPhase(plan.changes)) {
    const rest = changes.filter((c) => !reviewed.has(c));
    const above = changes.length - rest.length;
    if (rest.length === 0) continue;
    const note = above === 0 ? "" : ` (${above} more under Review first)`;
    lines.push("", paint(ANSI.bold, `${PHASE_TITLES[phase]}${note}:`));
    for (const c of rest) changeLines(c, "  ");
  }

  if (plan.warnings.length > 0) {
    lines.push("", paint(ANSI.bold, "Warnings:"));
    for (const w of plan.warnings) lines.push(`  ${paint(ANSI.yellow, "!")} ${v(w.code)}: ${v(w.message)}`);
  }
  if (plan.violations.length > 0) {
    lines.push("", paint(ANSI.bold + ANSI.red, "Blocked by safety rails:"));
    for (const x of plan.violations) {
      lines.push(`  ${paint(ANSI.red, "✗")} ${x.rail}: ${v(x.message)}`);
      if (x.override !== undefined) lines.push(`      override: ${v(x.override)}`);
    }
  }
  // A blocked plan never says "No changes": the workspace may well differ from the file.
  if (plan.violations.length === 0 || plan.changes.length > 0) lines.push("", paint(ANSI.bold, v(summaryLine(plan.summary, plan.warnings, fileOf(plan)))));
  else lines.push("");
  if (plan.violations.length > 0) lines.push(paint(ANSI.bold + ANSI.red, blockedLine(plan)));
  return `${lines.join("\n")}\n`;
}
