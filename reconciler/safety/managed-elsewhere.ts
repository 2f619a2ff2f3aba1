import { normalizeEmail } from "../../schema/catalog.js";
import { fileManager } from "../../schema/manager.js";
import { invitationsByEmail } from "../invitations.js";
import type { LiveState } from "../live-state.js";
import { assertNever, type Change, type SafetyViolation } from "../plan.js";
import type { SafetyRail } from "./rail.js";

/**
 * managedElsewhere: a plan may not change or remove a member, an invitation or a custom
 * role that another manager manages (its live `managedBy` is neither null nor this plan's
 * manager: `options.manager`, default the file's `manager:` or antryk-access:<workspace>),
 * unless that manager is taken over (`--take-over <manager>` or `safety.takeOver`). So two
 * tools never undo each other's work in turn; the violation names the manager.
 */
export const managedElsewhere: SafetyRail = (plan, live, desired, options) => {
  const own = options.manager ?? fileManager(desired);
  const takenOver = new Set([...(desired.safety.takeOver ?? []), ...(options.takeOver ?? [])]);
  const lookup = managedByLookup(live);
  const violations: SafetyViolation[] = [];
  for (const c of plan.changes) {
    const manager = lookup(c);
    if (manager === null || manager === own || takenOver.has(manager)) continue;
    violations.push({
      rail: "managedElsewhere",
      message: `${subjectOf(c)} is managed by ${manager}, not by ${own}; this plan would ${c.kind} it`,
      override: `--take-over ${manager} (or safety.takeOver: [${manager}] in the file) to take it over`,
    });
  }
  return violations;
};

/** managedByLookup answers who manages what a change touches, as the workspace is live (null: nobody, or nothing exists yet). */
export function managedByLookup(live: LiveState): (c: Change) => string | null {
  const members = new Map(live.members.map((m) => [normalizeEmail(m.email), m.managedBy ?? null]));
  const invitations = new Map(live.invitations.map((i) => [i.id, i.managedBy ?? null]));
  const byEmail = invitationsByEmail(live.invitations);
  const roles = new Map(live.roles.map((r) => [r.name, r.managedBy ?? null]));
  return (c) => {
    switch (c.kind) {
      case "updateMember":
      case "removeMember":
        return members.get(normalizeEmail(c.email)) ?? null;
      case "updateInvitation":
      case "resendInvitation":
      case "revokeInvitation":
        return invitations.get(c.invitationId) ?? null;
      case "inviteMember": {
        // a fresh invitation replaces an expired one another manager sent; a revoked one is history
        const previous = byEmail.get(normalizeEmail(c.email));
        return previous !== undefined && previous.status !== "revoked" ? (previous.managedBy ?? null) : null;
      }
      case "updateRole":
      case "deleteRole":
        return roles.get(c.name) ?? null;
      case "createRole":
        return null;
      default:
        return assertNever(c);
    }
  };
}

function subjectOf(c: Change): string {
  return "email" in c ? c.email : `role ${c.name}`;
}
