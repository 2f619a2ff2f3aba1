import { BUILT_IN_ROLES, isBuiltInRole, isPermission, OWNER_ONLY_PERMISSIONS, PERMISSION_IDS, type Permission } from "../catalog.js";
import type { Draft, PermissionList } from "../normalize.js";
import type { YamlPath } from "../source/locator.js";
import { didYouMean } from "../suggest.js";
import { error, warning, type Finding, type Rule } from "./types.js";

/** WrittenList is a permission list with whom it belongs to and the role its grants come on top of (none for a custom role's own list). */
interface WrittenList {
  list: PermissionList;
  role?: string;
  holder: string;
}

/** writtenLists lists every written permission list once (a group's grants once, not per member). */
function writtenLists(draft: Draft): WrittenList[] {
  const lists: WrittenList[] = draft.roles.map((r) => ({ list: r.permissions, holder: `custom role "${r.name}"` }));
  const seenGroups = new Set<string>();
  for (const m of draft.members) {
    if (m.grants.items.length === 0) continue;
    if (m.group !== undefined) {
      if (seenGroups.has(m.group)) continue;
      seenGroups.add(m.group);
    }
    lists.push({ list: m.grants, role: m.role, holder: m.group === undefined ? `"${m.email}"` : `group "${m.group}"` });
  }
  return lists;
}

/** eachItem calls `check` for every string item of every written list and collects its findings. */
function eachItem(draft: Draft, check: (value: string, w: WrittenList, index: number) => Finding | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const w of writtenLists(draft)) {
    const items = w.list.items;
    for (let i = 0; i < items.length; i++) {
      const value = items[i];
      if (value === null || value === undefined) continue;
      const f = check(value, w, i);
      if (f) findings.push(f);
    }
  }
  return findings;
}

/** itemPath is the YAML path of item `i` of a written list (built only for findings). */
function itemPath(w: WrittenList, i: number): YamlPath {
  return [...w.list.path, i];
}

/** unknownPermission (`unknown-permission`): every permission is a catalog id; suggests the closest one. */
export const unknownPermission: Rule = (draft) =>
  eachItem(draft, (p, w, i) =>
    isPermission(p) ? undefined : error("unknown-permission", itemPath(w, i), `"${p}" is not a permission${didYouMean(p, PERMISSION_IDS)}`),
  );

/** ownerOnlyPermission (`owner-only-permission`): billing:manage and ownership:transfer are never granted nor put in a custom role. */
export const ownerOnlyPermission: Rule = (draft) =>
  eachItem(draft, (p, w, i) =>
    (OWNER_ONLY_PERMISSIONS as readonly string[]).includes(p)
      ? error("owner-only-permission", itemPath(w, i), `"${p}" belongs to the owner alone and cannot be given to ${w.holder}`)
      : undefined,
  );

/** redundantPermission (`redundant-permission`, warning): a grant the member's (or group's) role already includes. */
export const redundantPermission: Rule = (draft) => {
  const rolePermissions = rolePermissionMap(draft);
  return eachItem(draft, (p, w, i) => {
    const included = w.role === undefined ? undefined : rolePermissions.get(w.role);
    return included && isPermission(p) && included.has(p)
      ? warning("redundant-permission", itemPath(w, i), `"${p}" is already part of role "${w.role}"; the grant has no effect`)
      : undefined;
  });
};

/** duplicatePermission (`duplicate-permission`, warning): a permission listed twice in one list. */
export const duplicatePermission: Rule = (draft) =>
  eachItem(draft, (p, w, i) =>
    w.list.items.indexOf(p) < i ? warning("duplicate-permission", itemPath(w, i), `"${p}" is listed twice for ${w.holder}`) : undefined,
  );

/** rolePermissionMap maps every role name the file can use (built-in and custom) to its catalog permissions. */
export function rolePermissionMap(draft: Draft): Map<string, Set<Permission>> {
  const map = new Map<string, Set<Permission>>();
  for (const [name, role] of Object.entries(BUILT_IN_ROLES)) map.set(name, new Set(role.permissions));
  for (const r of draft.roles) {
    if (isBuiltInRole(r.name)) continue;
    map.set(r.name, new Set(r.permissions.items.filter((p): p is Permission => p !== null && isPermission(p))));
  }
  return map;
}
