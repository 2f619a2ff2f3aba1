import { normalizeEmail } from "../../schema/catalog.js";
import type { SafetyViolation } from "../plan.js";
import type { SafetyRail } from "./rail.js";

/**
 * owner: ownership is never changed by this tool. The plan is blocked when access.yaml's
 * `owner:` names someone else than the workspace's owner, when it lists the owner under
 * `members`, or when any change would touch the owner. None of these has an override.
 */
export const owner: SafetyRail = (plan, live, desired) => {
  const actual = normalizeEmail(live.workspace.owner);
  const violations: SafetyViolation[] = [];
  if (desired.owner !== undefined && normalizeEmail(desired.owner) !== actual) {
    violations.push({
      rail: "owner",
      message: `access.yaml says the owner is ${normalizeEmail(desired.owner)}, but the owner of ${live.workspace.name} is ${actual}; ownership is never changed by this tool`,
    });
  }
  if (desired.members.some((m) => normalizeEmail(m.email) === actual)) {
    violations.push({ rail: "owner", message: `access.yaml lists the owner ${actual} under members; the owner's access is never changed: remove the entry (use owner: to name them)` });
  }
  for (const c of plan.changes) {
    if ("email" in c && normalizeEmail(c.email) === actual) violations.push({ rail: "owner", message: `this plan would ${c.kind} the owner ${actual}` });
  }
  return violations;
};
