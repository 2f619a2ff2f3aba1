import { isLocalTarget, type Plan } from "../plan.js";
import { LOCAL_NOTE, blockedLine, liveSinceText, changesByPhase, describeState, PHASE_TITLES, permissionEffects, subjectOf, summaryLine, symbolOf, verbOf, type Symbol } from "./words.js";

/** TextOptions: `color` adds ANSI colours; the CLI passes true only on a TTY without NO_COLOR. */
export interface TextOptions {
  color: boolean;
}

const ANSI = { reset: "\x1b[0m", bold: "\x1b[1m", dim: "\x1b[2m", red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m" } as const;

/**
 * renderText is the terminal form of a plan, like `terraform plan`: a header naming the
 * workspace, the changes grouped by phase in apply order (high-risk first within each),
 * each with the effective permissions the person gains (`+`) and loses (`-`), then
 * warnings, safety-rail violations, and the closing summary line. Pure: the same plan
 * and options give the same text; colour only when `color` is true.
 */
export function renderText(plan: Plan, options: TextOptions): string {
  const paint = (codes: string, s: string) => (options.color ? `${codes}${s}${ANSI.reset}` : s);
  const bySymbol: Record<Symbol, string> = { "+": ANSI.green, "~": ANSI.yellow, "-": ANSI.red };
  const lines: string[] = [];
  lines.push(`Workspace ${plan.workspace} at ${plan.target} (revision ${plan.liveRevision}, ${plan.mode} mode), read as ${plan.caller}.`);
  if (isLocalTarget(plan.target)) lines.push(paint(ANSI.bold + ANSI.yellow, LOCAL_NOTE));

  for (const [phase, changes] of changesByPhase(plan.changes)) {
    lines.push("", paint(ANSI.bold, `${PHASE_TITLES[phase]}:`));
    for (const c of changes) {
      const sym = symbolOf(c);
      const head = `${sym} ${verbOf(c)} ${subjectOf(c)}${describeState(c)}`;
      const risk = c.risk === "high" ? ` ${paint(ANSI.bold + ANSI.red, "[high risk]")}` : "";
      lines.push(`  ${paint(bySymbol[sym], head)}${risk}  ${paint(ANSI.dim, `(${c.reason})`)}`);
      for (const line of permissionEffects(c)) lines.push(`      ${paint(bySymbol[line[0] as Symbol], line)}`);
      const since = liveSinceText(c);
      if (since !== null) lines.push(`      ${paint(ANSI.dim, `live since: ${since}`)}`);
    }
  }

  if (plan.warnings.length > 0) {
    lines.push("", paint(ANSI.bold, "Warnings:"));
    for (const w of plan.warnings) lines.push(`  ${paint(ANSI.yellow, "!")} ${w.code}: ${w.message}`);
  }
  if (plan.violations.length > 0) {
    lines.push("", paint(ANSI.bold + ANSI.red, "Blocked by safety rails:"));
    for (const v of plan.violations) {
      lines.push(`  ${paint(ANSI.red, "✗")} ${v.rail}: ${v.message}`);
      if (v.override !== undefined) lines.push(`      override: ${v.override}`);
    }
  }
  lines.push("", paint(ANSI.bold, summaryLine(plan.summary)));
  if (plan.violations.length > 0) lines.push(paint(ANSI.bold + ANSI.red, blockedLine(plan)));
  return `${lines.join("\n")}\n`;
}
