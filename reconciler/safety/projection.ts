import { ADMIN_PERMISSION, normalizeEmail } from "../../schema/catalog.js";
import { effective, liveRoleTable } from "../compute/access.js";
import { memberAccess } from "../compute/changes.js";
import { holdingsAfter, type Holding } from "../compute/holders.js";
import type { LiveState } from "../live-state.js";
import type { Plan } from "../plan.js";

/** ActiveMember is one live member with effective permissions before and after the plan (`after` null: removed). */
export interface ActiveMember {
  email: string;
  before: string[];
  after: string[] | null;
}

/**
 * Projection is the workspace as the plan would leave it, derived from the plan's
 * changes alone (so the rails judge a saved plan the same way): active members with
 * their effective permissions before and after, and every person's holding after.
 */
export interface Projection {
  active: Map<string, ActiveMember>;
  holdings: Map<string, Holding>;
}

/** project computes what the plan leaves behind (linear in the workspace's size). */
export function project(plan: Plan, live: LiveState): Projection {
  const before = liveRoleTable(live.roles);
  const after = new Map(before);
  for (const c of plan.changes) {
    if (c.kind === "createRole" || c.kind === "updateRole") after.set(c.name, c.after.permissions);
    else if (c.kind === "deleteRole") after.delete(c.name);
  }
  const holdings = holdingsAfter(live, plan.changes);
  const active = new Map<string, ActiveMember>();
  for (const m of live.members) {
    const email = normalizeEmail(m.email);
    const held = holdings.get(email);
    active.set(email, {
      email,
      before: effective(memberAccess(m), before),
      after: held === undefined || held.state !== "active" ? null : effective(held.access, after),
    });
  }
  return { active, holdings };
}

/** isAdmin: an admin is whoever holds access:manage (the owner and account-admins do). */
export function isAdmin(permissions: readonly string[] | null): boolean {
  return permissions !== null && permissions.includes(ADMIN_PERMISSION);
}
