import { ConfigError } from "../errors.js";
import type { ApplyResult } from "../reconciler/apply/index.js";
import { verifyAfterApply } from "../reconciler/guarantees/after-apply.js";
import { assertSavedFile, assertSavedPlanHolds, assertSavedTarget } from "../reconciler/guarantees/saved-plan.js";
import { assertStillPlanned, blockedError, isBlocked } from "../reconciler/guarantees/still-planned.js";
import type { LiveState } from "../reconciler/live-state.js";
import type { Plan } from "../reconciler/plan.js";
import { renderText } from "../reconciler/render/index.js";
import type { Verification } from "../reconciler/verify.js";
import type { DesiredState } from "../schema/model.js";
import { applyWithProgress, outcomeError, problemLines, summaryLine, verificationLines } from "./applying.js";
import { confirmApply, isInteractive, useColor } from "./confirm.js";
import { ExitCode } from "./errors.js";
import { onInterrupt } from "./interrupt.js";
import { ignoreClosedStdout, withNewline } from "./output.js";
import { fileManager } from "../schema/manager.js";
import { assertCanWrite, loadDesired, planAgainst, printWarnings, takingOver } from "./planning.js";
import { withSession, type Session } from "./session.js";
import { checkMultiTarget, resolveWorkspaceTarget } from "./credentials.js";
import type { TargetOptions } from "./target.js";
import type { DiagnosticFormat } from "./annotations.js";
import { DEFAULT_FILE, isMultiple } from "./workspaces.js";

/** ApplyOptions are `apply`'s parsed options (cli/apply.ts declares them). */
export interface ApplyOptions extends TargetOptions {
  /** The `-f` arguments (files or folders); none means access.yaml, or the files a saved plan names. */
  file?: string[];
  credentials?: string;
  autoApprove?: boolean;
  concurrency: number;
  format: "text" | "json";
  allowSelfChange?: boolean;
  /** takeOver: the `--take-over` managers (added to the file's safety.takeOver). */
  takeOver?: string[];
  diagnostics?: DiagnosticFormat;
  detailedExitcode?: boolean;
}

/** Reviewed is a plan about to be applied, with what it was computed from (verification recomputes from the same). */
export interface Reviewed {
  session: Session;
  desired: DesiredState;
  plan: Plan;
  live: LiveState;
}

/**
 * runApply is `apply`: a plan of the file, or a saved plan re-judged against the file and
 * the workspace as they are now; shown, confirmed, applied, verified, reported. Returns 0
 * (2 with --detailed-exitcode when changes were made) only when every change applied and
 * the workspace was verified to match the file (or the apply removed its own caller);
 * every other outcome throws a typed error.
 */
export async function runApply(planPath: string | undefined, options: ApplyOptions): Promise<number> {
  const args = options.file ?? [DEFAULT_FILE];
  if (planPath !== undefined) {
    const { readSavedPlans } = await import("./saved-plan.js");
    const savedPlans = await readSavedPlans(planPath);
    if (savedPlans.kind === "set") {
      const { runApplySavedSet } = await import("./run-apply-set.js");
      return runApplySavedSet(planPath, savedPlans.plans, options);
    }
  } else if (options.credentials !== undefined || (await isMultiple(args))) {
    const { runApplySet } = await import("./run-apply-set.js");
    return runApplySet(args, options);
  }
  ignoreClosedStdout();
  const json = options.format === "json";
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  checkMultiTarget(options, process.env, true);
  const allowSelfChange = options.allowSelfChange === true;

  if (planPath !== undefined) {
    const { readSavedPlan } = await import("./saved-plan.js");
    const saved = await readSavedPlan(planPath);
    const file = options.file?.[0] ?? saved.accessFile.path;
    const loaded = await loadDesired(file);
    const { warnings, accessFile } = loaded;
    const desired = takingOver(loaded.desired, options.takeOver);
    const place = { kind: "plan", path: planPath } as const;
    assertSavedFile(saved, { file, sha256: accessFile.sha256, workspace: desired.workspace }, place);
    const { target, sourceLines } = await resolveWorkspaceTarget(options, desired.workspace);
    sourceLines.forEach(say);
    return withSession({ target, workspace: desired.workspace, owner: desired.owner, announce: say }, async (session) => {
      printWarnings(warnings, options.diagnostics);
      assertSavedTarget(saved, session.target, place);
      // Judged like a fresh plan: the same file, the workspace now, the applying token's identity for every rail.
      // Attributed afresh for the text shown; the comparison ignores liveSince (reconciler/recheck.ts).
      const { live, plan } = await planAgainst(session, desired, { allowSelfChange, accessFile, planId: saved.planId, attribute: true });
      assertSavedPlanHolds(saved, { live, recomputed: plan }, place);
      return proceed({ session, desired, plan, live }, options, say);
    });
  }

  const loaded = await loadDesired(args[0]!);
  const { warnings, accessFile } = loaded;
  const desired = takingOver(loaded.desired, options.takeOver);
  const { target, sourceLines } = await resolveWorkspaceTarget(options, desired.workspace);
  sourceLines.forEach(say);
  return withSession({ target, workspace: desired.workspace, owner: desired.owner, announce: say }, async (session) => {
    printWarnings(warnings, options.diagnostics);
    const { live, plan } = await planAgainst(session, desired, { allowSelfChange, accessFile, attribute: true });
    return proceed({ session, desired, plan, live }, options, say);
  });
}

/** proceed shows the plan, checks it may be applied, asks, applies, verifies and reports. */
async function proceed(reviewed: Reviewed, options: ApplyOptions, say: (line: string) => void): Promise<number> {
  const { session, plan, live } = reviewed;
  const json = options.format === "json";
  if (!json || (isInteractive() && options.autoApprove !== true)) {
    const stream = json ? process.stderr : process.stdout;
    stream.write(withNewline(renderText(plan, { color: useColor(stream) })));
  }
  if (isBlocked(plan)) throw blockedError(plan);
  if (plan.changes.length === 0) {
    if (json) writeJsonReport(plan, session, { applied: [], failed: [], skipped: [], notAttempted: [] }, { status: "verified" });
    return ExitCode.ok;
  }
  assertCanWrite(live);
  if (options.autoApprove !== true) {
    if (!isInteractive()) {
      throw new ConfigError("apply needs confirmation, but this is not a terminal: pass --auto-approve to apply without asking");
    }
    if (!(await confirmApply())) {
      say("Apply cancelled: nothing was changed.");
      return ExitCode.declined;
    }
    // Minutes may have passed while a person read the plan: apply only what they read.
    await assertStillPlanned(session.client, reviewed.desired, plan, { allowSelfChange: options.allowSelfChange === true });
  }

  const interrupt = onInterrupt((line) => process.stderr.write(`\n${line}\n`));
  let result: ApplyResult;
  try {
    result = await applyWithProgress(plan, session.client.withManager(fileManager(reviewed.desired)), { concurrency: options.concurrency, signal: interrupt.signal });
  } finally {
    interrupt.dispose();
  }
  const verification = await verify(reviewed, result, interrupt.interrupted(), options.allowSelfChange === true);
  if (json) {
    writeJsonReport(plan, session, result, verification);
  } else {
    process.stdout.write(`${["", ...problemLines(result), summaryLine(result), ...verificationLines(verification)].join("\n")}\n`);
  }
  const error = outcomeError(result, verification, interrupt.interrupted());
  if (error !== null) throw error;
  return options.detailedExitcode === true ? ExitCode.changes : ExitCode.ok;
}

/** verify ends one workspace's apply with verifyAfterApply (reconciler/guarantees/after-apply.ts), from what it was planned with. */
export function verify(reviewed: Reviewed, result: ApplyResult, interrupted: boolean, allowSelfChange: boolean): Promise<Verification> {
  return verifyAfterApply(reviewed.session.client, reviewed, result, { interrupted, target: reviewed.session.target, allowSelfChange });
}

/** targetOf is what a JSON apply report says of where it applied: the embedded local workspace (its database) or a remote API (its URL). */
export function targetOf(session: Session): { kind: "local" | "remote"; url: string } {
  return session.embedded ? { kind: "local", url: session.target } : { kind: "remote", url: session.target };
}

/**
 * writeJsonReport prints the apply's result as JSON on stdout (docs/apply.md): its `target`
 * (local or remote, so a local apply never reads as a real one), and each entry
 * carries the `liveSince` of its change when the history was read, so a drift correction
 * says whose hand change it reverted.
 */
function writeJsonReport(plan: Plan, session: Session, result: ApplyResult, verification: Verification): void {
  const since = new Map(plan.changes.map((c) => [c.key, c.liveSince]));
  const attributed = <T extends { key: string }>(entries: T[]) =>
    entries.map((e) => {
      const liveSince = since.get(e.key);
      return liveSince === undefined ? e : { ...e, liveSince };
    });
  const report = {
    planId: plan.planId,
    target: targetOf(session),
    applied: attributed(result.applied),
    failed: attributed(result.failed),
    skipped: attributed(result.skipped),
    notAttempted: attributed(result.notAttempted),
    verification,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
