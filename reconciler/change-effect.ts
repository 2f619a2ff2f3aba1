import { assertNever, type Access, type Change, type RoleBody } from "./plan.js";

/**
 * ChangeEffect is what a change does to the workspace's state, as data: the one place
 * that says it per kind, read by everything that projects a plan onto a live state
 * (compute's holdings, the safety rails' projection, the YAML diff, apply's skip rules).
 * A person effect names the person's access before and after (null: none, or taken away)
 * and whether they are, or stay, an active member or a pending invitation; a role effect
 * names the custom role's definition after (null: deleted).
 */
export type ChangeEffect =
  | { on: "person"; email: string; state: "active" | "pending"; before: Access | null; after: Access | null }
  | { on: "role"; name: string; after: RoleBody | null };

/** effectOf is a change's effect on the workspace (see ChangeEffect). */
export function effectOf(c: Change): ChangeEffect {
  switch (c.kind) {
    case "inviteMember":
    case "updateInvitation":
    case "resendInvitation":
    case "revokeInvitation":
      return { on: "person", email: c.email, state: "pending", before: c.before, after: c.after };
    case "updateMember":
    case "removeMember":
      return { on: "person", email: c.email, state: "active", before: c.before, after: c.after };
    case "createRole":
    case "updateRole":
    case "deleteRole":
      return { on: "role", name: c.name, after: c.after };
    default:
      return assertNever(c);
  }
}
