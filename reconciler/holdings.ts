import { normalizeEmail } from "../schema/catalog.js";
import type { LiveState } from "./live-state.js";
import { effectOf } from "./change-effect.js";
import type { Access, Change } from "./plan.js";

/** Holding is what one person holds once a plan's member and invitation changes are made (grants as the source lists them). */
export interface Holding {
  email: string;
  access: Access;
  /** active members hold access now; pending invitations hold an offer of it. */
  state: "active" | "pending";
}

/**
 * holdingsAfter projects the people's side of a plan onto the live state: every active
 * member and pending invitation that remains, with the role and grants it will hold.
 * Expired and revoked invitations hold nothing (a resend makes one pending again).
 * Role changes are not applied here: a Holding names a role, not its permissions.
 */
export function holdingsAfter(live: LiveState, changes: readonly Change[]): Map<string, Holding> {
  const result = new Map<string, Holding>();
  for (const m of live.members) {
    const email = normalizeEmail(m.email);
    result.set(email, { email, access: { role: m.role, permissions: m.permissions }, state: "active" });
  }
  for (const inv of live.invitations) {
    const email = normalizeEmail(inv.email);
    if (inv.status === "pending" && !result.has(email)) result.set(email, { email, access: { role: inv.role, permissions: inv.permissions }, state: "pending" });
  }
  for (const c of changes) {
    const e = effectOf(c);
    if (e.on !== "person") continue;
    if (e.after === null) result.delete(e.email);
    else result.set(e.email, { email: e.email, access: e.after, state: e.state });
  }
  return result;
}
