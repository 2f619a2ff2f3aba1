import { ADMIN_PERMISSION, HIGH_RISK_PERMISSIONS } from "../../schema/catalog.js";
import type { Access, Phase, Risk } from "../plan.js";

/** How computePlan grades a change: its risk and, for an update, its phase. */

/** ADMIN_ROLE is the built-in role that makes its holder an admin by itself. */
export const ADMIN_ROLE = "account-admin";

/**
 * riskOf is `high` when a change gains access:manage or billing:read, makes someone an
 * account-admin, or takes access:manage away (a removal, a revocation, a demotion, a role edit).
 */
export function riskOf(gained: readonly string[], before: Access | null, after: Access | null, lost: readonly string[] = []): Risk {
  if (gained.some((p) => (HIGH_RISK_PERMISSIONS as readonly string[]).includes(p))) return "high";
  if (lost.includes(ADMIN_PERMISSION)) return "high";
  if (after?.role === ADMIN_ROLE && before?.role !== ADMIN_ROLE) return "high";
  return "normal";
}

/**
 * updatePhase puts an update that takes nothing away with the grants, and any loss with
 * the demotions, except an update that makes an admin (gains access:manage): it always
 * runs early, so a workspace never has fewer admins mid-apply than before and after it,
 * and a demotion of an admin can wait on the promotion that replaces them.
 */
export function updatePhase(gained: readonly string[], lost: readonly string[], otherwise: Phase): Phase {
  if (gained.includes(ADMIN_PERMISSION)) return otherwise;
  return lost.length > 0 ? "demotions" : otherwise;
}
