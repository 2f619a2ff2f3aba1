import type { Invitation, InvitationStatus, Member, Role, Workspace } from "../schema/api.js";
import { digestLiveState } from "./digest.js";
import type { LiveState } from "./live-state.js";

/** FetchClient is the part of the Access API client fetchWorkspaceState reads with. */
export interface FetchClient {
  getWorkspace(workspace: string): Promise<Workspace>;
  getMe(workspace: string): Promise<Member>;
  listMembers(workspace: string): Promise<Member[]>;
  listInvitations(workspace: string, filter?: { status?: InvitationStatus }): Promise<Invitation[]>;
  listRoles(workspace: string): Promise<Role[]>;
}

/** LIVE_INVITATION_STATUSES are the invitations a plan reads; accepted ones are history (their invitee is a member). */
const LIVE_INVITATION_STATUSES: readonly InvitationStatus[] = ["pending", "expired", "revoked"];

/**
 * fetchWorkspaceState reads the live workspace: the workspace, the caller, every
 * member, the pending/expired/revoked invitations (one filtered list per status, so
 * accepted history never costs a page) and the custom roles, all in parallel, lists in
 * pages of 1,000. Reads: 3 + 3 invitation lists + ceil(members / 1000) (at least one)
 * for a workspace with fewer than 1,000 invitations of each status. The result is
 * sorted (members and invitations by email, roles by name) and carries digestLiveState.
 */
export async function fetchWorkspaceState(client: FetchClient, workspace: string): Promise<LiveState> {
  const [ws, caller, members, roles, ...invitationLists] = await Promise.all([
    client.getWorkspace(workspace),
    client.getMe(workspace),
    client.listMembers(workspace),
    client.listRoles(workspace),
    ...LIVE_INVITATION_STATUSES.map((status) => client.listInvitations(workspace, { status })),
  ]);
  const wanted = new Set(LIVE_INVITATION_STATUSES);
  const invitations = uniqueById(
    (invitationLists as Invitation[][]).flat().filter((i) => wanted.has(i.status)),
  ).sort((a, b) => compare(a.email.toLowerCase(), b.email.toLowerCase()) || compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  const sortedMembers = [...(members as Member[])].sort(
    (a, b) => compare(a.email.toLowerCase(), b.email.toLowerCase()) || compare(a.id, b.id),
  );
  const customRoles = (roles as Role[]).filter((r) => !r.builtIn).sort((a, b) => compare(a.name, b.name));
  const state = { workspace: ws as Workspace, members: sortedMembers, invitations, roles: customRoles };
  return { ...state, caller: caller as Member, digest: digestLiveState(state) };
}

/** uniqueById drops an invitation seen twice (its status moved between two filtered reads, e.g. pending → expired). */
function uniqueById(invitations: Invitation[]): Invitation[] {
  const byId = new Map<string, Invitation>();
  for (const inv of invitations) {
    const seen = byId.get(inv.id);
    if (!seen || inv.version > seen.version || (inv.version === seen.version && inv.status === "expired")) byId.set(inv.id, inv);
  }
  return [...byId.values()];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
