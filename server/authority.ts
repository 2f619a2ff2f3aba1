import { ADMIN_PERMISSION } from "../schema/catalog.js";
import { effectivePermissions, type RoleLookup } from "./access.js";
import type { ChangeEvent } from "./change.js";
import type { ServerContext } from "./context.js";
import { toInvitation } from "./repositories/invitations.js";
import type { MemberRow } from "./repositories/rows.js";

/**
 * Invitations die with their sender's authority: a member who is removed or loses
 * access:manage (role change, grant change, or an edit of its custom role) can no
 * longer vouch for the people it invited, so every invitation it sent that is still
 * open (pending, or expired and so resendable) is revoked in the same transaction as
 * the change that took its authority, one audit event each with the reason.
 */

/** AuthorityLoss says how a sender lost its authority; it words the audit event's reason. */
export type AuthorityLoss = "removed" | "lostManage";

/** holdsManage tells whether a role and grants include access:manage under a role lookup. */
export function holdsManage(role: string, grants: readonly string[], roles: RoleLookup): boolean {
  return effectivePermissions(role, grants, roles).includes(ADMIN_PERMISSION);
}

/** revokeSentInvitations revokes the open invitations `sender` sent, returning one `invitation.revoked` event each (actor: who made the change). */
export function revokeSentInvitations(
  ctx: ServerContext,
  sender: Pick<MemberRow, "workspace_id" | "email">,
  actor: string,
  loss: AuthorityLoss,
): ChangeEvent[] {
  const { invitations } = ctx.repos;
  const now = ctx.now();
  const reason = `sent by ${sender.email}, who ${loss === "removed" ? "was removed" : `lost ${ADMIN_PERMISSION}`}`;
  return invitations.openBySender(sender.workspace_id, sender.email).map((row) => {
    const before = toInvitation(row, now);
    invitations.setState(row.id, "revoked");
    const after = toInvitation(invitations.byId(sender.workspace_id, row.id)!, now);
    return { actor, action: "invitation.revoked", target: row.email, before, after, reason };
  });
}
