import { fileManager } from "../../schema/manager.js";
import type { DesiredState } from "../../schema/model.js";
import type { LiveState } from "../live-state.js";
import { createPlan, type AccessFileRef, type Change, type Plan, type PlanWarning } from "../plan.js";
import { judgePlanPolicies } from "../policy/judge.js";
import { runRails } from "../safety/index.js";
import { desiredRoleTable, liveRoleTable } from "../permissions.js";
import { holdingsAfter } from "../holdings.js";
import { reconcilePeople } from "./members.js";
import { compareChanges, compareWarnings } from "../plan-order.js";
import { decideSponsored } from "./sponsors.js";
import { reconcileRoles } from "./roles.js";
import { inactiveWarnings } from "./inactive.js";

/**
 * PlanOptions: `target` is the API base URL recorded in the plan; `allowSelfChange` lifts
 * the self rail; `accessFile` binds the plan to its file (null or absent: an in-memory
 * document); `planId` is the plan's identity, random unless given (apply of a saved plan
 * recomputes it under the saved id; tests fix it). `now` is the clock policies' expiresWithin
 * and inactiveFor, and safety.warnInactiveAfter, count days from (default: the current time;
 * callers that judge at a fixed time pass it).
 */
export interface PlanOptions {
  target: string;
  allowSelfChange?: boolean;
  accessFile?: AccessFileRef | null;
  planId?: string;
  now?: Date;
  /** manager is the manager id the plan's writes are made for (the managedElsewhere rail); default the file's (fileManager). */
  manager?: string;
  /** takeOver lists managers whose objects this plan may change anyway (`--take-over`), besides the file's safety.takeOver. */
  takeOver?: readonly string[];
}

/**
 * computePlan compares the desired state with the live one and returns the Plan that
 * makes the workspace match access.yaml. It is pure and synchronous: no I/O, no clock
 * but `options.now` for the file's policies (the loader already resolved `expires`), the
 * same inputs give the same plan, except `planId`, which is random unless `options.planId`
 * fixes it. The safety rails run on the result and fill `violations`; the file's policies
 * judge the workspace as the plan leaves it (`policies`, and a `policy:<name>` violation per
 * error-severity finding); a plan with any violation must not be applied. Linear in the
 * size of the workspace.
 */
export function computePlan(desired: DesiredState, live: LiveState, options: PlanOptions): Plan {
  const out: { changes: Change[]; warnings: PlanWarning[] } = { changes: [], warnings: [] };
  const tables = { before: liveRoleTable(live.roles), after: desiredRoleTable(desired.roles, live.roles) };
  reconcilePeople(desired, live, tables, out, options.manager ?? fileManager(desired));
  reconcileRoles(desired, live, holdingsAfter(live, out.changes), tables, out);
  out.changes.sort(compareChanges);
  out.changes = decideSponsored(desired, live, out.changes, tables);
  const now = options.now ?? new Date();
  out.warnings.push(...inactiveWarnings(desired, live, out.changes, now));
  out.changes.sort(compareChanges);
  out.warnings.sort(compareWarnings);
  const plan = createPlan({
    ...(options.planId !== undefined ? { planId: options.planId } : {}),
    workspace: live.workspace.name,
    target: options.target,
    accessFile: options.accessFile ?? null,
    mode: desired.mode,
    liveDigest: live.digest,
    liveRevision: live.workspace.revision,
    caller: live.caller.email,
    changes: out.changes,
    warnings: out.warnings,
  });
  plan.violations = runRails(plan, live, desired, {
    allowSelfChange: options.allowSelfChange ?? false,
    ...(options.manager !== undefined ? { manager: options.manager } : {}),
    ...(options.takeOver !== undefined ? { takeOver: options.takeOver } : {}),
  });
  const judged = judgePlanPolicies(plan, live, desired, now);
  if (judged !== undefined) {
    plan.policies = judged.policies;
    plan.violations.push(...judged.violations);
  }
  return plan;
}
