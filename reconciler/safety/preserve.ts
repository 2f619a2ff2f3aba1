import { normalizeEmail } from "../../schema/catalog.js";
import type { SafetyRail } from "./rail.js";

/**
 * preserve: a plan may not change, remove or revoke anyone in safety.preserve. computePlan
 * never plans such a change (it warns `preserved-differs` instead); this rail is the
 * guarantee for any plan, a saved or edited one included.
 */
export const preserve: SafetyRail = (plan, _live, desired) => {
  const preserved = new Set(desired.safety.preserve.map(normalizeEmail));
  return plan.changes
    .filter((c) => "email" in c && preserved.has(normalizeEmail(c.email)))
    .map((c) => ({
      rail: "preserve" as const,
      message: `${"email" in c ? c.email : ""} is in safety.preserve, but this plan would ${c.kind}`,
      override: `remove ${"email" in c ? c.email : ""} from safety.preserve in access.yaml`,
    }));
};
