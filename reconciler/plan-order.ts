import { compareText } from "../schema/order.js";
import { subjectOf } from "./change-kinds.js";
import { CHANGE_KINDS, PHASES, type Change, type PlanWarning } from "./plan.js";

/** compareChanges orders a plan: by phase (apply order), high risk first, then kind, then email or role name. */
export function compareChanges(a: Change, b: Change): number {
  return (
    PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) ||
    (a.risk === b.risk ? 0 : a.risk === "high" ? -1 : 1) ||
    CHANGE_KINDS.indexOf(a.kind) - CHANGE_KINDS.indexOf(b.kind) ||
    compareText(subjectOf(a), subjectOf(b))
  );
}

/** compareWarnings orders warnings by code, then email, then message. */
export function compareWarnings(a: PlanWarning, b: PlanWarning): number {
  return compareText(a.code, b.code) || compareText(a.email ?? "", b.email ?? "") || compareText(a.message, b.message);
}
