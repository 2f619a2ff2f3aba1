import type { InvitationStatus } from "./api.js";

/**
 * invitationStatusAt is the one rule for an invitation's status at `now` (all times in epoch
 * ms; `accessExpiresAt` null: never): a pending invitation past its link's expiry, or past the
 * end of the access it grants, reads as expired. The server decides with it at read time and
 * the dashboard with it between reads (served as part of the domain core).
 */
export function invitationStatusAt(state: InvitationStatus, expiresAt: number, accessExpiresAt: number | null, now: number): InvitationStatus {
  return state === "pending" && (expiresAt <= now || (accessExpiresAt !== null && accessExpiresAt <= now)) ? "expired" : state;
}
