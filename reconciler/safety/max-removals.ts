import { normalizeEmail } from "../../schema/catalog.js";
import { emailOf, takesPersonAway } from "../change-kinds.js";
import { holdingsAfter } from "../holdings.js";
import type { LiveState } from "../live-state.js";
import { effective } from "../permissions.js";
import type { Plan } from "../plan.js";
import { roleTables } from "./projection.js";
import { listEmails, type SafetyRail } from "./rail.js";

/**
 * maxRemovals blocks a plan that takes away too many people at once, as peribolos's
 * --maximum-removal-delta does. Counted: everyone the plan takes away (removedPeople: a
 * removal or a revocation, consequence revocations included) or leaves holding no
 * permission at all (moved to a custom role with `permissions: []`, or holding a role the
 * plan empties). A count limit compares with that number; a percentage limit with its share
 * of everyone who holds or was offered access now: active members (the owner included) plus
 * pending invitations. A plan removing exactly the limit passes.
 */
export const maxRemovals: SafetyRail = (plan, live, desired) => {
  const { removed, emptied } = removedPeople(plan, live);
  const removals = removed.length;
  if (removals === 0) return [];
  const limit = desired.safety.maxRemovals;
  const population = live.members.length + live.invitations.filter((i) => i.status === "pending").length;
  const allowed = limit.kind === "count" ? limit.value : (limit.value * population) / 100;
  if (removals <= allowed) return [];
  const shown = limit.kind === "count" ? `${limit.value}` : `${limit.value}% of ${population} = ${Math.floor(allowed)}`;
  return [
    {
      rail: "maxRemovals",
      message: `this plan removes or revokes ${removals} of ${population} people${emptied.length > 0 ? ` (${emptied.length} of them by leaving them no permission: ${listEmails(emptied)})` : ""}, more than safety.maxRemovals allows (${shown})`,
      override: `raise safety.maxRemovals in access.yaml (e.g. maxRemovals: ${removals})`,
    },
  ];
};

/**
 * removedPeople is everyone a plan takes away or leaves without any permission (`emptied`, those of them still there): the subjects
 * of changes that take a person away, and every member or pending invitation that holds some
 * permission now and none once the plan (its people and its role edits) is made.
 */
export function removedPeople(plan: Plan, live: LiveState): { removed: string[]; emptied: string[] } {
  const out = new Set<string>();
  for (const c of plan.changes) {
    const email = emailOf(c);
    if (takesPersonAway(c.kind) && email !== null) out.add(normalizeEmail(email));
  }
  const { rolesBefore, rolesAfter } = roleTables(plan, live);
  const before = new Map<string, string[]>();
  for (const m of live.members) before.set(normalizeEmail(m.email), effective({ role: m.role, permissions: m.permissions }, rolesBefore));
  for (const i of live.invitations) {
    const email = normalizeEmail(i.email);
    if (i.status === "pending" && !before.has(email)) before.set(email, effective({ role: i.role, permissions: i.permissions }, rolesBefore));
  }
  const emptied: string[] = [];
  for (const [email, held] of holdingsAfter(live, plan.changes)) {
    // A role the workspace does not know is the unknownRole rail's to report, not a loss of everything.
    if (!rolesAfter.has(held.access.role)) continue;
    if (effective(held.access, rolesAfter).length === 0 && (before.get(email)?.length ?? 0) > 0 && !out.has(email)) emptied.push(email);
  }
  return { removed: [...out, ...emptied], emptied };
}
