import { takesPersonAway } from "../change-kinds.js";
import type { SafetyRail } from "./rail.js";

/**
 * maxRemovals blocks a plan that takes away too many people at once, as peribolos's
 * --maximum-removal-delta does. Counted: the changes that take a person away
 * (takesPersonAway: removeMember and revokeInvitation, everyone who loses access they hold or were offered). A count limit compares with
 * that number; a percentage limit with its share of everyone who holds or was offered
 * access now: active members (the owner included) plus pending invitations. A plan
 * removing exactly the limit passes.
 */
export const maxRemovals: SafetyRail = (plan, live, desired) => {
  const removals = plan.changes.filter((c) => takesPersonAway(c.kind)).length;
  if (removals === 0) return [];
  const limit = desired.safety.maxRemovals;
  const population = live.members.length + live.invitations.filter((i) => i.status === "pending").length;
  const allowed = limit.kind === "count" ? limit.value : (limit.value * population) / 100;
  if (removals <= allowed) return [];
  const shown = limit.kind === "count" ? `${limit.value}` : `${limit.value}% of ${population} = ${Math.floor(allowed)}`;
  return [
    {
      rail: "maxRemovals",
      message: `this plan removes or revokes ${removals} of ${population} people, more than safety.maxRemovals allows (${shown})`,
      override: `raise safety.maxRemovals in access.yaml (e.g. maxRemovals: ${removals})`,
    },
  ];
};
