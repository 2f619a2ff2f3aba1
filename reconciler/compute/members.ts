import type { Invitation, Member } from "../../schema/api.js";
import { normalizeEmail } from "../../schema/catalog.js";
import { fileManager } from "../../schema/manager.js";
import type { DesiredMember, DesiredState } from "../../schema/model.js";
import type { LiveState } from "../live-state.js";
import type { Access, AccessExpiry, Change, PlanWarning } from "../plan.js";
import { accessExpiresAtOf, expiryWords, sameExpiry } from "../../schema/access-expiry.js";
import { sameAccess, samePermissions, toAccess } from "../permissions.js";
import * as make from "./changes.js";
import { invitationsByEmail, resendsDone } from "../invitations.js";

/**
 * reconcilePeople decides the member and invitation changes (docs/plan-format.md, "How the plan is computed"):
 * - an active member with the same role and grants is left alone; a difference is one
 *   in-place updateMember (never remove + re-add);
 * - otherwise the email's most relevant invitation decides: pending and matching is done,
 *   pending and differing is updated, expired and matching is resent while
 *   `sendCount - 1 < maxResends` (then a `max-resends-reached` warning), expired and
 *   differing or revoked gets a fresh invitation, none gets an invitation;
 * - people the file does not name are removed (members) or revoked (pending invitations)
 *   in authoritative mode and reported as warnings in additive mode; expired and revoked
 *   invitations nobody names are left alone (they grant nothing);
 * - entries past `expires` are removed/revoked in both modes: the file names the person
 *   and says when their access ends;
 * - time-bound access: a member or invitation whose live `accessExpiresAt` is not the end of
 *   the entry's `expires` day (null without one) gets it in the same updateMember /
 *   updateInvitation (an expired invitation a fresh one); a member the server reads as
 *   `expired` whose accessExpiresAt the file keeps is removed, in both modes (the server's
 *   clock decides, as it refuses the member's tokens already);
 * - the owner and `safety.preserve` emails are never touched (a differing entry is a warning);
 * - in additive mode, people another manager manages (managedBy neither null nor `manager`)
 *   are reported as managed by it (`managed-elsewhere`), never as unmanaged.
 */
export function reconcilePeople(
  desired: DesiredState,
  live: LiveState,
  tables: make.Tables,
  out: { changes: Change[]; warnings: PlanWarning[] },
  manager: string = fileManager(desired),
): void {
  const elsewhere = (managedBy: string | null | undefined): string | undefined =>
    managedBy !== undefined && managedBy !== null && managedBy !== manager ? managedBy : undefined;
  const owner = normalizeEmail(live.workspace.owner);
  const preserve = new Set(desired.safety.preserve.map(normalizeEmail));
  const members = new Map<string, Member>();
  for (const m of live.members) members.set(normalizeEmail(m.email), m);
  const invitations = invitationsByEmail(live.invitations);
  const named = new Set<string>();

  for (const entry of desired.members) {
    const email = normalizeEmail(entry.email);
    named.add(email);
    if (email === owner) continue; // the owner rail reports an owner listed under members
    const member = members.get(email);
    if (member !== undefined && !preserve.has(email)) {
      const expiry = expiryChange(member.accessExpiresAt, entry);
      if (member.status === "expired" && expiry === undefined) {
        out.changes.push(make.removeMember(email, member, `access ended ${expiryWords(member.accessExpiresAt ?? null)} (the server refuses its tokens)`, tables));
      } else if (member.role !== entry.role || !samePermissions(member.permissions, entry.permissions) || expiry !== undefined) {
        out.changes.push(make.updateMember(email, member, toAccess(entry.role, entry.permissions), describeUpdate(entry), tables, expiry));
      }
      continue;
    }
    const want = toAccess(entry.role, entry.permissions);
    if (preserve.has(email)) warnIfPreservedDiffers(email, want, member, invitations.get(email), out.warnings);
    else reconcileInvitation(email, entry, want, invitations.get(email), desired, tables, out);
  }

  const expired = new Map<string, DesiredMember>();
  for (const entry of desired.expiredMembers) expired.set(normalizeEmail(entry.email), entry);

  for (const [email, member] of members) {
    if (named.has(email) || email === owner || preserve.has(email) || member.role === "owner") continue;
    const lapsed = expired.get(email);
    if (lapsed !== undefined) out.changes.push(make.removeMember(email, member, `expired on ${lapsed.expires ?? "an earlier date"}`, tables));
    else if (desired.mode === "authoritative") out.changes.push(make.removeMember(email, member, "not in access.yaml", tables));
    else if (elsewhere(member.managedBy) !== undefined) {
      out.warnings.push({ code: "managed-elsewhere", email, message: `${email} is a member (${member.role}) managed by ${elsewhere(member.managedBy)}; additive mode leaves it alone` });
    } else out.warnings.push({ code: "unmanaged-member", email, message: `${email} is a member (${member.role}) but not in access.yaml; additive mode leaves it alone` });
  }

  for (const [email, inv] of invitations) {
    if (inv.status !== "pending" || named.has(email) || members.has(email) || email === owner || preserve.has(email)) continue;
    const lapsed = expired.get(email);
    if (lapsed !== undefined) out.changes.push(make.revokeInvitation(email, inv, `expired on ${lapsed.expires ?? "an earlier date"}`, tables));
    else if (desired.mode === "authoritative") out.changes.push(make.revokeInvitation(email, inv, "not in access.yaml", tables));
    else if (elsewhere(inv.managedBy) !== undefined) {
      out.warnings.push({ code: "managed-elsewhere", email, message: `${email} has a pending invitation (${inv.role}) managed by ${elsewhere(inv.managedBy)}; additive mode leaves it alone` });
    } else out.warnings.push({ code: "unmanaged-invitation", email, message: `${email} has a pending invitation (${inv.role}) but is not in access.yaml; additive mode leaves it alone` });
  }
}

function reconcileInvitation(
  email: string,
  entry: DesiredMember,
  want: Access,
  inv: Invitation | undefined,
  desired: DesiredState,
  tables: make.Tables,
  out: { changes: Change[]; warnings: PlanWarning[] },
): void {
  const fresh = newExpiry(entry);
  if (inv === undefined) {
    out.changes.push(make.inviteMember(email, want, describeNew(entry), tables, fresh));
    return;
  }
  const expiry = expiryChange(inv.accessExpiresAt, entry);
  const matches = inv.role === want.role && samePermissions(inv.permissions, want.permissions) && expiry === undefined;
  switch (inv.status) {
    case "pending":
      if (!matches) out.changes.push(make.updateInvitation(email, inv, want, describeUpdate(entry), tables, expiry));
      return;
    case "expired": {
      if (!matches) {
        out.changes.push(make.inviteMember(email, want, "previous invitation expired with another role, grants or access expiry", tables, fresh));
        return;
      }
      const { resendExpired, maxResends } = desired.invitations;
      const done = resendsDone(inv);
      if (resendExpired && done < maxResends) {
        out.changes.push(make.resendInvitation(email, inv, `invitation expired on ${inv.expiresAt.slice(0, 10)}; resend ${done + 1} of ${maxResends}`, tables));
      } else if (resendExpired) {
        out.warnings.push({ code: "max-resends-reached", email, message: `the invitation of ${email} expired after ${done} resend(s) (maxResends: ${maxResends}); not resent` });
      } else {
        out.warnings.push({ code: "invitation-expired", email, message: `the invitation of ${email} expired and invitations.resendExpired is false; not resent` });
      }
      return;
    }
    case "revoked":
      out.changes.push(make.inviteMember(email, want, "previous invitation was revoked", tables, fresh));
      return;
    case "accepted": // invitationsByEmail never picks accepted invitations (history)
      out.changes.push(make.inviteMember(email, want, describeNew(entry), tables, fresh));
      return;
  }
}

/** expiryChange is the accessExpiresAt change that makes `live` the entry's; undefined when they agree or the server does not carry it (absent). */
function expiryChange(live: string | null | undefined, entry: DesiredMember): AccessExpiry | undefined {
  const want = accessExpiresAtOf(entry.expires);
  if (live === undefined || sameExpiry(live, want)) return undefined;
  return { before: live, after: want };
}

/** newExpiry is what a new invitation sets: the entry's accessExpiresAt, or nothing for an entry without `expires`. */
function newExpiry(entry: DesiredMember): AccessExpiry | undefined {
  const want = accessExpiresAtOf(entry.expires);
  return want === null ? undefined : { before: null, after: want };
}

function warnIfPreservedDiffers(email: string, want: Access, member: Member | undefined, inv: Invitation | undefined, warnings: PlanWarning[]): void {
  const have = member !== undefined ? make.memberAccess(member) : inv?.status === "pending" ? make.invitationAccess(inv) : null;
  if (have !== null && sameAccess(have, want)) return;
  const state = have === null ? "is not in the workspace" : `holds ${have.role}${have.permissions.length > 0 ? ` + ${have.permissions.join(", ")}` : ""}`;
  warnings.push({ code: "preserved-differs", email, message: `${email} is in safety.preserve and ${state}, unlike access.yaml; preserved people are never changed` });
}

function describeNew(entry: DesiredMember): string {
  return entry.group !== undefined ? `not a member yet; group ${entry.group}` : "not a member yet";
}

function describeUpdate(entry: DesiredMember): string {
  return entry.group !== undefined ? `differs from access.yaml; group ${entry.group}` : "differs from access.yaml";
}
