import { describe, expect, it } from "vitest";
import { digestLiveState } from "../../reconciler/digest.js";
import type { Invitation, Member, Role } from "../../schema/api.js";

const member = (email: string, role = "developer", extra: Partial<Member> = {}): Member => ({
  id: `m-${email}`, email, role, permissions: [], effectivePermissions: [], joinedAt: "2026-01-01T00:00:00Z",
  invitedBy: null, version: 1, lastActiveAt: null, lastActiveVia: null, ...extra,
});
const invitation = (email: string, extra: Partial<Invitation> = {}): Invitation => ({
  id: `i-${email}`, email, role: "developer", permissions: [], status: "pending", createdAt: "2026-01-01T00:00:00Z",
  expiresAt: "2026-01-08T00:00:00Z", sendCount: 1, lastSentAt: "2026-01-01T00:00:00Z", invitedBy: "o@x.io", sponsor: "o@x.io", version: 1, ...extra,
});
const role = (name: string, extra: Partial<Role> = {}): Role => ({ name, description: "d", permissions: ["logs:read"], builtIn: false, version: 1, ...extra });

const base = {
  workspace: { name: "acme", owner: "o@x.io", revision: 7, createdAt: "2026-01-01T00:00:00Z" },
  members: [member("o@x.io", "owner"), member("a@x.io"), member("b@x.io", "account-admin")],
  invitations: [invitation("c@x.io"), invitation("d@x.io", { status: "expired" })],
  roles: [role("qa"), role("release-manager", { permissions: ["deployments:create", "logs:read"] })],
};
const digest = digestLiveState(base);

describe("digestLiveState", () => {
  it("is a hex SHA-256", () => expect(digest).toMatch(/^[0-9a-f]{64}$/));

  it.each<[string, typeof base]>([
    ["members in another order", { ...base, members: [...base.members].reverse() }],
    ["invitations in another order", { ...base, invitations: [...base.invitations].reverse() }],
    ["roles in another order", { ...base, roles: [...base.roles].reverse() }],
    ["grants in another order", { ...base, roles: [role("qa"), role("release-manager", { permissions: ["logs:read", "deployments:create"] })] }],
    ["another revision (not a dependency)", { ...base, workspace: { ...base.workspace, revision: 99 } }],
    ["accepted invitations (history)", { ...base, invitations: [...base.invitations, invitation("z@x.io", { status: "accepted" })] }],
    ["built-in roles listed", { ...base, roles: [...base.roles, { name: "developer", description: "", permissions: [], builtIn: true }] }],
    ["derived effective permissions", { ...base, members: base.members.map((m) => ({ ...m, effectivePermissions: ["x"] })) }],
  ])("does not change with %s", (_name, state) => {
    expect(digestLiveState(state)).toBe(digest);
  });

  it.each<[string, typeof base]>([
    ["a member's role", { ...base, members: [member("o@x.io", "owner"), member("a@x.io", "account-admin"), base.members[2]!] }],
    ["a member's grants", { ...base, members: [base.members[0]!, member("a@x.io", "developer", { permissions: ["domains:manage"] }), base.members[2]!] }],
    ["an invitation's sponsor", { ...base, invitations: [invitation("c@x.io", { sponsor: "b@x.io" }), base.invitations[1]!] }],
    ["a member's version", { ...base, members: [base.members[0]!, member("a@x.io", "developer", { version: 2 }), base.members[2]!] }],
    ["a member removed", { ...base, members: base.members.slice(0, 2) }],
    ["a member added", { ...base, members: [...base.members, member("n@x.io")] }],
    ["an invitation expiring", { ...base, invitations: [invitation("c@x.io", { status: "expired" }), base.invitations[1]!] }],
    ["an invitation resent", { ...base, invitations: [invitation("c@x.io", { sendCount: 2 }), base.invitations[1]!] }],
    ["an invitation revoked", { ...base, invitations: [invitation("c@x.io", { status: "revoked" }), base.invitations[1]!] }],
    ["a role's permissions", { ...base, roles: [role("qa", { permissions: [] }), base.roles[1]!] }],
    ["a role's description", { ...base, roles: [role("qa", { description: "other" }), base.roles[1]!] }],
    ["a role deleted", { ...base, roles: base.roles.slice(1) }],
    ["the owner", { ...base, workspace: { ...base.workspace, owner: "a@x.io" } }],
    ["the workspace name", { ...base, workspace: { ...base.workspace, name: "acme-2" } }],
  ])("changes with %s", (_name, state) => {
    expect(digestLiveState(state)).not.toBe(digest);
  });
});
