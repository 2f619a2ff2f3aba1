import { ApiError, ConfigError, StalePlanError } from "../errors.js";
import { assertFresh, type ApplyResult } from "../reconciler/apply/index.js";
import type { LiveState } from "../reconciler/live-state.js";
import type { Plan } from "../reconciler/plan.js";
import { changeDifferences } from "../reconciler/recheck.js";
import { renderText } from "../reconciler/render/index.js";
import { verifyApplied, type Verification } from "../reconciler/verify.js";
import { normalizeEmail } from "../schema/catalog.js";
import type { DesiredState } from "../schema/model.js";
import { applyWithProgress, outcomeError, problemLines, summaryLine, verificationLines } from "./applying.js";
import { confirmApply, isInteractive, useColor } from "./confirm.js";
import { ExitCode } from "./errors.js";
import { onInterrupt } from "./interrupt.js";
import { ignoreClosedStdout, withNewline } from "./output.js";
import { fileManager } from "../schema/manager.js";
import { assertCanWrite, assertSavedPlanTarget, blockedError, isBlocked, loadDesired, planAgainst, printWarnings, takingOver } from "./planning.js";
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
    if (accessFile.sha256 !== saved.accessFile.sha256) {
      throw new StalePlanError(
        `${file} changed since the saved plan ${planPath} was computed (sha256 ${saved.accessFile.sha256.slice(0, 12)}… then, ${accessFile.sha256.slice(0, 12)}… now); nothing was changed, run plan again`,
        saved.accessFile.sha256,
        accessFile.sha256,
      );
    }
    if (desired.workspace !== saved.workspace) {
      throw new ConfigError(`the saved plan ${planPath} is for workspace ${saved.workspace}, but ${file} names ${desired.workspace}; nothing was changed`);
    }
    const { target, sourceLines } = await resolveWorkspaceTarget(options, desired.workspace);
    sourceLines.forEach(say);
    return withSession({ target, workspace: desired.workspace, owner: desired.owner, announce: say }, async (session) => {
      printWarnings(warnings, options.diagnostics);
      assertSavedPlanTarget(saved, session, planPath);
      // Judged like a fresh plan: the same file, the workspace now, the applying token's identity for every rail.
      // Attributed afresh for the text shown; the comparison ignores liveSince (reconciler/recheck.ts).
      const { live, plan } = await planAgainst(session, desired, { allowSelfChange, accessFile, planId: saved.planId, attribute: true });
      assertFresh(saved, live);
      assertSameChanges(saved, plan, "the saved plan", planPath);
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
    await assertStillPlanned(reviewed, options.allowSelfChange === true);
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

/**
 * verify re-reads the workspace and recomputes the plan of the same file, unless the
 * apply did not run to its end or removed the member whose token ran it.
 */
export async function verify(reviewed: Reviewed, result: ApplyResult, interrupted: boolean, allowSelfChange: boolean): Promise<Verification> {
  const { session, desired, plan } = reviewed;
  if (interrupted) return { status: "skipped", cause: "interrupted", reason: "apply was interrupted" };
  if (result.notAttempted.some((n) => n.reason === "unreachable")) {
    return { status: "skipped", cause: "unreachable", reason: `${session.target} stopped answering` };
  }
  const caller = normalizeEmail(plan.caller);
  const selfRemoval = plan.changes.find((c) => c.kind === "removeMember" && normalizeEmail(c.email) === caller);
  if (selfRemoval !== undefined && result.applied.some((a) => a.key === selfRemoval.key)) {
    // What the removal of the caller could affect beyond itself: the invitations it sponsored (the self rail blocks that plan).
    const unchecked = selfRemoval.kind === "removeMember" ? (selfRemoval.sponsored ?? []).map((s) => `the invitation of ${s.email}`) : [];
    const why = unchecked.length === 0 ? "; nothing else it promised depends on that token (it sponsored no invitation)" : `; could not check ${unchecked.join(", ")}`;
    return {
      status: "skipped",
      cause: "selfRemoved",
      reason: `this apply removed ${plan.caller}, whose token ran it: that token no longer works, so the workspace was not read back${why}`,
      unchecked,
    };
  }
  try {
    return await verifyApplied(session.client, desired, plan, reviewed.live, new Set(result.applied.map((a) => a.key)), { allowSelfChange });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { status: "skipped", cause: "unreadable", reason: `the workspace could not be read back (${err.message})` };
  }
}

/**
 * assertStillPlanned refuses to start when the workspace moved since the plan was shown
 * in a way that changes the plan: one read when nothing moved (the revision), else the
 * plan is recomputed and must list the same changes (an invitee accepting meanwhile does
 * not matter; someone editing a person the plan changes does).
 */
export async function assertStillPlanned(reviewed: Reviewed, allowSelfChange: boolean): Promise<void> {
  const { session, desired, plan } = reviewed;
  const { revision } = await session.client.getWorkspace(plan.workspace);
  if (revision === plan.liveRevision) return;
  const { plan: now } = await planAgainst(session, desired, {
    allowSelfChange,
    accessFile: plan.accessFile,
    planId: plan.planId,
  });
  if (isBlocked(now)) throw blockedError(now);
  assertSameChanges(plan, now, "the plan shown");
}

/** assertSameChanges refuses (StalePlanError naming every difference) unless the recomputed plan makes exactly the reviewed changes. */
export function assertSameChanges(reviewed: Plan, recomputed: Plan, label: string, path?: string): void {
  const differences = changeDifferences(reviewed.changes, recomputed.changes, label);
  if (differences.length === 0) return;
  const shown = differences.slice(0, 10).join("; ");
  const more = differences.length > 10 ? `; and ${differences.length - 10} more` : "";
  throw new StalePlanError(
    `${label}${path !== undefined ? ` ${path}` : ""} does not match the plan computed now from the same file and the workspace: ${shown}${more}; nothing was changed, run plan again`,
    reviewed.liveDigest,
    recomputed.liveDigest,
  );
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
