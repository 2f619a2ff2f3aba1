import type { DesiredState } from "../../schema/model.js";
import type { LiveState } from "../live-state.js";
import { PLAN_FORMAT_VERSION, summarize, type Change, type Plan, type PlanWarning } from "../plan.js";
import { runRails } from "../safety/index.js";
import { desiredRoleTable, liveRoleTable } from "./access.js";
import { holdingsAfter } from "./holders.js";
import { reconcilePeople } from "./members.js";
import { compareChanges, compareWarnings } from "./order.js";
import { reconcileRoles } from "./roles.js";

/** PlanOptions: `target` is the API base URL recorded in the plan; `allowSelfChange` lifts the self rail. */
export interface PlanOptions {
  target: string;
  allowSelfChange?: boolean;
}

/**
 * computePlan compares the desired state with the live one and returns the Plan that
 * makes the workspace match access.yaml (design §4). It is pure and synchronous: no
 * I/O, no clock (the loader already resolved `expires`), the same inputs give the same
 * plan. The safety rails run on the result and fill `violations`; a plan with any
 * violation must not be applied. Linear in the size of the workspace.
 */
export function computePlan(desired: DesiredState, live: LiveState, options: PlanOptions): Plan {
  const out: { changes: Change[]; warnings: PlanWarning[] } = { changes: [], warnings: [] };
  const tables = { before: liveRoleTable(live.roles), after: desiredRoleTable(desired.roles, live.roles) };
  reconcilePeople(desired, live, tables, out);
  reconcileRoles(desired, live, holdingsAfter(live, out.changes), tables, out);
  out.changes.sort(compareChanges);
  out.warnings.sort(compareWarnings);
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    workspace: live.workspace.name,
    target: options.target,
    mode: desired.mode,
    liveDigest: live.digest,
    liveRevision: live.workspace.revision,
    caller: live.caller.email,
    changes: out.changes,
    warnings: out.warnings,
    violations: [],
    summary: summarize(out.changes),
  };
  plan.violations = runRails(plan, live, desired, { allowSelfChange: options.allowSelfChange ?? false });
  return plan;
}
