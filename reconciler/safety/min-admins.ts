import { activeMembers, isAdminAfter, roleTables, wasAdmin } from "./projection.js";
import { listEmails, type SafetyRail } from "./rail.js";

/**
 * minAdmins blocks a plan that removes or demotes active admins (holders of
 * access:manage, the owner included) and leaves fewer than safety.minAdmins of them.
 * Pending invitations are not active and never count. A workspace already below the
 * minimum is not blocked by a plan that takes no admin away.
 */
export const minAdmins: SafetyRail = (plan, live, desired) => {
  const p = roleTables(plan, live);
  const lost: string[] = [];
  let after = 0;
  for (const m of activeMembers(plan, live)) {
    if (isAdminAfter(p, m)) after += 1;
    else if (wasAdmin(p, m)) lost.push(m.email);
  }
  const min = desired.safety.minAdmins;
  if (lost.length === 0 || after >= min) return [];
  return [
    {
      rail: "minAdmins",
      message: `this plan removes or demotes the active admin${lost.length === 1 ? "" : "s"} ${listEmails(lost)}, leaving ${after} active admin${after === 1 ? "" : "s"} (safety.minAdmins: ${min}); pending invitations do not count`,
      override: "lower safety.minAdmins in access.yaml, or let the new admins accept their invitations first",
    },
  ];
};
