import { AccessError } from "../errors.js";
import type { ApplyResult } from "../reconciler/apply/index.js";
import type { Session } from "./session.js";

/**
 * What apply does around applyPlan: the workspace-revision checks that turn a
 * concurrent writer into a reported conflict, and the result summary. The revision
 * bumps once per change the server commits (and not for a replayed or no-op request),
 * so after an apply that made at most `applied.length` changes, a revision beyond
 * `baseRevision + applied.length` (baseRevision: the revision apply started from) means someone else changed the workspace while
 * this apply ran: the result may be a mix of both, and the user must re-plan.
 */

/** ConcurrentChangeError: another writer changed the workspace during this apply (or since its plan). */
export class ConcurrentChangeError extends AccessError {}

/**
 * assertUnchangedSince refuses to start when the workspace's revision moved since the
 * plan was computed (e.g. while a person read the plan and typed yes): nothing changed.
 */
export async function assertUnchangedSince(session: Session, workspace: string, baseRevision: number): Promise<void> {
  const { revision } = await session.client.getWorkspace(workspace);
  if (revision !== baseRevision) {
    throw new ConcurrentChangeError(
      `workspace ${workspace} changed concurrently since the plan was computed (revision ${baseRevision} → ${revision}); nothing was changed, run plan again`,
    );
  }
}

/**
 * concurrentWriteNote returns a one-line conflict report when the workspace's revision
 * moved past `baseRevision` (its revision when apply started) by more than this apply
 * accounts for, else null.
 */
export async function concurrentWriteNote(
  session: Session,
  workspace: string,
  baseRevision: number,
  result: ApplyResult,
): Promise<string | null> {
  const { revision } = await session.client.getWorkspace(workspace);
  const accounted = baseRevision + result.applied.length;
  if (revision <= accounted) return null;
  const others = revision - accounted;
  return `workspace ${workspace} changed concurrently during this apply (${others} change${others === 1 ? "" : "s"} by another writer); the result may mix both, run plan again to review it`;
}

/** summaryLine is the closing line of a text apply, e.g. `Apply complete: 5 applied, 0 failed, 0 skipped.` */
export function summaryLine(result: ApplyResult): string {
  const head = result.failed.length === 0 && result.skipped.length === 0 ? "Apply complete" : "Apply incomplete";
  return `${head}: ${result.applied.length} applied, ${result.failed.length} failed, ${result.skipped.length} skipped.`;
}

/** MAX_PROBLEM_LINES caps the failed and skipped changes listed one by one; the rest are counted. */
export const MAX_PROBLEM_LINES = 20;

/** problemLines lists failed, then skipped changes, one line each, at most MAX_PROBLEM_LINES (then a count). */
export function problemLines(result: ApplyResult): string[] {
  const who = (e: { email?: string; name?: string; key: string }) => e.email ?? e.name ?? e.key;
  const lines = [
    ...result.failed.map((f) => `  failed   ${f.kind} ${who(f)}: ${f.error.message}`),
    ...result.skipped.map((s) => `  skipped  ${s.kind} ${who(s)}: ${s.reason}`),
  ];
  if (lines.length <= MAX_PROBLEM_LINES) return lines;
  const rest = lines.length - MAX_PROBLEM_LINES;
  return [...lines.slice(0, MAX_PROBLEM_LINES), `  … and ${rest} more (--format json lists every change)`];
}

/** incompleteError is the error an apply with failed or skipped changes ends in (exit 1). */
export function incompleteError(result: ApplyResult, interrupted = false): AccessError {
  const concurrent = result.failed.filter((f) => f.error.status === 412).length;
  const parts = [`${result.failed.length} change${result.failed.length === 1 ? "" : "s"} failed`];
  if (result.skipped.length > 0) parts.push(`${result.skipped.length} skipped`);
  const why = concurrent > 0 ? `; ${concurrent} of them changed concurrently` : "";
  const head = interrupted ? "apply interrupted" : "apply incomplete";
  return new AccessError(`${head}: ${parts.join(", ")}${why}; run plan again to see what remains`);
}
