import { SafetyError, StalePlanError } from "../../errors.js";
import type { DesiredState } from "../../schema/model.js";
import { computePlan } from "../compute/index.js";
import { fetchWorkspaceState, type FetchClient } from "../fetch.js";
import type { Plan } from "../plan.js";
import { changeDifferences } from "../recheck.js";

/**
 * The still-planned checks: a plan is applied only as it was reviewed. Pure judgements
 * (isBlocked, blockedError, assertSameChanges) and one thin I/O shell
 * (assertStillPlanned) that re-reads the workspace before the first change.
 */

/** isBlocked: a plan with safety violations must not be applied. */
export function isBlocked(plan: Pick<Plan, "violations">): boolean {
  return plan.violations.length > 0;
}

/** blockedError is the SafetyError a blocked plan raises: every rail that fired, and its override. */
export function blockedError(plan: Pick<Plan, "violations">): SafetyError {
  const n = plan.violations.length;
  return new SafetyError(
    `the plan is blocked by ${n} safety rail${n === 1 ? "" : "s"}; nothing was changed`,
    plan.violations.map((v) => ({ rail: v.rail, message: v.message, ...(v.override ? { override: v.override } : {}) })),
  );
}

/**
 * assertSameChanges refuses (StalePlanError naming every difference, at most 10 then a
 * count) unless `recomputed` makes exactly the changes of `reviewed` (changeDifferences:
 * `liveSince` is not compared); `label` and `path` name the reviewed plan. Pure.
 */
export function assertSameChanges(reviewed: Pick<Plan, "changes" | "liveDigest">, recomputed: Pick<Plan, "changes" | "liveDigest">, label: string, path?: string): void {
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

/** StillPlannedClient is what assertStillPlanned reads with: the workspace's revision, and the workspace when it moved. */
export type StillPlannedClient = FetchClient;

/**
 * assertStillPlanned refuses to start when the workspace moved since `plan` was shown in
 * a way that changes the plan: one read when nothing moved (the revision), else the plan
 * of `desired` is recomputed (same target, access file and planId) and must not be
 * blocked and must list the same changes (an invitee accepting meanwhile does not
 * matter; someone editing a person the plan changes does). Throws SafetyError or
 * StalePlanError; nothing is changed either way.
 */
export async function assertStillPlanned(client: StillPlannedClient, desired: DesiredState, plan: Plan, options: { allowSelfChange: boolean }): Promise<void> {
  const { revision } = await client.getWorkspace(plan.workspace);
  if (revision === plan.liveRevision) return;
  const live = await fetchWorkspaceState(client, desired.workspace);
  const now = computePlan(desired, live, {
    target: plan.target,
    allowSelfChange: options.allowSelfChange,
    accessFile: plan.accessFile,
    planId: plan.planId,
  });
  if (isBlocked(now)) throw blockedError(now);
  assertSameChanges(plan, now, "the plan shown");
}
