import { ADMIN_PERMISSION } from "../catalog.js";
import type { Draft } from "../normalize.js";
import { isEmail } from "./emails.js";
import { rolePermissionMap } from "./permissions.js";
import { error, type Finding, type Rule } from "./types.js";

/**
 * declaredAdmins is the set of emails the file declares as admins: active (not expired)
 * members whose effective permissions (role ∪ grants) include access:manage, plus the
 * `owner:` when asserted.
 */
export function declaredAdmins(draft: Draft): Set<string> {
  const cached = adminsByDraft.get(draft);
  if (cached) return cached;
  const rolePermissions = rolePermissionMap(draft);
  const admins = new Set<string>();
  for (const m of draft.members) {
    if (m.expired) continue;
    const viaRole = m.role !== undefined && rolePermissions.get(m.role)?.has(ADMIN_PERMISSION);
    if (viaRole || m.grants.items.includes(ADMIN_PERMISSION)) admins.add(m.email);
  }
  if (draft.owner) admins.add(draft.owner.value);
  adminsByDraft.set(draft, admins);
  return admins;
}

/** Two rules ask for the admins of the same draft; count them once. */
const adminsByDraft = new WeakMap<Draft, Set<string>>();

/** requiredAdminNotAdmin (`required-admin-not-admin`): each safety.requiredAdmins entry is declared as an admin (or is the owner). */
export const requiredAdminNotAdmin: Rule = (draft) => {
  const admins = declaredAdmins(draft);
  return draft.requiredAdmins
    .filter((r) => isEmail(r.value) && !admins.has(r.value))
    .map((r) => {
      const m = draft.members.find((candidate) => candidate.email === r.value);
      const why =
        m === undefined
          ? "is not declared in this file"
          : m.expired
            ? `is declared but their access expired on ${m.expires}`
            : `is declared with role "${m.role ?? "?"}", which does not include ${ADMIN_PERMISSION}`;
      return error("required-admin-not-admin", r.path, `required admin "${r.value}" ${why}; declare them as account-admin (or the owner)`);
    });
};

/**
 * minAdmins (`min-admins`): the file declares at least safety.minAdmins admins. The owner
 * always counts, whether `owner:` names them or not: every workspace has one, and this tool
 * never removes or demotes them.
 */
export const minAdmins: Rule = (draft): Finding[] => {
  const admins = declaredAdmins(draft);
  const members = draft.owner === undefined ? admins.size : admins.size - 1;
  const count = members + 1;
  if (count >= draft.minAdmins) return [];
  const path = draft.minAdminsWritten ? ["safety", "minAdmins"] : [];
  return [
    error(
      "min-admins",
      path,
      `the file declares ${count} admin${count === 1 ? "" : "s"}: ${members} member${members === 1 ? "" : "s"} with ${ADMIN_PERMISSION} plus the owner, who always counts (named in owner: or not), but minAdmins is ${draft.minAdmins}${draft.minAdminsWritten ? "" : " (the default)"}`,
    ),
  ];
};
