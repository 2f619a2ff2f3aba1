import { ADMIN_PERMISSION } from "../../schema/catalog.js";
import { canonicalEmail } from "../../schema/identity.js";
import type { DesiredState } from "../../schema/model.js";
import type { LiveState } from "../live-state.js";
import { assertNever, type Change } from "../plan.js";
import { toAccess } from "../permissions.js";
import * as make from "./changes.js";


/**
 * reinviteOrphaned keeps the people the file wants whose invitation dies during the
 * apply. The server revokes every pending or expired invitation a member sent when that
 * member is removed or loses access:manage (docs/api.md); an invitation the plan counts
 * as done, updates or resends would then be gone by the end of the apply, and the
 * verification would fail. For each such wanted person, the plan instead sends a fresh
 * invitation in the `reinvitations` phase, after the removals and demotions, from the
 * token that applies. Returns the changes with those replacements; pure.
 */
export function reinviteOrphaned(desired: DesiredState, live: LiveState, changes: readonly Change[], tables: make.Tables): Change[] {
  const losers = losingAuthority(changes);
  if (losers.size === 0) return [...changes];
  const wanted = new Map(desired.members.map((m) => [canonicalEmail(m.email), m]));
  const members = new Set(live.members.map((m) => canonicalEmail(m.email)));
  const byEmail = new Map<string, Change>();
  for (const c of changes) if ("email" in c) byEmail.set(canonicalEmail(c.email), c);

  const replaced = new Set<Change>();
  const added: Change[] = [];
  for (const inv of live.invitations) {
    if ((inv.status !== "pending" && inv.status !== "expired") || !losers.has(canonicalEmail(inv.invitedBy))) continue;
    const email = canonicalEmail(inv.email);
    const entry = wanted.get(email);
    if (entry === undefined || members.has(email)) continue;
    const planned = byEmail.get(email);
    // A change that replaces the invitation anyway (a fresh invite) or drops the person needs nothing more.
    if (planned !== undefined && planned.kind !== "updateInvitation" && planned.kind !== "resendInvitation") continue;
    if (planned !== undefined) replaced.add(planned);
    const invite = make.inviteMember(
      email,
      toAccess(entry.role, entry.permissions),
      `its invitation, sent by ${inv.invitedBy}, is revoked when ${inv.invitedBy} loses access:manage in this plan; invited again`,
      tables,
    );
    added.push({ ...invite, phase: "reinvitations" });
  }
  return [...changes.filter((c) => !replaced.has(c)), ...added];
}

/** losingAuthority lists the members this plan removes or takes access:manage from (directly, or as holders of an edited role). */
function losingAuthority(changes: readonly Change[]): Set<string> {
  const out = new Set<string>();
  for (const c of changes) {
    switch (c.kind) {
      case "removeMember":
      case "updateMember":
        if (c.lost.includes(ADMIN_PERMISSION)) out.add(canonicalEmail(c.email));
        break;
      case "updateRole":
        for (const h of c.holders ?? []) {
          if (h.state === "active" && h.before.includes(ADMIN_PERMISSION) && !h.after.includes(ADMIN_PERMISSION)) out.add(canonicalEmail(h.email));
        }
        break;
      case "inviteMember":
      case "updateInvitation":
      case "resendInvitation":
      case "revokeInvitation":
      case "createRole":
      case "deleteRole":
        break;
      default:
        assertNever(c);
    }
  }
  return out;
}
