import { normalizeEmail } from "../schema/catalog.js";
import { effectOf } from "./change-effect.js";
import { invitationsByEmail } from "./invitations.js";
import type { LiveState } from "./live-state.js";
import { sameAccess, sameRoleBody, toAccess } from "./permissions.js";
import type { Access, Change, Plan, RoleBody } from "./plan.js";

/**
 * The state a plan promises: the live workspace it was computed from with the changes
 * that applied, including what the plan leaves alone (additive, preserved, unmanaged),
 * the owner, and who sponsors each open invitation (the caller, for what it sends,
 * changes, resends or takes over). Verification compares the workspace read back after
 * apply with it; any difference is a broken promise (docs/apply.md, "Verification").
 */

/** PromisedPerson is one person as the plan leaves them: an active member, or an open (pending or expired) invitation and its sponsor. */
export interface PromisedPerson {
  state: "active" | "open";
  access: Access;
  /** sponsor of an open invitation (normalized); absent for members. */
  sponsor?: string;
}

/** PromisedState is the whole promised state: the owner, every person by normalized email, every custom role by name. */
export interface PromisedState {
  owner: string;
  people: Map<string, PromisedPerson>;
  roles: Map<string, RoleBody>;
}

/** Deviation is one broken promise: whom or what (`subject`), what was promised and what was found. */
export interface Deviation {
  subject: string;
  kind: "person" | "role" | "owner";
  promised: string;
  found: string;
}

/** observe is the state a live read holds, in the shape of a PromisedState. */
export function observe(live: Pick<LiveState, "workspace" | "members" | "invitations" | "roles">): PromisedState {
  const people = new Map<string, PromisedPerson>();
  for (const m of live.members) people.set(normalizeEmail(m.email), { state: "active", access: toAccess(m.role, m.permissions) });
  for (const [email, inv] of invitationsByEmail(live.invitations)) {
    if (people.has(email) || (inv.status !== "pending" && inv.status !== "expired")) continue;
    people.set(email, { state: "open", access: toAccess(inv.role, inv.permissions), sponsor: normalizeEmail(inv.sponsor) });
  }
  const roles = new Map<string, RoleBody>();
  for (const r of live.roles) if (!r.builtIn) roles.set(r.name, { description: r.description, permissions: [...r.permissions] });
  return { owner: normalizeEmail(live.workspace.owner), people, roles };
}

/** promiseOf is what `plan` promises once the changes whose keys are in `applied` are made on `live`; pure. */
export function promiseOf(plan: Pick<Plan, "caller" | "changes">, live: LiveState, applied: ReadonlySet<string>): PromisedState {
  const promise = observe(live);
  const caller = normalizeEmail(plan.caller);
  const made = plan.changes.filter((c) => applied.has(c.key));
  for (const c of made) {
    const e = effectOf(c);
    if (e.on === "role") {
      if (e.after === null) promise.roles.delete(e.name);
      else promise.roles.set(e.name, e.after);
      continue;
    }
    const email = normalizeEmail(e.email);
    if (e.after === null) promise.people.delete(email);
    else if (e.state === "active") promise.people.set(email, { state: "active", access: e.after });
    else promise.people.set(email, { state: "open", access: e.after, sponsor: caller });
  }
  for (const c of made) {
    for (const s of sponsoredOf(c)) {
      const held = promise.people.get(s.email);
      if (s.decision === "transfer" && held?.state === "open") held.sponsor = caller;
    }
  }
  return promise;
}

/**
 * deviations compares what was found with what was promised: every person missing,
 * unexpected, holding other access, in another state, or sponsored by someone else; every
 * custom role; and the owner. An open invitation found accepted (an active member with
 * the promised access) keeps its promise.
 */
export function deviations(promised: PromisedState, found: PromisedState): Deviation[] {
  const out: Deviation[] = [];
  if (promised.owner !== found.owner) out.push({ subject: found.owner, kind: "owner", promised: `owner ${promised.owner}`, found: `owner ${found.owner}` });
  for (const email of [...new Set([...promised.people.keys(), ...found.people.keys()])].sort()) {
    const want = promised.people.get(email);
    const have = found.people.get(email);
    if (want !== undefined && have !== undefined && sameAccess(want.access, have.access)) {
      if (want.state === have.state && (want.sponsor === undefined || want.sponsor === have.sponsor)) continue;
      if (want.state === "open" && have.state === "active") continue; // accepted meanwhile
    }
    out.push({ subject: email, kind: "person", promised: personText(want), found: personText(have) });
  }
  for (const name of [...new Set([...promised.roles.keys(), ...found.roles.keys()])].sort()) {
    const want = promised.roles.get(name);
    const have = found.roles.get(name);
    if (want !== undefined && have !== undefined && sameRoleBody(have, want)) continue;
    out.push({ subject: name, kind: "role", promised: roleText(want), found: roleText(have) });
  }
  return out;
}

function sponsoredOf(c: Change) {
  return c.kind === "updateMember" || c.kind === "removeMember" || c.kind === "updateRole" ? (c.sponsored ?? []) : [];
}

function personText(p: PromisedPerson | undefined): string {
  if (p === undefined) return "nothing (no member, no open invitation)";
  const access = `${p.access.role}${p.access.permissions.length > 0 ? ` + ${p.access.permissions.join(", ")}` : ""}`;
  return p.state === "active" ? `a member as ${access}` : `an open invitation as ${access}, sponsored by ${p.sponsor ?? "?"}`;
}

function roleText(r: RoleBody | undefined): string {
  return r === undefined ? "no such role" : `role granting ${r.permissions.join(", ") || "nothing"}`;
}
