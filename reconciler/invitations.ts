import type { Invitation } from "../schema/api.js";
import { normalizeEmail } from "../schema/catalog.js";
import { compareText } from "../schema/order.js";

/**
 * pickInvitation chooses the invitation that speaks for an email when the workspace
 * holds several: a pending one first (the server allows at most one), else the newest
 * by `createdAt`, then `lastSentAt`, then id. Accepted invitations are history and are
 * never picked.
 */
export function pickInvitation(a: Invitation, b: Invitation): Invitation {
  const rank = (i: Invitation) => (i.status === "pending" ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) < rank(b) ? a : b;
  const byCreated = compareText(a.createdAt, b.createdAt);
  if (byCreated !== 0) return byCreated > 0 ? a : b;
  const bySent = compareText(a.lastSentAt, b.lastSentAt);
  if (bySent !== 0) return bySent > 0 ? a : b;
  return compareText(a.id, b.id) >= 0 ? a : b;
}

/** invitationsByEmail indexes the live invitations by normalized email, one (the picked) per email. */
export function invitationsByEmail(invitations: readonly Invitation[]): Map<string, Invitation> {
  const byEmail = new Map<string, Invitation>();
  for (const inv of invitations) {
    if (inv.status === "accepted") continue;
    const email = normalizeEmail(inv.email);
    const seen = byEmail.get(email);
    byEmail.set(email, seen === undefined ? inv : pickInvitation(seen, inv));
  }
  return byEmail;
}

/** resendsDone is how many times an invitation was resent: `sendCount` counts every send, the first included. */
export function resendsDone(invitation: Invitation): number {
  return Math.max(0, invitation.sendCount - 1);
}
