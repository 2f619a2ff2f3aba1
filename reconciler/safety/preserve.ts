import { normalizeEmail } from "../../schema/catalog.js";
import type { SafetyViolation } from "../plan.js";
import type { SafetyRail } from "./rail.js";

/**
 * preserve: a plan may not change, remove or revoke anyone in safety.preserve. computePlan
 * never plans such a change (it warns `preserved-differs` instead); this rail is the
 * guarantee for any plan, a saved or edited one included.
 */
export const preserve: SafetyRail = (plan, _live, desired) => {
  const preserved = new Set(desired.safety.preserve.map(normalizeEmail));
  const violations: SafetyViolation[] = [];
  for (const c of plan.changes) {
    if (!("email" in c) || !preserved.has(normalizeEmail(c.email))) continue;
    violations.push({
      rail: "preserve",
      message: `${c.email} is in safety.preserve, but this plan would ${c.kind}`,
      override: `remove ${c.email} from safety.preserve in access.yaml`,
    });
  }
  return violations;
};
