import { normalizeEmail } from "../../schema/catalog.js";
import type { DesiredMember, DesiredState } from "../../schema/model.js";
import type { PersonActivity, PolicyPerson } from "../../schema/policy/evaluate.js";
import { effective, liveRoleTable, samePermissions, type RoleTable } from "../permissions.js";
import { holdingsAfter, type Holding } from "../holdings.js";
import type { LiveState } from "../live-state.js";
import { assertNever, type Access, type Plan } from "../plan.js";
import { roleTables } from "../safety/projection.js";

/**
 * The workspace's people as policies see them: the owner, active members and pending
 * invitations, with effective permissions under the workspace's role table, the file's
 * groups and `expires` for the people the file names (nobody else has either), and each
 * member's activity as the workspace reports it (pending invitations have none).
 */

/** livePeople is the live workspace's people (the review's and the plan's "before"); `desired` lends groups and expiry dates. */
export function livePeople(live: LiveState, desired?: DesiredState): PolicyPerson[] {
  return new PeopleBuilder(live, desired, liveRoleTable(live.roles)).all(holdingsAfter(live, []));
}

/** PeopleProjection is the people before and after a plan; `changed` are the emails whose person differs (or who come or go). */
export interface PeopleProjection {
  before: PolicyPerson[];
  after: PolicyPerson[];
  changed: Set<string>;
}

/**
 * projectPeople is the workspace before the plan and as the plan leaves it, from the plan's
 * changes alone (so a saved plan is judged like a fresh one): people the file does not name
 * (additive mode) and preserved people stay as they are live. People the plan does not touch,
 * whose role it does not redefine, are the same objects before and after. Order as
 * holdingsAfter: members, pending invitations, then people the plan invites.
 */
export function projectPeople(plan: Plan, live: LiveState, desired: DesiredState): PeopleProjection {
  const { rolesBefore, rolesAfter } = roleTables(plan, live);
  const beforeHoldings = holdingsAfter(live, []);
  const before = new PeopleBuilder(live, desired, rolesBefore).all(beforeHoldings);
  if (plan.changes.length === 0) return { before, after: before, changed: new Set() };

  const touched = finalAccess(plan);
  const redefined = new Set<string>();
  for (const [name, permissions] of rolesAfter) {
    const was = rolesBefore.get(name);
    if (was === undefined || !samePermissions(was, permissions)) redefined.add(name);
  }
  for (const name of rolesBefore.keys()) if (!rolesAfter.has(name)) redefined.add(name);

  const build = new PeopleBuilder(live, desired, rolesAfter);
  const changed = new Set<string>();
  const after: PolicyPerson[] = [];
  let i = 0;
  for (const h of beforeHoldings.values()) {
    const person = before[i++]!;
    const next = touched.get(h.email);
    if (next === undefined) {
      if (redefined.has(h.access.role)) {
        changed.add(h.email);
        after.push(build.person(h));
      } else {
        after.push(person);
      }
      continue;
    }
    touched.delete(h.email);
    changed.add(h.email);
    if (next !== null) after.push(build.person(next));
  }
  for (const [email, next] of touched) {
    changed.add(email);
    if (next !== null) after.push(build.person(next));
  }
  return { before, after, changed };
}

/** finalAccess is what each person the plan's people changes touch ends up holding (null: removed or revoked), in change order. */
function finalAccess(plan: Plan): Map<string, Holding | null> {
  const out = new Map<string, Holding | null>();
  const set = (email: string, access: Access | null, state: Holding["state"]) => out.set(email, access === null ? null : { email, access, state });
  for (const c of plan.changes) {
    switch (c.kind) {
      case "inviteMember":
      case "resendInvitation":
      case "updateInvitation":
        set(c.email, c.after, "pending");
        break;
      case "updateMember":
        set(c.email, c.after, "active");
        break;
      case "removeMember":
      case "revokeInvitation":
        set(c.email, null, "active");
        break;
      case "createRole":
      case "updateRole":
      case "deleteRole":
        break;
      default:
        assertNever(c);
    }
  }
  return out;
}

const DECLARED = new WeakMap<DesiredState, Map<string, DesiredMember>>();

/** declaredBy maps the file's entries by email, once per desired state. */
export function declaredBy(desired: DesiredState): Map<string, DesiredMember> {
  let map = DECLARED.get(desired);
  if (map === undefined) {
    map = new Map(desired.members.map((m) => [normalizeEmail(m.email), m]));
    DECLARED.set(desired, map);
  }
  return map;
}

const NO_GROUPS: readonly string[] = [];

/** PeopleBuilder turns holdings into PolicyPersons under one role table; people who share a role and grants share one effective-permission list (read-only). */
class PeopleBuilder {
  private readonly owner: string;
  private readonly declared: Map<string, DesiredMember>;
  private readonly shared = new Map<string, readonly string[]>();
  private readonly activity: Map<string, PersonActivity>;

  constructor(
    live: LiveState,
    desired: DesiredState | undefined,
    private readonly roles: RoleTable,
  ) {
    this.owner = normalizeEmail(live.workspace.owner);
    this.declared = desired === undefined ? new Map() : declaredBy(desired);
    this.activity = activityOf(live);
  }

  all(holdings: Map<string, Holding>): PolicyPerson[] {
    const out: PolicyPerson[] = [];
    for (const h of holdings.values()) out.push(this.person(h));
    return out;
  }

  person(h: Holding): PolicyPerson {
    const entry = this.declared.get(h.email);
    const key = h.access.permissions.length === 0 ? h.access.role : `${h.access.role}\u0000${h.access.permissions.join(",")}`;
    let permissions = this.shared.get(key);
    if (permissions === undefined) {
      permissions = effective(h.access, this.roles);
      this.shared.set(key, permissions);
    }
    const person: PolicyPerson = {
      email: h.email,
      state: h.email === this.owner || h.access.role === "owner" ? "owner" : h.state,
      role: h.access.role,
      permissions,
      groups: entry?.group === undefined ? NO_GROUPS : [entry.group],
    };
    if (entry?.expires !== undefined) person.expires = entry.expires;
    const activity = h.state === "active" ? this.activity.get(h.email) : undefined;
    if (activity !== undefined) person.activity = activity;
    return person;
  }
}

const ACTIVITY = new WeakMap<LiveState, Map<string, PersonActivity>>();

/** activityOf maps each live member's email to their activity (last active, joined), once per live state. */
function activityOf(live: LiveState): Map<string, PersonActivity> {
  let map = ACTIVITY.get(live);
  if (map === undefined) {
    // A server older than activity tracking answers no lastActiveAt: read as never active (joining counts).
    map = new Map(live.members.map((m) => [normalizeEmail(m.email), { lastActiveAt: m.lastActiveAt ?? null, joinedAt: m.joinedAt }]));
    ACTIVITY.set(live, map);
  }
  return map;
}
