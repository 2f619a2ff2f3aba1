import { ConfigError } from "../errors.js";
import { applyPlan, assertFresh, type ApplyResult } from "../reconciler/apply/index.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import type { LiveState } from "../reconciler/live-state.js";
import type { Plan } from "../reconciler/plan.js";
import { renderText } from "../reconciler/render/index.js";
import { assertUnchangedSince, concurrentWriteNote, ConcurrentChangeError, incompleteError, problemLines, summaryLine } from "./applying.js";
import { confirmApply, isInteractive, useColor } from "./confirm.js";
import { ExitCode } from "./errors.js";
import { ignoreClosedStdout, withNewline } from "./output.js";
import { assertCanWrite, assertSavedPlanTarget, blockedError, isBlocked, loadDesired, planAgainst, printWarnings } from "./planning.js";
import { interruptible } from "./interrupt.js";
import { createProgress } from "./progress.js";
import { withSession, type Session } from "./session.js";
import type { TargetOptions } from "./target.js";

/** ApplyOptions are `apply`'s parsed options (cli/apply.ts declares them). */
export interface ApplyOptions extends TargetOptions {
  file?: string;
  autoApprove?: boolean;
  concurrency: number;
  format: "text" | "json";
  allowSelfChange?: boolean;
}

/**
 * runApply is `apply`: a saved plan (checked, refused when stale) or a plan of the
 * file; shown, confirmed, applied, reported. Returns 0 only when every change applied;
 * every other outcome throws a typed error (exit 1).
 */
export async function runApply(planPath: string | undefined, options: ApplyOptions): Promise<number> {
  ignoreClosedStdout();
  const json = options.format === "json";
  const out = json ? process.stderr : process.stdout;
  const say = (line: string) => out.write(`${line}\n`);

  if (planPath !== undefined) {
    if (options.file !== undefined) throw new ConfigError("give either a saved plan or -f FILE, not both");
    const { readSavedPlan } = await import("./saved-plan.js");
    const saved = await readSavedPlan(planPath);
    return withSession({ target: options, workspace: saved.workspace, announce: say }, async (session) => {
      assertSavedPlanTarget(saved, session, planPath);
      if (isBlocked(saved)) throw blockedError(saved);
      const live = await fetchWorkspaceState(session.client, saved.workspace);
      assertFresh(saved, live);
      return proceed(session, saved, live, live.workspace.revision, options, say);
    });
  }

  const { desired, warnings } = await loadDesired(options.file ?? "access.yaml");
  return withSession({ target: options, workspace: desired.workspace, owner: desired.owner, announce: say }, async (session) => {
    printWarnings(warnings);
    const { live, plan } = await planAgainst(session, desired, { allowSelfChange: options.allowSelfChange === true });
    return proceed(session, plan, live, plan.liveRevision, options, say);
  });
}

/** proceed shows the plan, checks it may be applied, asks, applies and reports. */
async function proceed(
  session: Session,
  plan: Plan,
  live: LiveState,
  baseRevision: number,
  options: ApplyOptions,
  say: (line: string) => void,
): Promise<number> {
  const json = options.format === "json";
  if (!json || (isInteractive() && options.autoApprove !== true)) {
    const stream = json ? process.stderr : process.stdout;
    stream.write(withNewline(renderText(plan, { color: useColor(stream) })));
  }
  if (isBlocked(plan)) throw blockedError(plan);
  if (plan.changes.length === 0) {
    if (json) process.stdout.write(`${JSON.stringify({ applied: [], failed: [], skipped: [] }, null, 2)}\n`);
    return ExitCode.ok;
  }
  assertCanWrite(live);
  if (options.autoApprove !== true) {
    if (!isInteractive()) {
      throw new ConfigError("apply needs confirmation, but this is not a terminal: pass --auto-approve to apply without asking");
    }
    if (!(await confirmApply())) {
      say("Apply cancelled: nothing was changed.");
      return ExitCode.error;
    }
  }
  // The plan is seconds (or, after a question, minutes) old: refuse if anyone wrote since.
  await assertUnchangedSince(session, plan.workspace, baseRevision);

  const progress = createProgress(plan.changes.length);
  const guard = interruptible(session.client, (line) => process.stderr.write(`\n${line}\n`));
  let failed = 0;
  let result: ApplyResult;
  try {
    result = await applyPlan(plan, guard.client, {
      concurrency: options.concurrency,
      onProgress: (p) => {
        if (p.outcome !== "applied") failed += 1;
        progress.update({ done: p.done, total: p.total, failed });
      },
    });
  } finally {
    guard.dispose();
    progress.finish();
  }
  report(result, json);
  const conflict = await concurrentWriteNote(session, plan.workspace, baseRevision, result);
  if (conflict !== null) throw new ConcurrentChangeError(conflict);
  if (result.failed.length > 0 || result.skipped.length > 0) throw incompleteError(result, guard.interrupted());
  return ExitCode.ok;
}

function report(result: ApplyResult, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines = ["", ...problemLines(result), summaryLine(result)];
  process.stdout.write(`${lines.join("\n")}\n`);
}
