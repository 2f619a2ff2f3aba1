import { describe, expect, it } from "vitest";
import { skipReason } from "../../reconciler/apply/dependencies.js";
import type { Change } from "../../reconciler/plan.js";

const common = { risk: "normal" as const, gained: [] as string[], lost: [] as string[], reason: "test" };
const invite = (email: string, role: string): Change => ({
  ...common, kind: "inviteMember", key: `inviteMember:${email}`, phase: "grants", email, before: null, after: { role, permissions: [] },
});
const updateMember = (email: string, from: string, to: string, gained: string[] = [], lost: string[] = []): Change => ({
  ...common, kind: "updateMember", key: `updateMember:${email}`, phase: lost.length ? "demotions" : "grants", email,
  memberId: `m-${email}`, version: 1, before: { role: from, permissions: [] }, after: { role: to, permissions: [] }, gained, lost,
});
const removeMember = (email: string, role: string, lost: string[] = []): Change => ({
  ...common, kind: "removeMember", key: `removeMember:${email}`, phase: "removals", email, memberId: `m-${email}`, version: 1,
  before: { role, permissions: [] }, after: null, lost,
});
const revoke = (email: string, role: string): Change => ({
  ...common, kind: "revokeInvitation", key: `revokeInvitation:${email}`, phase: "removals", email, invitationId: `i-${email}`,
  version: 1, before: { role, permissions: [] }, after: null,
});
const createRole = (name: string): Change => ({
  ...common, kind: "createRole", key: `createRole:${name}`, phase: "roles", name, before: null, after: { description: "", permissions: [] },
});
const updateRole = (name: string, gained: string[] = []): Change => ({
  ...common, kind: "updateRole", key: `updateRole:${name}`, phase: "roles", name, version: 1,
  before: { description: "", permissions: [] }, after: { description: "", permissions: gained }, gained,
});
const deleteRole = (name: string): Change => ({
  ...common, kind: "deleteRole", key: `deleteRole:${name}`, phase: "roleDeletions", name, version: 1,
  before: { description: "", permissions: [] }, after: null,
});

describe("skipReason", () => {
  it.each<[string, Change, Change[], RegExp | null]>([
    ["nothing failed", invite("a@x.io", "release-manager"), [], null],
    ["invite to a role whose creation failed", invite("a@x.io", "release-manager"), [createRole("release-manager")], /role release-manager was not created/],
    ["invite to a role whose update failed", invite("a@x.io", "release-manager"), [updateRole("release-manager")], /was not updated/],
    ["invite to another role goes ahead", invite("a@x.io", "developer"), [createRole("release-manager")], null],
    ["member moved to a role that was not created", updateMember("b@x.io", "developer", "qa"), [createRole("qa")], /role qa was not created/],
    ["deleteRole when a holder's removal failed", deleteRole("qa"), [removeMember("c@x.io", "qa")], /role qa may still be held: removeMember:c@x.io/],
    ["deleteRole when a holder's move failed", deleteRole("qa"), [updateMember("c@x.io", "qa", "developer")], /may still be held/],
    ["deleteRole when a pending invitation's revoke failed", deleteRole("qa"), [revoke("d@x.io", "qa")], /may still be held/],
    ["deleteRole when an unrelated change failed", deleteRole("qa"), [removeMember("c@x.io", "developer")], null],
    ["deleteRole when an invite to it failed (nobody holds it)", deleteRole("qa"), [invite("e@x.io", "qa")], null],
    [
      "demoting an admin when a promotion failed",
      updateMember("old@x.io", "account-admin", "developer", [], ["access:manage"]),
      [updateMember("new@x.io", "developer", "account-admin", ["access:manage"])],
      /takes access:manage away and the promotion updateMember:new@x.io did not apply/,
    ],
    [
      "removing an admin when a role update granting access:manage failed",
      removeMember("old@x.io", "account-admin", ["access:manage"]),
      [updateRole("ops", ["access:manage"])],
      /takes access:manage away/,
    ],
    [
      "removing an admin when only an invitation of a new admin failed (invitations are not active admins)",
      removeMember("old@x.io", "account-admin", ["access:manage"]),
      [invite("new@x.io", "account-admin")],
      null,
    ],
    ["removing a developer when a promotion failed", removeMember("dev@x.io", "developer"), [updateMember("new@x.io", "developer", "account-admin", ["access:manage"])], null],
  ])("%s", (_name, change, notApplied, expected) => {
    const reason = skipReason(change, notApplied);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });
});
