import type { Invitation, InvitationStatus, Member, Role } from "../../schema/api.js";
import { BUILT_IN_ROLES } from "../../schema/catalog.js";
import { sortPermissions } from "../../schema/order.js";
import { DEFAULTS, type DesiredMember, type DesiredRole, type DesiredState, type InvitationPolicy, type Safety } from "../../schema/model.js";
import type { LiveState } from "../../reconciler/live-state.js";

/**
 * Small factories of live and desired states for the reconciler's table tests.
 * Every value is explicit in the case tables; these only fill what a case does not care about.
 */

export const OWNER = "owner@acme.io";
const SOURCE = { file: "access.yaml", line: 1, column: 1, path: [] };
let ids = 0;

/** member builds a live member; `effectivePermissions` is derived from built-in roles (custom roles: grants only). */
export function member(email: string, role = "developer", permissions: string[] = [], version = 1): Member {
  ids += 1;
  const rolePerms = role in BUILT_IN_ROLES ? BUILT_IN_ROLES[role as keyof typeof BUILT_IN_ROLES].permissions : [];
  return {
    id: `m${ids}`,
    email,
    role,
    permissions,
    effectivePermissions: sortPermissions([...rolePerms, ...permissions]),
    joinedAt: "2026-01-01T00:00:00.000Z",
    invitedBy: OWNER,
    version,
    lastActiveAt: null,
    lastActiveVia: null,
  };
}

/** invitation builds a live invitation (pending, sent once, created 2026-01-01 unless told). */
export function invitation(
  email: string,
  role = "developer",
  opts: { status?: InvitationStatus; permissions?: string[]; sendCount?: number; createdAt?: string; version?: number } = {},
): Invitation {
  ids += 1;
  const createdAt = opts.createdAt ?? "2026-01-01T00:00:00.000Z";
  return {
    id: `i${ids}`,
    email,
    role,
    permissions: opts.permissions ?? [],
    status: opts.status ?? "pending",
    createdAt,
    expiresAt: "2026-01-08T00:00:00.000Z",
    sendCount: opts.sendCount ?? 1,
    lastSentAt: createdAt,
    invitedBy: OWNER,
    sponsor: OWNER,
    version: opts.version ?? 1,
  };
}

/** role builds a live custom role. */
export function role(name: string, permissions: string[], description = `${name} role`): Role {
  return { name, description, permissions, builtIn: false, version: 1 };
}

/** live builds a LiveState; the owner is always a member (role owner); the caller defaults to the owner. */
export function live(opts: { owner?: string; caller?: string; members?: Member[]; invitations?: Invitation[]; roles?: Role[]; revision?: number } = {}): LiveState {
  const ownerEmail = opts.owner ?? OWNER;
  const members = [member(ownerEmail, "owner"), ...(opts.members ?? [])];
  const callerEmail = opts.caller ?? ownerEmail;
  const caller = members.find((m) => m.email.toLowerCase() === callerEmail.toLowerCase()) ?? member(callerEmail, "account-admin");
  return {
    workspace: { name: "acme-prod", owner: ownerEmail, revision: opts.revision ?? 7, createdAt: "2026-01-01T00:00:00.000Z" },
    caller,
    members,
    invitations: opts.invitations ?? [],
    roles: opts.roles ?? [],
    digest: "sha256:live-digest-for-tests",
  };
}

/** want builds a desired member entry (what access.yaml names). */
export function want(email: string, role = "developer", permissions: string[] = [], extra: Partial<DesiredMember> = {}): DesiredMember {
  return { email, role, permissions, source: SOURCE, ...extra };
}

/** wantRole builds a desired custom role. */
export function wantRole(name: string, permissions: string[], description = `${name} role`): DesiredRole {
  return { name, description, permissions, source: SOURCE };
}

/** desired builds a DesiredState with the file defaults; safety and invitations merge over them. */
export function desired(
  opts: {
    mode?: DesiredState["mode"];
    owner?: string;
    members?: DesiredMember[];
    expiredMembers?: DesiredMember[];
    roles?: DesiredRole[];
    safety?: Partial<Safety>;
    invitations?: Partial<InvitationPolicy>;
  } = {},
): DesiredState {
  return {
    file: "access.yaml",
    version: 1,
    workspace: "acme-prod",
    ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
    mode: opts.mode ?? DEFAULTS.mode,
    safety: { maxRemovals: DEFAULTS.maxRemovals, minAdmins: DEFAULTS.minAdmins, requiredAdmins: [], preserve: [], ...opts.safety },
    invitations: { resendExpired: DEFAULTS.resendExpired, maxResends: DEFAULTS.maxResends, ...opts.invitations },
    roles: opts.roles ?? [],
    members: opts.members ?? [],
    expiredMembers: opts.expiredMembers ?? [],
  };
}

/** NO_LIMIT lifts maxRemovals for cases that are about something else. */
export const NO_LIMIT: Partial<Safety> = { maxRemovals: { kind: "percent", value: 100 } };
