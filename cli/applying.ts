import { AccessError, InterruptedError } from "../errors.js";
import { applyPlan, entrySubject, type ApplyResult } from "../reconciler/apply/index.js";
import type { AccessClient } from "../client/index.js";
import type { Plan } from "../reconciler/plan.js";
import { showInvisible } from "../reconciler/render/index.js";
import { deviationLine, differenceLine } from "../reconciler/render/verification.js";
import type { Verification } from "../reconciler/verify.js";
import { createProgress, type ProgressOptions } from "./progress.js";

/**
 * What apply says around applyPlan: the closing summary (applied / failed / skipped /
 * not attempted), the failures one per line, the verification's verdict, and the error
 * an unfinished or unverified apply ends in. Pure: strings in, strings out.
 */

/**
 * summaryLine is the closing line of a text apply, e.g. `Apply complete: 5 applied, 0 failed,
 * 0 skipped, 0 not attempted.` Changes the workspace already held when their call came (another
 * apply made them: `note`) are counted apart, `3 applied, 2 already so (no change made), …`,
 * so "applied" counts only what this apply changed.
 */
export function summaryLine(result: ApplyResult): string {
  const complete = result.failed.length === 0 && result.skipped.length === 0 && result.notAttempted.length === 0;
  const head = complete ? "Apply complete" : "Apply incomplete";
  const { made, already } = appliedCounts(result);
  const found = already > 0 ? ` ${already} already so (no change made),` : "";
  return `${head}: ${made} applied,${found} ${result.failed.length} failed, ${result.skipped.length} skipped, ${result.notAttempted.length} not attempted.`;
}

/** appliedCounts splits the applied changes: `made` by this apply, `already` found so (a note says why no change was made). */
export function appliedCounts(result: Pick<ApplyResult, "applied">): { made: number; already: number } {
  const already = result.applied.filter((a) => a.note !== undefined).length;
  return { made: result.applied.length - already, already };
}

/** MAX_PROBLEM_LINES caps the failed, skipped and not-attempted changes (and remaining differences) listed one by one; the rest are counted. */
export const MAX_PROBLEM_LINES = 20;

/** NOT_ATTEMPTED_WHY says why a change was never started. */
const NOT_ATTEMPTED_WHY = {
  interrupted: "apply was interrupted",
  unreachable: "the server stopped answering",
} as const;

/**
 * problemLines lists failed, skipped, then not-attempted changes, one line each, at most
 * MAX_PROBLEM_LINES (then a count). Values from the file or the workspace (emails, role
 * names, the API's messages) are shown with invisible characters escaped, never raw.
 */
export function problemLines(result: ApplyResult): string[] {
  const lines = [
    ...result.failed.map((f) => `  failed         ${f.kind} ${entrySubject(f)}: ${f.error.message}`),
    ...result.skipped.map((s) => `  skipped        ${s.kind} ${entrySubject(s)}: ${s.reason}`),
    ...result.notAttempted.map((n) => `  not attempted  ${n.kind} ${entrySubject(n)}: ${NOT_ATTEMPTED_WHY[n.reason]}`),
  ];
  return capped(lines.map(showInvisible));
}

/** verificationLines renders the verification: `Verified: …`, the differences that remain, or why it was skipped. */
export function verificationLines(verification: Verification): string[] {
  switch (verification.status) {
    case "verified":
      return ["Verified: the workspace matches access.yaml."];
    case "differs": {
      const n = verification.remaining.length;
      const d = verification.deviations.length;
      return [
        ...(d > 0
          ? [`Not verified: ${d} promise${d === 1 ? "" : "s"} of the plan did not hold:`, ...capped(verification.deviations.map(deviationLine))]
          : []),
        ...(n > 0
          ? [`Not verified: the workspace still differs from access.yaml in ${n} place${n === 1 ? "" : "s"}:`, ...capped(verification.remaining.map(differenceLine))]
          : []),
      ];
    }
    case "skipped":
      return [`Not verified: ${verification.reason}.`];
  }
}

/**
 * outcomeError is the error an apply ends in, or null when it succeeded: interrupted
 * (exit 130), anything failed, skipped or not attempted, or a verification that found
 * differences or could not read the workspace back (exit 1). A verification skipped
 * because the caller removed itself is a success.
 */
export function outcomeError(result: ApplyResult, verification: Verification, interrupted: boolean): AccessError | null {
  const unfinished = result.failed.length + result.skipped.length + result.notAttempted.length;
  if (interrupted) return new InterruptedError(`apply interrupted: ${unfinishedText(result)}; run plan again to see what remains`);
  if (unfinished > 0) {
    const concurrent = result.failed.filter((f) => f.error.status === 412).length;
    const why = concurrent > 0 ? `; ${concurrent} of them changed concurrently` : "";
    const gaveUp = result.notAttempted.some((n) => n.reason === "unreachable") ? "; gave up on a server that stopped answering" : "";
    return new AccessError(`apply incomplete: ${unfinishedText(result)}${why}${gaveUp}; run plan again to see what remains`);
  }
  if (verification.status === "differs") {
    const n = verification.remaining.length;
    const d = verification.deviations.length;
    const parts = [
      ...(d > 0 ? [`${d} promise${d === 1 ? "" : "s"} of the plan did not hold (${verification.deviations.map((x) => x.subject).join(", ")})`] : []),
      ...(n > 0 ? [`the workspace still differs from access.yaml in ${n} place${n === 1 ? "" : "s"}`] : []),
    ];
    return new AccessError(`apply did not converge: ${parts.join("; ")}; run plan again to review`);
  }
  if (verification.status === "skipped" && (verification.cause !== "selfRemoved" || (verification.unchecked ?? []).length > 0)) {
    return new AccessError(`apply could not be verified: ${verification.reason}`);
  }
  return null;
}

function unfinishedText(result: ApplyResult): string {
  const parts: string[] = [];
  const n = (count: number, word: string) => `${count} change${count === 1 ? "" : "s"} ${word}`;
  if (result.failed.length > 0) parts.push(n(result.failed.length, "failed"));
  if (result.skipped.length > 0) parts.push(`${result.skipped.length} skipped`);
  if (result.notAttempted.length > 0) parts.push(`${result.notAttempted.length} not attempted`);
  return parts.length > 0 ? parts.join(", ") : "no change failed";
}

function capped(lines: string[]): string[] {
  if (lines.length <= MAX_PROBLEM_LINES) return lines;
  const rest = lines.length - MAX_PROBLEM_LINES;
  return [...lines.slice(0, MAX_PROBLEM_LINES), `  … and ${rest} more (--format json lists every change)`];
}

/**
 * applyWithProgress applies one plan with the progress display (failures counted as they
 * come); once `signal` aborts, applyPlan starts nothing more and reports the rest as not
 * attempted, and the display, which counts only what was tried or skipped, stops where the
 * apply stopped (never `N/N` after Ctrl-C).
 */
export async function applyWithProgress(
  plan: Plan,
  client: AccessClient,
  options: { concurrency?: number | undefined; signal: AbortSignal; progress?: ProgressOptions },
): Promise<ApplyResult> {
  const progress = createProgress(plan.changes.length, options.progress);
  let done = 0;
  let failed = 0;
  try {
    return await applyPlan(plan, client, {
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      signal: options.signal,
      onProgress: (p) => {
        if (p.outcome === "notAttempted") return;
        done += 1;
        if (p.outcome === "failed") failed += 1;
        progress.update({ done, total: p.total, failed });
      },
    });
  } finally {
    progress.finish();
  }
}
