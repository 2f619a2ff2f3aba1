import { ADMIN_PERMISSION, normalizeEmail } from "../../schema/catalog.js";
import { desiredRoleTable, holds } from "../permissions.js";
import type { SafetyViolation } from "../plan.js";
import { isAdminAfter, project, wasAdmin } from "./projection.js";
import type { SafetyRail } from "./rail.js";

/**
 * requiredAdmins: every safety.requiredAdmins email must be the owner or declared in
 * access.yaml with a role and grants that hold access:manage, and the plan may not
 * remove, revoke or demote any of them (directly or through a custom role losing
 * access:manage). A required admin still waiting on an invitation does not block.
 */
export const requiredAdmins: SafetyRail = (plan, live, desired) => {
  if (desired.safety.requiredAdmins.length === 0) return [];
  const owner = normalizeEmail(live.workspace.owner);
  const roles = desiredRoleTable(desired.roles, live.roles);
  const declared = new Map(desired.members.map((m) => [normalizeEmail(m.email), m]));
  const p = project(plan, live);
  const touched = new Map<string, string>();
  for (const c of plan.changes) {
    if (!("email" in c)) continue;
    if (c.kind === "removeMember") touched.set(c.email, "removes");
    else if (c.kind === "revokeInvitation") touched.set(c.email, "revokes the invitation of");
    else if (c.lost.includes(ADMIN_PERMISSION)) touched.set(c.email, "demotes");
  }
  const violations: SafetyViolation[] = [];
  for (const raw of desired.safety.requiredAdmins) {
    const email = normalizeEmail(raw);
    if (email === owner) continue;
    const entry = declared.get(email);
    const override = "edit safety.requiredAdmins in access.yaml";
    if (entry === undefined || !holds(entry, roles, ADMIN_PERMISSION)) {
      violations.push({ rail: "requiredAdmins", message: `${email} is a required admin but access.yaml does not make it an admin`, override });
      continue;
    }
    const verb = touched.get(email);
    const m = p.active.get(email);
    if (verb !== undefined) {
      violations.push({ rail: "requiredAdmins", message: `this plan ${verb} the required admin ${email}`, override });
    } else if (m !== undefined && wasAdmin(p, m) && !isAdminAfter(p, m)) {
      violations.push({ rail: "requiredAdmins", message: `this plan takes access:manage from the required admin ${email} (through a role change)`, override });
    }
  }
  return violations;
};
