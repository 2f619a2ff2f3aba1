// Presentation helpers shared by the views: timestamps, badges, permission lists.
import { h } from "./dom.js";

/** ADMIN_PERMISSION marks an admin (schema/catalog.ts ADMIN_PERMISSION). */
export const ADMIN_PERMISSION = "access:manage";

/** OWNER_ONLY_PERMISSIONS can never be granted (schema/catalog.ts). */
export const OWNER_ONLY_PERMISSIONS = ["billing:manage", "ownership:transfer"];

const STATUS_LABELS = { pending: "Pending", accepted: "Accepted", expired: "Expired", revoked: "Revoked" };

/** time renders an ISO timestamp as "2026-11-27 22:05 UTC" in a <time> element (the full value on hover). */
export function time(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h("span", {}, iso);
  const text = `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return h("time", { datetime: d.toISOString(), title: d.toISOString() }, text);
}

/** statusBadge renders an invitation status as a coloured badge with its word (colour is never the only cue). */
export function statusBadge(status) {
  return h("span", { class: `badge badge-${status}` }, STATUS_LABELS[status] ?? status);
}

/** roleBadge renders a role name. */
export function roleBadge(role) {
  return h("span", { class: `role role-${role === "owner" || role === "account-admin" || role === "developer" ? role : "custom"}` }, role);
}

/** permissionList renders permission ids as chips, or a dash for none. */
export function permissionList(permissions, { empty = "—" } = {}) {
  if (!permissions?.length) return h("span", { class: "muted" }, empty);
  return h("ul", { class: "chips" }, permissions.map((p) => h("li", { class: "chip" }, h("code", {}, p))));
}

/** sortByCatalog orders permission ids like the catalog does; unknown ids last. */
export function sortByCatalog(ids, catalog) {
  const rank = new Map(catalog.map((p, i) => [p.id, i]));
  return [...new Set(ids)].sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9) || a.localeCompare(b));
}

/** diffPermissions returns what moving from `before` to `after` gains and loses. */
export function diffPermissions(before, after) {
  const b = new Set(before);
  const a = new Set(after);
  return { gained: [...a].filter((p) => !b.has(p)), lost: [...b].filter((p) => !a.has(p)) };
}

/** isAdmin tells whether a member's effective permissions make it an admin. */
export function isAdmin(member) {
  return (member.effectivePermissions ?? []).includes(ADMIN_PERMISSION);
}
