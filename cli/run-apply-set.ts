import { AccessError, ConfigError, InterruptedError } from "../errors.js";
import type { ApplyResult } from "../reconciler/apply/index.js";
import { assertSavedFile, assertSavedPlanHolds, assertSavedTarget } from "../reconciler/guarantees/saved-plan.js";
import { assertStillPlanned } from "../reconciler/guarantees/still-planned.js";
import { renderSetText, type WorkspaceOutcome } from "../reconciler/render/index.js";
import type { Verification } from "../reconciler/verify.js";
import { appliedCounts, applyWithProgress, outcomeError, problemLines, summaryLine, verificationLines } from "./applying.js";
import { confirmApply, isInteractive, useColor } from "./confirm.js";
import { resolveMultiTarget, checkMultiTarget, tokenSourceLines } from "./credentials.js";
import { ExitCode } from "./errors.js";
import { onInterrupt } from "./interrupt.js";
import { ignoreClosedStdout, withNewline } from "./output.js";
import { fileManager } from "../schema/manager.js";
import { assertCanWrite, loadDesired, printWarnings, takingOver } from "./planning.js";
import { targetOf, verify, type ApplyOptions, type Reviewed } from "./run-apply.js";
import type { PlannedWorkspace } from "../reconciler/plan-many.js";
import { loadSet, outcomeOf, planSessions, setError } from "./run-plan-set.js";
import type { SavedPlan } from "./saved-plan.js";
import { openSessions, type SessionSet } from "./workspace-sessions.js";
import { uniqueDiagnostics, type WorkspaceFile } from "./workspaces.js";

/**
 * `apply` over several workspaces (a folder, several `-f`, or a saved plan set). The reviewed
 * set is one unit at the rails: if any workspace's plan is blocked, cannot be made, or (a
 * saved set) no longer matches, nothing is applied anywhere. Otherwise each workspace is
 * applied and verified on its own, one after another, and the report is per workspace and
 * in total; a failure in one workspace does not stop the next.
 */

/** WorkspaceApply is one workspace's apply: its result and verification (absent when it had no change). */
interface WorkspaceApply {
  reviewed: Reviewed;
  result: ApplyResult;
  verification: Verification;
}

/** runApplySet is `apply -f folder/` (or several -f): plan every workspace, then apply the set. */
export async function runApplySet(args: readonly string[], options: ApplyOptions): Promise<number> {
  ignoreClosedStdout();
  const json = options.format === "json";
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const { files, target } = await loadSet(args, options, say);
  const sessions = await openSessions({ target, files: owners(files), announce: say });
  try {
    printWarnings(uniqueDiagnostics(files.flatMap((f) => f.warnings)), options.diagnostics);
    const planned = await planSessions(sessions, files, { allowSelfChange: options.allowSelfChange === true });
    return await proceedSet(sessions, planned, options);
  } finally {
    await sessions.close();
  }
}

/**
 * runApplySavedSet is `apply plan-set.json`: every plan is re-judged as a saved plan is (its
 * file's digest, the workspace's live digest, the same changes recomputed now with the
 * applying token), all before anything is applied.
 */
export async function runApplySavedSet(path: string, saved: readonly SavedPlan[], options: ApplyOptions): Promise<number> {
  ignoreClosedStdout();
  const json = options.format === "json";
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  if (options.file !== undefined) throw new ConfigError(`a saved plan set names its own files: do not pass -f with ${path}`);
  checkMultiTarget(options);
  const place = { kind: "set", path } as const;
  const files: WorkspaceFile[] = [];
  for (const plan of saved) {
    const loaded = await loadDesired(plan.accessFile.path);
    const { warnings, accessFile } = loaded;
    const desired = takingOver(loaded.desired, options.takeOver);
    assertSavedFile(plan, { file: accessFile.path, sha256: accessFile.sha256, workspace: desired.workspace }, place);
    files.push({ desired, warnings, accessFile });
  }
  const target = await resolveMultiTarget(options, files.map((f) => f.desired.workspace));
  tokenSourceLines(target).forEach(say);
  const sessions = await openSessions({ target, files: owners(files), announce: say });
  try {
    printWarnings(uniqueDiagnostics(files.flatMap((f) => f.warnings)), options.diagnostics);
    const planIds = new Map(saved.map((p) => [p.workspace, p.planId]));
    const planned = await planSessions(sessions, files, { allowSelfChange: options.allowSelfChange === true, planIds });
    for (const p of planned) {
      if (!("plan" in p)) continue;
      const reviewed = saved.find((s) => s.workspace === p.plan.workspace)!;
      assertSavedTarget(reviewed, sessions.sessions.get(p.plan.workspace)!.target, place);
      assertSavedPlanHolds(reviewed, { live: p.live, recomputed: p.plan }, place);
    }
    return await proceedSet(sessions, planned, options);
  } finally {
    await sessions.close();
  }
}

function owners(files: readonly WorkspaceFile[]) {
  return files.map((f) => ({ workspace: f.desired.workspace, owner: f.desired.owner }));
}

/** proceedSet shows the set, refuses it whole when any plan is blocked or missing, asks, applies and verifies each workspace, reports. */
async function proceedSet(sessions: SessionSet, planned: readonly PlannedWorkspace[], options: ApplyOptions): Promise<number> {
  const json = options.format === "json";
  const outcomes: WorkspaceOutcome[] = planned.map((p) => outcomeOf(p, false));
  if (!json || (isInteractive() && options.autoApprove !== true)) {
    const stream = json ? process.stderr : process.stdout;
    stream.write(withNewline(renderSetText(outcomes, { color: useColor(stream) })));
  }
  const refused = setError(planned, "applied");
  if (refused !== null) throw refused;
  const reviewed: Reviewed[] = planned.flatMap((p) =>
    "plan" in p ? [{ session: sessions.sessions.get(p.plan.workspace)!, desired: p.file.desired, plan: p.plan, live: p.live }] : [],
  );
  const toApply = reviewed.filter((r) => r.plan.changes.length > 0);
  for (const r of toApply) assertCanWrite(r.live);
  if (toApply.length > 0 && options.autoApprove !== true) {
    if (!isInteractive()) throw new ConfigError("apply needs confirmation, but this is not a terminal: pass --auto-approve to apply without asking");
    if (!(await confirmApply())) {
      process.stdout.write("Apply cancelled: nothing was changed.\n");
      return ExitCode.declined;
    }
    for (const r of toApply) await assertStillPlanned(r.session.client, r.desired, r.plan, { allowSelfChange: options.allowSelfChange === true });
  }

  const done: WorkspaceApply[] = [];
  const interrupt = onInterrupt((line) => process.stderr.write(`\n${line}\n`));
  try {
    for (const r of reviewed) {
      const empty: ApplyResult = { applied: [], failed: [], skipped: [], notAttempted: [] };
      if (r.plan.changes.length === 0) {
        done.push({ reviewed: r, result: empty, verification: { status: "verified" } });
        continue;
      }
      // Once interrupted, applyPlan starts nothing more and reports the rest as not attempted.
      if (!json) process.stdout.write(`\nApplying ${r.plan.workspace}…\n`);
      const result = await applyWithProgress(r.plan, r.session.client.withManager(fileManager(r.desired)), { concurrency: options.concurrency, signal: interrupt.signal });
      done.push({ reviewed: r, result, verification: await verify(r, result, interrupt.interrupted(), options.allowSelfChange === true) });
    }
  } finally {
    interrupt.dispose();
  }
  report(done, json);
  const errors = done.flatMap((d) => {
    const e = outcomeError(d.result, d.verification, interrupt.interrupted());
    return e === null ? [] : [`${d.reviewed.plan.workspace}: ${e.message}`];
  });
  if (interrupt.interrupted()) throw new InterruptedError(`apply interrupted: ${errors.join("; ")}`);
  if (errors.length > 0) throw new AccessError(`${errors.length} of ${done.length} workspaces did not apply cleanly: ${errors.join("; ")}`);
  return options.detailedExitcode === true && toApply.length > 0 ? ExitCode.changes : ExitCode.ok;
}

/** report prints each workspace's result and verification, then the totals (text), or `{ workspaces, total }` (JSON). */
function report(done: readonly WorkspaceApply[], json: boolean): void {
  const total = { applied: 0, alreadySo: 0, failed: 0, skipped: 0, notAttempted: 0 };
  for (const d of done) {
    const { made, already } = appliedCounts(d.result);
    total.applied += made;
    total.alreadySo += already;
    total.failed += d.result.failed.length;
    total.skipped += d.result.skipped.length;
    total.notAttempted += d.result.notAttempted.length;
  }
  const verified = done.filter((d) => d.verification.status === "verified").length;
  if (json) {
    const workspaces = done.map((d) => ({ workspace: d.reviewed.plan.workspace, planId: d.reviewed.plan.planId, target: targetOf(d.reviewed.session), ...d.result, verification: d.verification }));
    const target = done[0] !== undefined ? { target: targetOf(done[0].reviewed.session) } : {};
    process.stdout.write(`${JSON.stringify({ ...target, workspaces, total: { ...total, workspaces: done.length, verified } }, null, 2)}\n`);
    return;
  }
  const lines: string[] = [""];
  for (const d of done) {
    lines.push(`=== ${d.reviewed.plan.workspace} ===`, ...problemLines(d.result), summaryLine(d.result), ...verificationLines(d.verification), "");
  }
  lines.push(
    `Apply set: ${done.length} workspace${done.length === 1 ? "" : "s"}, ${verified} verified; ${total.applied} applied,${total.alreadySo > 0 ? ` ${total.alreadySo} already so (no change made),` : ""} ${total.failed} failed, ${total.skipped} skipped, ${total.notAttempted} not attempted.`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}

