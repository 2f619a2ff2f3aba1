import { ADMIN_PERMISSION, normalizeEmail } from "../../schema/catalog.js";
import { holdingsAfter, type Holding } from "../holdings.js";
import { effective, holds, liveRoleTable, type RoleTable } from "../permissions.js";
import { effectOf } from "../change-effect.js";
import type { LiveState } from "../live-state.js";
import type { Access, Plan } from "../plan.js";

/** ActiveMember is one live member with the role and grants held before and after the plan (`after` null: removed). */
export interface ActiveMember {
  email: string;
  before: Access;
  after: Access | null;
}

/**
 * Projection is the workspace as the plan would leave it, derived from the plan's
 * changes alone (so the rails judge a saved plan the same way): active members before
 * and after, every person's holding after, and the role tables that value them.
 */
export interface Projection {
  active: Map<string, ActiveMember>;
  holdings: Map<string, Holding>;
  rolesBefore: RoleTable;
  rolesAfter: RoleTable;
}

/** roleTables values access before the plan (live roles) and after it (live roles with the plan's role changes). */
export function roleTables(plan: Plan, live: LiveState): { rolesBefore: RoleTable; rolesAfter: RoleTable } {
  const rolesBefore = liveRoleTable(live.roles);
  const rolesAfter = new Map(rolesBefore);
  for (const c of plan.changes) {
    const e = effectOf(c);
    if (e.on !== "role") continue;
    if (e.after === null) rolesAfter.delete(e.name);
    else rolesAfter.set(e.name, e.after.permissions);
  }
  return { rolesBefore, rolesAfter };
}

/** projectMember is one live member's projection, without projecting the whole workspace; undefined when not a member. */
export function projectMember(plan: Plan, live: LiveState, email: string): { member: ActiveMember; tables: Pick<Projection, "rolesBefore" | "rolesAfter"> } | undefined {
  const m = live.members.find((x) => normalizeEmail(x.email) === email);
  if (m === undefined) return undefined;
  let after: Access | null = { role: m.role, permissions: m.permissions };
  for (const c of plan.changes) {
    const e = effectOf(c);
    if (e.on === "person" && e.state === "active" && normalizeEmail(e.email) === email) after = e.after;
  }
  return { member: { email, before: { role: m.role, permissions: m.permissions }, after }, tables: roleTables(plan, live) };
}

/** activeMembers projects only the live members (no invitations): cheaper than project when holdings are not needed. */
export function activeMembers(plan: Plan, live: LiveState): ActiveMember[] {
  const changed = new Map<string, Access | null>();
  for (const c of plan.changes) {
    const e = effectOf(c);
    if (e.on === "person" && e.state === "active") changed.set(normalizeEmail(e.email), e.after);
  }
  return live.members.map((m) => {
    const email = normalizeEmail(m.email);
    const before = { role: m.role, permissions: m.permissions };
    const after = changed.get(email);
    return { email, before, after: after === undefined ? before : after };
  });
}

/** project computes what the plan leaves behind (linear in the workspace's size). */
export function project(plan: Plan, live: LiveState): Projection {
  const { rolesBefore, rolesAfter } = roleTables(plan, live);
  const holdings = holdingsAfter(live, plan.changes);
  const active = new Map<string, ActiveMember>();
  for (const m of live.members) {
    const email = normalizeEmail(m.email);
    const held = holdings.get(email);
    active.set(email, { email, before: { role: m.role, permissions: m.permissions }, after: held === undefined || held.state !== "active" ? null : held.access });
  }
  return { active, holdings, rolesBefore, rolesAfter };
}

/** wasAdmin and isAdminAfter: an admin is whoever holds access:manage (the owner and account-admins do). */
export function wasAdmin(p: Pick<Projection, "rolesBefore">, m: ActiveMember): boolean {
  return holds(m.before, p.rolesBefore, ADMIN_PERMISSION);
}

export function isAdminAfter(p: Pick<Projection, "rolesAfter">, m: ActiveMember): boolean {
  return holds(m.after, p.rolesAfter, ADMIN_PERMISSION);
}

/** lostBy is what a member's effective permissions lose through the plan (all of them when removed). */
export function lostBy(p: Pick<Projection, "rolesBefore" | "rolesAfter">, m: ActiveMember): string[] {
  const kept = new Set(effective(m.after, p.rolesAfter));
  return effective(m.before, p.rolesBefore).filter((x) => !kept.has(x));
}
