import type { DesiredState } from "../../schema/model.js";
import type { LiveState } from "../live-state.js";
import type { Plan, RailName, SafetyViolation } from "../plan.js";
import { managedElsewhere } from "./managed-elsewhere.js";
import { lookAlike } from "./look-alike.js";
import { maxRemovals } from "./max-removals.js";
import { minAdmins } from "./min-admins.js";
import { owner } from "./owner.js";
import { preserve } from "./preserve.js";
import type { RailOptions, SafetyRail } from "./rail.js";
import { requiredAdmins } from "./required-admins.js";
import { self } from "./self.js";
import { unknownRole } from "./unknown-role.js";

export type { RailOptions, SafetyRail } from "./rail.js";

/** SAFETY_RAILS lists every rail in reporting order; computePlan runs them all. */
export const SAFETY_RAILS: readonly { name: RailName; check: SafetyRail }[] = [
  { name: "owner", check: owner },
  { name: "unknownRole", check: unknownRole },
  { name: "preserve", check: preserve },
  { name: "self", check: self },
  { name: "requiredAdmins", check: requiredAdmins },
  { name: "minAdmins", check: minAdmins },
  { name: "maxRemovals", check: maxRemovals },
  { name: "managedElsewhere", check: managedElsewhere },
  { name: "lookAlike", check: lookAlike },
];

/** runRails runs every rail on a plan and returns all violations (empty: the plan may be applied). */
export function runRails(plan: Plan, live: LiveState, desired: DesiredState, options: RailOptions): SafetyViolation[] {
  return SAFETY_RAILS.flatMap((r) => r.check(plan, live, desired, options));
}
