import type { Invitation, SponsoredChoice } from "../schema/api.js";
import { ADMIN_PERMISSION } from "../schema/catalog.js";
import { effectivePermissions, type RoleLookup } from "./access.js";
import type { Caller } from "./auth.js";
import type { ChangeEvent } from "./change.js";
import type { ServerContext } from "./context.js";
import { conflict } from "./http-error.js";
import { toInvitation } from "./repositories/invitations.js";
import type { MemberRow } from "./repositories/rows.js";

/**
 * Sponsors: an open invitation (pending, or expired and so resendable) is valid while
 * its sponsor holds access:manage. The sponsor is the sender, then whoever last changed,
 * resent or took it over. A request that takes access:manage from a sponsor of open
 * invitations must say what happens to them (`invitations: "revoke" | "transfer"`);
 * without a choice it is 409 `sponsored_invitations` and changes nothing. Nothing is
 * revoked or transferred that the caller did not choose; each invitation decided is one
 * audit event with the reason.
 */

/** AuthorityLoss says how a sponsor lost its authority; it words the audit event's reason. */
export type AuthorityLoss = "removed" | "lostManage";

/** holdsManage tells whether a role and grants include access:manage under a role lookup. */
export function holdsManage(role: string, grants: readonly string[], roles: RoleLookup): boolean {
  return effectivePermissions(role, grants, roles).includes(ADMIN_PERMISSION);
}

/** SponsorLoss is one member losing access:manage in a request, and how. */
export interface SponsorLoss {
  member: Pick<MemberRow, "workspace_id" | "email">;
  loss: AuthorityLoss;
}

/**
 * settleSponsored decides the open invitations of the members this request takes
 * access:manage from, inside the request's transaction: none open, nothing to do;
 * otherwise `choice` revokes them or transfers them to the caller, one event each
 * (`invitation.revoked` / `invitation.transferred`) with the reason. Without a choice it
 * throws 409 `sponsored_invitations` listing them; a transfer to a caller that loses
 * access:manage itself in this request (`callerKeepsManage` false) is 409 `transfer_refused`.
 */
export function settleSponsored(
  ctx: ServerContext,
  caller: Caller,
  losses: readonly SponsorLoss[],
  choice: SponsoredChoice | undefined,
  callerKeepsManage: boolean,
): ChangeEvent[] {
  const { invitations } = ctx.repos;
  const now = ctx.now();
  const open = losses.flatMap(({ member, loss }) => invitations.openBySponsor(member.workspace_id, member.email).map((row) => ({ row, loss })));
  if (open.length === 0) return [];
  const listed = open.map(({ row }) => sponsoredSummary(toInvitation(row, now)));
  if (choice === undefined) {
    throw conflict(
      "sponsored_invitations",
      `this change takes ${ADMIN_PERMISSION} from the sponsor of ${open.length} open invitation(s); send "invitations": "revoke" or "transfer" to decide them`,
      { invitations: listed },
    );
  }
  const actor = caller.member.email;
  if (choice === "transfer" && !callerKeepsManage) {
    throw conflict("transfer_refused", `${actor} cannot take over these invitations: it does not hold ${ADMIN_PERMISSION} after this change`, {
      invitations: listed,
    });
  }
  return open.map(({ row, loss }) => {
    const before = toInvitation(row, now);
    const who = `sponsored by ${row.sponsor}, who ${loss === "removed" ? "was removed" : `lost ${ADMIN_PERMISSION}`}`;
    if (choice === "revoke") invitations.setState(row.id, "revoked");
    else invitations.setSponsor(row.id, actor);
    const after = toInvitation(invitations.byId(row.workspace_id, row.id)!, now);
    return choice === "revoke"
      ? { actor, action: "invitation.revoked", target: row.email, before, after, reason: `${who}; revoked as the request chose` }
      : { actor, action: "invitation.transferred", target: row.email, before, after, reason: `${who}; transferred to ${actor} as the request chose` };
  });
}

/** sponsoredSummary is how a 409 `sponsored_invitations` lists one invitation. */
function sponsoredSummary(i: Invitation): Pick<Invitation, "id" | "email" | "role" | "permissions" | "status" | "sponsor" | "version"> {
  return { id: i.id, email: i.email, role: i.role, permissions: i.permissions, status: i.status, sponsor: i.sponsor, version: i.version };
}
