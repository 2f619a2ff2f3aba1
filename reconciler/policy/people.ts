import { normalizeEmail } from "../../schema/catalog.js";
import type { DesiredMember, DesiredState } from "../../schema/model.js";
import type { PolicyPerson } from "../../schema/policy/evaluate.js";
import { effective, liveRoleTable, type RoleTable } from "../compute/access.js";
import { holdingsAfter, type Holding } from "../compute/holders.js";
import type { LiveState } from "../live-state.js";
import type { Plan } from "../plan.js";
import { roleTables } from "../safety/projection.js";

/**
 * The workspace's people as policies see them: the owner, active members and pending
 * invitations, with effective permissions under the workspace's role table, and the
 * file's groups and `expires` for the people the file names (nobody else has either).
 */

/** livePeople is the live workspace's people (the review's and the plan's "before"); `desired` lends groups and expiry dates. */
export function livePeople(live: LiveState, desired?: DesiredState): PolicyPerson[] {
  return toPeople(holdingsAfter(live, []), liveRoleTable(live.roles), live, desired);
}

/**
 * peopleAfter is the workspace as the plan leaves it, from the plan's changes alone (so a
 * saved plan is judged like a fresh one): people the file does not name (additive mode)
 * and preserved people stay as they are live.
 */
export function peopleAfter(plan: Plan, live: LiveState, desired: DesiredState): PolicyPerson[] {
  return toPeople(holdingsAfter(live, plan.changes), roleTables(plan, live).rolesAfter, live, desired);
}

const DECLARED = new WeakMap<DesiredState, Map<string, DesiredMember>>();

/** declaredBy maps the file's entries by email, once per desired state (plan judges it before and after). */
function declaredBy(desired: DesiredState): Map<string, DesiredMember> {
  let map = DECLARED.get(desired);
  if (map === undefined) {
    map = new Map(desired.members.map((m) => [normalizeEmail(m.email), m]));
    DECLARED.set(desired, map);
  }
  return map;
}

function toPeople(holdings: Map<string, Holding>, roles: RoleTable, live: LiveState, desired: DesiredState | undefined): PolicyPerson[] {
  const owner = normalizeEmail(live.workspace.owner);
  const declared = desired === undefined ? new Map<string, DesiredMember>() : declaredBy(desired);
  // Most people share a role and grants: their effective permissions are computed once and shared (read-only).
  const shared = new Map<string, readonly string[]>();
  const NO_GROUPS: readonly string[] = [];
  const people: PolicyPerson[] = [];
  for (const h of holdings.values()) {
    const entry = declared.get(h.email);
    const isOwner = h.email === owner || h.access.role === "owner";
    const key = h.access.permissions.length === 0 ? h.access.role : `${h.access.role}\u0000${h.access.permissions.join(",")}`;
    let permissions = shared.get(key);
    if (permissions === undefined) {
      permissions = effective(h.access, roles);
      shared.set(key, permissions);
    }
    const person: PolicyPerson = {
      email: h.email,
      state: isOwner ? "owner" : h.state,
      role: h.access.role,
      permissions,
      groups: entry?.group === undefined ? NO_GROUPS : [entry.group],
    };
    if (entry?.expires !== undefined) person.expires = entry.expires;
    people.push(person);
  }
  return people;
}
