import { createHash } from "node:crypto";
import type { Invitation, Member, Role, Workspace } from "../schema/api.js";

/**
 * digestLiveState is a stable SHA-256 (hex) of everything a plan depends on: the
 * workspace's name and owner, every member (id, email, role, grants, version, and `expired`
 * once the server reads it so; accessExpiresAt moves the version), every
 * non-accepted invitation (id, email, role, grants, status, send count, expiry,
 * version, sponsor: a transfer leaves the version as it is) and every custom role (name, description, permissions, version). Lists are
 * sorted and permission lists sorted, so the digest does not depend on page order.
 * It leaves out the workspace revision (which moves on changes a plan does not read,
 * such as accepted invitations) and the caller (two admins planning the same state
 * get the same digest). Any change to a listed field gives a new digest, which is how
 * a saved plan is refused as stale.
 */
export function digestLiveState(state: {
  workspace: Pick<Workspace, "name" | "owner">;
  members: readonly Member[];
  invitations: readonly Invitation[];
  roles: readonly Role[];
}): string {
  const canonical = {
    v: 1,
    workspace: { name: state.workspace.name, owner: state.workspace.owner.toLowerCase() },
    members: state.members
      // A member the server reads as expired (time-bound access) is planned as a removal: its status is part of the state, kept out while active so that digests of workspaces without expiry stay as they were.
      .map((m) => [m.id, m.email.toLowerCase(), m.role, sorted(m.permissions), m.version, ...(m.status === "expired" ? ["expired"] : [])])
      .sort(byFirstTwo),
    invitations: state.invitations
      .filter((i) => i.status !== "accepted")
      .map((i) => [i.id, i.email.toLowerCase(), i.role, sorted(i.permissions), i.status, i.sendCount, i.expiresAt, i.version, i.sponsor.toLowerCase()])
      .sort(byFirstTwo),
    roles: state.roles
      .filter((r) => !r.builtIn)
      .map((r) => [r.name, r.description, sorted(r.permissions), r.version ?? null])
      .sort(byFirstTwo),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

function byFirstTwo(a: unknown[], b: unknown[]): number {
  const ka = `${String(a[0])}\u0000${String(a[1])}`;
  const kb = `${String(b[0])}\u0000${String(b[1])}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
