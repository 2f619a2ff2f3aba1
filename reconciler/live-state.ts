import type { Invitation, Member, Role, Workspace } from "../schema/api.js";

/**
 * LiveState is what the workspace holds right now, as read through the API by
 * fetchWorkspaceState. `members` include the owner; `invitations` are every
 * non-accepted invitation (pending, expired, revoked); `roles` are the custom roles
 * only. `caller` is the member whose token made the reads. `digest` is a stable hash
 * of everything above but the caller, used to refuse stale saved plans.
 */
export interface LiveState {
  workspace: Workspace;
  caller: Member;
  members: Member[];
  invitations: Invitation[];
  roles: Role[];
  digest: string;
}
