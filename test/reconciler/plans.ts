import type { Invitation, Member, Role } from "../../schema/api.js";
import type { LiveState } from "../../reconciler/live-state.js";
import { createPlan, type Change, type Plan } from "../../reconciler/plan.js";

/**
 * Hand-built changes and plans for the apply suites: the same shapes computePlan
 * produces, written out so each test states exactly what apply is asked to do.
 */
const common = { risk: "normal" as const, gained: [] as string[], lost: [] as string[], reason: "test" };

export const change = {
  invite: (email: string, role = "developer", permissions: string[] = []): Change => ({
    ...common, kind: "inviteMember", key: `inviteMember:${email}`, phase: "grants", email, before: null, after: { role, permissions },
  }),
  updateMember: (m: Member, role: string, permissions: string[] = [], extra: Partial<Change> = {}): Change => ({
    ...common, kind: "updateMember", key: `updateMember:${m.email}`, phase: "grants", email: m.email, memberId: m.id,
    version: m.version, before: { role: m.role, permissions: m.permissions }, after: { role, permissions }, ...extra,
  } as Change),
  removeMember: (m: Member): Change => ({
    ...common, kind: "removeMember", key: `removeMember:${m.email}`, phase: "removals", email: m.email, memberId: m.id,
    version: m.version, before: { role: m.role, permissions: m.permissions }, after: null,
  }),
  updateInvitation: (i: Invitation, role: string, permissions: string[] = []): Change => ({
    ...common, kind: "updateInvitation", key: `updateInvitation:${i.email}`, phase: "grants", email: i.email, invitationId: i.id,
    version: i.version, before: { role: i.role, permissions: i.permissions }, after: { role, permissions },
  }),
  revokeInvitation: (i: Invitation): Change => ({
    ...common, kind: "revokeInvitation", key: `revokeInvitation:${i.email}`, phase: "removals", email: i.email, invitationId: i.id,
    version: i.version, before: { role: i.role, permissions: i.permissions }, after: null,
  }),
  createRole: (name: string, permissions: string[], description = `${name} role`): Change => ({
    ...common, kind: "createRole", key: `createRole:${name}`, phase: "roles", name, before: null, after: { description, permissions },
  }),
  updateRole: (r: Role, permissions: string[]): Change => ({
    ...common, kind: "updateRole", key: `updateRole:${r.name}`, phase: "roles", name: r.name, version: r.version!,
    before: { description: r.description, permissions: r.permissions }, after: { description: r.description, permissions },
  }),
  deleteRole: (r: Role): Change => ({
    ...common, kind: "deleteRole", key: `deleteRole:${r.name}`, phase: "roleDeletions", name: r.name, version: r.version!,
    before: { description: r.description, permissions: r.permissions }, after: null,
  }),
};

/** planOf wraps changes in a Plan computed from `live` (its digest and revision). */
export function planOf(live: LiveState, changes: Change[], extra: Partial<Plan> = {}): Plan {
  return {
    ...createPlan({
      workspace: live.workspace.name,
      target: "http://127.0.0.1",
      mode: "authoritative",
      liveDigest: live.digest,
      liveRevision: live.workspace.revision,
      caller: live.caller.email,
      changes,
    }),
    ...extra,
  };
}

/** memberByEmail finds a live member or fails the test. */
export function memberByEmail(live: LiveState, email: string): Member {
  const m = live.members.find((x) => x.email === email);
  if (!m) throw new Error(`no member ${email}`);
  return m;
}
