import { checkDescription, describeCodePoint, escapeInvisible, findInvisible } from "../identity.js";
import { ASSIGNABLE_BUILT_IN_ROLES, CUSTOM_ROLE_NAME_PATTERN, isBuiltInRole } from "../catalog.js";
import { memberPath, type DraftMember } from "../normalize.js";
import { didYouMean } from "../suggest.js";
import { error, warning, type Finding, type Rule } from "./types.js";

/** roleNames (`reserved-role-name`, `invalid-role-name`): custom role names match ^[a-z][a-z0-9-]{1,62}$ and do not shadow a built-in role. */
export const roleNames: Rule = (draft) =>
  draft.roles.flatMap((r): Finding[] => {
    if (isBuiltInRole(r.name)) {
      return [error("reserved-role-name", r.path, `"${r.name}" is a built-in role and cannot be redefined; choose another name`, true)];
    }
    if (!CUSTOM_ROLE_NAME_PATTERN.test(r.name)) {
      return [error("invalid-role-name", r.path, `role name "${r.name}" must be 2-63 characters of a-z, 0-9 and "-", starting with a letter`, true)];
    }
    return [];
  });

/** invalidDescription (`invalid-description`): a role description fits the identity grammar's limit and holds no invisible characters. */
export const invalidDescription: Rule = (draft) =>
  draft.roles.flatMap((r): Finding[] => {
    const problem = checkDescription(r.description);
    return problem === undefined ? [] : [error("invalid-description", [...r.path, "description"], `the description of role "${r.name}" ${problem}`)];
  });

/** roleAssignedOwner (`role-assigned-owner`): `owner` is never assignable. */
export const roleAssignedOwner: Rule = (draft) =>
  uniqueRoleUses(draft)
    .filter((u) => u.role === "owner")
    .map((u) => error("role-assigned-owner", memberPath(u, "role"), `the owner role is not assignable; assert the owner with the top-level "owner:" key instead`));

/**
 * unknownRole (`unknown-role`): a member's or group's role is a built-in or a custom role the
 * file defines. In additive mode the file may use a custom role the workspace already has
 * without managing it; the loader runs offline and cannot see the workspace, so there the
 * finding is a warning and `plan` checks the role against the live roles (rail `unknownRole`).
 */
export const unknownRole: Rule = (draft) => {
  const custom = draft.roles.filter((r) => !isBuiltInRole(r.name)).map((r) => r.name);
  const known = new Set<string>([...ASSIGNABLE_BUILT_IN_ROLES, ...custom, "owner"]);
  const candidates = [...ASSIGNABLE_BUILT_IN_ROLES, ...custom];
  return uniqueRoleUses(draft)
    .filter((u) => !known.has(u.role))
    .map((u) =>
      draft.mode === "additive" && CUSTOM_ROLE_NAME_PATTERN.test(u.role)
        ? warning(
            "unknown-role",
            memberPath(u, "role"),
            `"${u.role}" is not defined in this file${didYouMean(u.role, candidates)}; additive mode uses it if the workspace has such a custom role (plan checks)`,
          )
        : error("unknown-role", memberPath(u, "role"), `"${u.role}" is not a role${didYouMean(u.role, candidates)} (roles: ${candidates.join(", ")})`),
    );
};

/** unusedRole (`unused-role`, warning): a custom role nobody in the file holds. */
export const unusedRole: Rule = (draft) => {
  const used = new Set(draft.members.filter((m) => !m.expired).map((m) => m.role));
  return draft.roles
    .filter((r) => !isBuiltInRole(r.name) && !used.has(r.name))
    .map((r) => warning("unused-role", r.path, `custom role "${r.name}" is not held by any member`, true));
};

/** uniqueRoleUses lists the members whose role is written in a distinct place (a group's role once, not once per member). */
function uniqueRoleUses(draft: Parameters<Rule>[0]): (DraftMember & { role: string })[] {
  const seenGroups = new Set<string>();
  const uses = [];
  for (const m of draft.members) {
    if (m.role === undefined) continue;
    if (m.group !== undefined) {
      if (seenGroups.has(m.group)) continue;
      seenGroups.add(m.group);
    }
    uses.push(m as DraftMember & { role: string });
  }
  return uses;
}

/** groupNames (`invalid-group-name`): a group's name holds no invisible, control or bidi character (the identity grammar's findInvisible), so `back\u200Bend` cannot pass for `backend` in a policy's `group:`. */
export const groupNames: Rule = (draft) =>
  draft.policies.groups.flatMap((name) => {
    const bad = findInvisible(name);
    return bad === undefined ? [] : [error("invalid-group-name", ["groups", name], `the group name "${escapeInvisible(name)}" contains the invisible or control character ${describeCodePoint(bad)}; name groups with visible characters only`)];
  });
