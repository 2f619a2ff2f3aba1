import { ADMIN_PERMISSION } from "../../schema/catalog.js";
import { effectOf } from "../change-effect.js";
import type { Change } from "../plan.js";

/**
 * The skip rules of applyPlan. A change is skipped, not attempted, when a change of an
 * EARLIER phase that it depends on did not apply (failed or was itself skipped):
 *
 * 1. roleNotReady: a change that gives someone custom role R (invite, update or resend
 *    of an invitation, update of a member) when the createRole/updateRole of R did not
 *    apply: the person would get a role that is missing or has its old definition.
 * 2. roleStillHeld: a deleteRole of R when a change moving someone off R (its `before`
 *    role is R) did not apply: R may still be held (the server would answer 409).
 * 3. adminNotPromoted: a change that takes access:manage from someone (demotion,
 *    removal, role update) when a change that gives access:manage to an active member
 *    (updateMember) or to a role's holders (updateRole) did not apply: the plan's
 *    minAdmins check assumed the promotion, so the demotion waits for a re-plan.
 *
 * Nothing else is skipped: independent changes go ahead past a failure.
 */
export function skipReason(change: Change, notApplied: readonly Change[]): string | null {
  const afterRole = roleAfter(change);
  if (afterRole !== null) {
    const role = notApplied.find((c) => (c.kind === "createRole" || c.kind === "updateRole") && c.name === afterRole);
    if (role) return `role ${afterRole} was not ${role.kind === "createRole" ? "created" : "updated"} (${role.key})`;
  }
  if (change.kind === "deleteRole") {
    const holder = notApplied.find((c) => roleBefore(c) === change.name);
    if (holder) return `role ${change.name} may still be held: ${holder.key} did not apply`;
  }
  if (change.lost.includes(ADMIN_PERMISSION)) {
    const promotion = notApplied.find(
      (c) => (c.kind === "updateMember" || c.kind === "updateRole") && c.gained.includes(ADMIN_PERMISSION),
    );
    if (promotion) return `it takes access:manage away and the promotion ${promotion.key} did not apply`;
  }
  return null;
}

function roleAfter(change: Change): string | null {
  const e = effectOf(change);
  return e.on === "person" ? (e.after?.role ?? null) : null;
}

function roleBefore(change: Change): string | null {
  const e = effectOf(change);
  return e.on === "person" ? (e.before?.role ?? null) : null;
}
