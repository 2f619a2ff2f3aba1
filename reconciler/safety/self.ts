import { ADMIN_PERMISSION, normalizeEmail } from "../../schema/catalog.js";
import type { LiveState } from "../live-state.js";
import { assertNever, type Plan } from "../plan.js";
import { lostBy, projectMember } from "./projection.js";
import type { SafetyRail } from "./rail.js";

/**
 * self: the plan may not remove the caller (the member whose token runs it) or take any
 * effective permission from them, directly or through a custom role, unless
 * `--allow-self-change`. Gaining permissions is never blocked. Removing or demoting the
 * caller (taking access:manage) while it sponsors, or would send or take over, any open
 * invitation is blocked with no override: the invitations die with its authority
 * (docs/apply.md, "Sponsors").
 */
export const self: SafetyRail = (plan, live, _desired, options) => {
  const caller = normalizeEmail(live.caller.email);
  const projected = projectMember(plan, live, caller);
  if (projected === undefined) return [];
  const { member: me, tables } = projected;
  const lost = lostBy(tables, me);
  const losesManage = me.after === null || lost.includes(ADMIN_PERMISSION);
  const what = me.after === null ? `removes ${caller}` : `takes ${lost.join(", ")} from ${caller}`;
  if (losesManage) {
    const sponsored = sponsoredAfter(plan, live, caller);
    if (sponsored.length > 0) {
      const shown = sponsored.slice(0, 5).join(", ") + (sponsored.length > 5 ? `, and ${sponsored.length - 5} more` : "");
      return [
        {
          rail: "self",
          message:
            `this plan ${what}, whose token runs it, while ${caller} sponsors or would send ${sponsored.length} invitation(s) (${shown}); ` +
            `an invitation dies with its sponsor's ${ADMIN_PERMISSION}, so they would be lost. Do it in two steps: apply a file that ` +
            `invites the new admin and let them accept; then remove or demote ${caller} in an apply run with the new admin's token`,
        },
      ];
    }
  }
  if (options.allowSelfChange || (me.after !== null && lost.length === 0)) return [];
  return [{ rail: "self", message: `this plan ${what}, whose token runs it`, override: "--allow-self-change" }];
};

/** sponsoredAfter lists the emails of the open invitations `caller` would sponsor once the plan is made: its own that the plan keeps, the ones it sends, changes or resends, and the ones it takes over. */
function sponsoredAfter(plan: Plan, live: LiveState, caller: string): string[] {
  const revoked = new Set<string>();
  const out = new Set<string>();
  for (const c of plan.changes) {
    switch (c.kind) {
      case "revokeInvitation":
        revoked.add(c.invitationId);
        break;
      case "inviteMember":
      case "updateInvitation":
      case "resendInvitation":
        out.add(normalizeEmail(c.email));
        break;
      case "updateMember":
      case "removeMember":
      case "updateRole":
        for (const s of c.sponsored ?? []) if (s.decision === "transfer") out.add(s.email);
        break;
      case "createRole":
      case "deleteRole":
        break;
      default:
        assertNever(c);
    }
  }
  for (const inv of live.invitations) {
    if ((inv.status === "pending" || inv.status === "expired") && !revoked.has(inv.id) && normalizeEmail(inv.sponsor) === caller) {
      out.add(normalizeEmail(inv.email));
    }
  }
  return [...out].sort();
}
