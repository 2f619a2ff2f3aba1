import type { Invitation, Member, Role } from "../../schema/api.js";
import type {
  Access,
  AccessExpiry,
  CreateRole,
  DeleteRole,
  InviteMember,
  RemoveMember,
  ResendInvitation,
  RevokeInvitation,
  RoleBody,
  UpdateInvitation,
  UpdateMember,
  UpdateRole,
} from "../plan.js";
import { CHANGE_KIND_TABLE } from "../change-kinds.js";
import { sortPermissions } from "../../schema/order.js";
import { delta, effective, toAccess, type RoleTable } from "../permissions.js";
import { riskOf, updatePhase } from "./risk.js";
import type { Holding } from "../holdings.js";

/**
 * Constructors of each Change kind. They fill what every change carries (key, phase,
 * gained/lost, risk) from a before and an after, so the reconcile rules only decide
 * *which* change to make. `before` is valued with the live role table, `after` with
 * the table the plan leads to.
 */

/** Tables are the role tables that value a person's access before and after the plan. */
export interface Tables {
  before: RoleTable;
  after: RoleTable;
}

function expiring(expiry: AccessExpiry | undefined): { accessExpiresAt?: AccessExpiry } {
  return expiry === undefined ? {} : { accessExpiresAt: expiry };
}

function personDelta(before: Access | null, after: Access | null, t: Tables) {
  const d = delta(effective(before, t.before), effective(after, t.after));
  return { ...d, risk: riskOf(d.gained, before, after, d.lost) };
}

/** memberAccess is a live member's role and grants. */
export function memberAccess(m: Member): Access {
  return toAccess(m.role, m.permissions);
}

/** invitationAccess is a live invitation's role and grants. */
export function invitationAccess(i: Invitation): Access {
  return toAccess(i.role, i.permissions);
}

/** roleBody is a custom role's definition, permissions in catalog order. */
export function roleBody(description: string, permissions: readonly string[]): RoleBody {
  return { description, permissions: sortPermissions(permissions) };
}

/** inviteMember: a new invitation; the person gains everything the access grants, until `expiry.after` when given. */
export function inviteMember(email: string, after: Access, reason: string, t: Tables, expiry?: AccessExpiry): InviteMember {
  const d = personDelta(null, after, t);
  return { kind: "inviteMember", key: `inviteMember:${email}`, phase: CHANGE_KIND_TABLE.inviteMember.phase, ...d, reason, email, before: null, after, ...expiring(expiry) };
}

/** updateInvitation: a pending invitation changed in place (its access, its expiry or both); a loss puts it with the demotions. */
export function updateInvitation(email: string, inv: Invitation, after: Access, reason: string, t: Tables, expiry?: AccessExpiry): UpdateInvitation {
  const before = invitationAccess(inv);
  const d = personDelta(before, after, t);
  return {
    kind: "updateInvitation",
    key: `updateInvitation:${email}`,
    phase: updatePhase(d.gained, d.lost, CHANGE_KIND_TABLE.updateInvitation.phase),
    ...d,
    reason,
    email,
    invitationId: inv.id,
    version: inv.version,
    before,
    after,
    ...expiring(expiry),
  };
}

/** resendInvitation: an expired, matching invitation sent again; valued as offering its access anew. */
export function resendInvitation(email: string, inv: Invitation, reason: string, t: Tables): ResendInvitation {
  const access = invitationAccess(inv);
  // A resend revives an offer that had lapsed: valued as gaining its access anew.
  const d = personDelta(null, access, t);
  return {
    kind: "resendInvitation",
    key: `resendInvitation:${email}`,
    phase: CHANGE_KIND_TABLE.resendInvitation.phase,
    ...d,
    reason,
    email,
    invitationId: inv.id,
    version: inv.version,
    sendCount: inv.sendCount,
    before: access,
    after: access,
  };
}

/** revokeInvitation: a pending invitation withdrawn; the offered access is lost. */
export function revokeInvitation(email: string, inv: Invitation, reason: string, t: Tables): RevokeInvitation {
  const before = invitationAccess(inv);
  const d = personDelta(before, null, t);
  return {
    kind: "revokeInvitation",
    key: `revokeInvitation:${email}`,
    phase: CHANGE_KIND_TABLE.revokeInvitation.phase,
    ...d,
    reason,
    email,
    invitationId: inv.id,
    version: inv.version,
    before,
    after: null,
  };
}

/** updateMember: an active member changed in place; a loss puts it with the demotions. */
export function updateMember(email: string, m: Member, after: Access, reason: string, t: Tables, expiry?: AccessExpiry): UpdateMember {
  const before = memberAccess(m);
  const d = personDelta(before, after, t);
  return {
    kind: "updateMember",
    key: `updateMember:${email}`,
    phase: updatePhase(d.gained, d.lost, CHANGE_KIND_TABLE.updateMember.phase),
    ...d,
    reason,
    email,
    memberId: m.id,
    version: m.version,
    before,
    after,
    ...expiring(expiry),
  };
}

/** removeMember: an active member removed; every effective permission is lost. */
export function removeMember(email: string, m: Member, reason: string, t: Tables): RemoveMember {
  const before = memberAccess(m);
  const d = personDelta(before, null, t);
  return {
    kind: "removeMember",
    key: `removeMember:${email}`,
    phase: CHANGE_KIND_TABLE.removeMember.phase,
    ...d,
    reason,
    email,
    memberId: m.id,
    version: m.version,
    before,
    after: null,
  };
}

/** createRole: `gained` is what the new role grants its future holders. */
export function createRole(name: string, after: RoleBody, reason: string): CreateRole {
  const d = delta([], after.permissions);
  return { kind: "createRole", key: `createRole:${name}`, phase: CHANGE_KIND_TABLE.createRole.phase, ...d, risk: riskOf(d.gained, null, null), reason, name, before: null, after };
}

/**
 * updateRole: `gained`/`lost` are per holder; a role that loses a permission demotes its
 * holders. `holders` are the people holding the role after the plan's people changes,
 * each valued under the role's old and new definition (their own grants included).
 */
export function updateRole(live: Role, after: RoleBody, reason: string, holders: readonly Holding[], t: Tables): UpdateRole {
  const before = roleBody(live.description, live.permissions);
  const d = delta(before.permissions, after.permissions);
  return {
    kind: "updateRole",
    key: `updateRole:${live.name}`,
    phase: updatePhase(d.gained, d.lost, CHANGE_KIND_TABLE.updateRole.phase),
    ...d,
    risk: riskOf(d.gained, null, null, d.lost),
    reason,
    name: live.name,
    version: live.version ?? 0,
    before,
    after,
    holders: holders.map((h) => ({ email: h.email, state: h.state, before: effective(h.access, t.before), after: effective(h.access, t.after) })),
  };
}

/** deleteRole: `lost` is what the role granted (nobody holds it by the time it is deleted). */
export function deleteRole(live: Role, reason: string): DeleteRole {
  const before = roleBody(live.description, live.permissions);
  return {
    kind: "deleteRole",
    key: `deleteRole:${live.name}`,
    phase: CHANGE_KIND_TABLE.deleteRole.phase,
    gained: [],
    lost: before.permissions,
    risk: "normal",
    reason,
    name: live.name,
    version: live.version ?? 0,
    before,
    after: null,
  };
}
