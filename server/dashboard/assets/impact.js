// @ts-check
// What an access change does to the people it touches: effective permissions (the role's
// plus the extra grants), and the gains and losses of each holder, high-risk gains marked.
// The Manage dialog (one member) and the role editor (every holder of a role) share it.
import { cell, emailText, h } from "./dom.js";
import { effective, liveRoleTable, toAccess } from "@core/reconciler/permissions.js";
import { diffPermissions, liveStatus, permissionList, permissionsWhere } from "./format.js";

/**
 * effectivePermissions is what a holder of `roleName` with the extra grants `extra` may do (role ∪ extras, catalog order): the engine's `effective` over `roles` as GET /roles reads.
 * @param {any} roles
 * @param {string} roleName
 * @param {any} extra
 */
export function effectivePermissions(roles, roleName, extra) {
  return effective(toAccess(roleName, extra ?? []), liveRoleTable(roles));
}

/**
 * accessChangeSentence states what an update of a role and extra permissions changed, from
 * `before` to `next` ({ role, permissions }): "role developer → account-admin; extra
 * permissions +logs:read". A change of extras alone names no role.
 * @param {any} before
 * @param {any} next
 */
export function accessChangeSentence(before, next) {
  const parts = [];
  if (before.role !== next.role) parts.push(`role ${before.role} → ${next.role}`);
  const { gained, lost } = diffPermissions(before.permissions ?? [], next.permissions);
  if (gained.length || lost.length) parts.push(`extra permissions ${[...gained.map((p) => `+${p}`), ...lost.map((p) => `−${p}`)].join(" ")}`);
  return parts.join("; ") || "nothing changed";
}

/**
 * highRisk lists the catalog's admin and review-high-risk permissions (the flags GET /permissions serves).
 * @param {any} catalog
 */
export function highRisk(catalog) {
  return new Set([...permissionsWhere(catalog, "admin"), ...permissionsWhere(catalog, "reviewHighRisk")]);
}

/**
 * gainList renders gained permissions as chips, each high-risk one marked in words ("high risk"), not by colour alone.
 * @param {any} gained
 * @param {any} catalog
 */
export function gainList(gained, catalog, { empty = "nothing" } = {}) {
  if (!gained.length) return h("span", { class: "muted" }, empty);
  const risky = highRisk(catalog);
  return h(
    "ul",
    { class: "chips" },
    gained.map((/** @type {any} */ p) => h("li", { class: risky.has(p) ? "chip chip-risk" : "chip", dataset: { permission: p } }, h("code", {}, p), risky.has(p) ? h("strong", { class: "risk" }, " high risk") : null)),
  );
}

/**
 * roleHolders is who holds `roleName`: its members and its pending invitations (status as the
 * server decides at read time), each with its effective permissions now.
 * @param {string} roleName
 * @param {any} members
 * @param {any} invitations
 * @param {any} roles
 * @param {any} catalog
 */
export function roleHolders(roleName, members, invitations, roles, catalog, now = Date.now()) {
  return [
    ...members.filter((/** @type {any} */ m) => m.role === roleName).map((/** @type {any} */ m) => ({ kind: "member", email: m.email, role: m.role, permissions: m.permissions, before: m.effectivePermissions })),
    ...invitations
      .filter((/** @type {any} */ i) => i.role === roleName && liveStatus(i, now) === "pending")
      .map((/** @type {any} */ i) => ({ kind: "invitation", email: i.email, role: i.role, permissions: i.permissions, before: effectivePermissions(roles, i.role, i.permissions) })),
  ];
}

/**
 * roleImpact is, for each holder of the role `name`, its gains and losses once the role gives
 * `permissions` (every other role as `roles` reads): the role editor's confirmation.
 * @param {string} name
 * @param {any} permissions
 * @param {any} holders
 * @param {any} roles
 */
export function roleImpact(name, permissions, holders, roles) {
  const next = [...roles.filter((/** @type {any} */ r) => r.name !== name), { name, permissions, builtIn: false }];
  return holders.map((/** @type {any} */ holder) => ({ ...holder, ...diffPermissions(holder.before, effectivePermissions(next, name, holder.permissions)) }));
}

/**
 * impactTable names each holder (member or pending invitation) with what it gains and loses.
 * @param {any} impact
 * @param {any} catalog
 */
export function impactTable(impact, catalog) {
  return h(
    "div",
    { class: "table-wrap", role: "region", "aria-label": "Who this changes", tabindex: 0 },
    h(
      "table",
      { class: "data impact" },
      h("caption", { class: "visually-hidden" }, "Each holder of the role and what they gain and lose"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Holder"), h("th", { scope: "col" }, "Gains"), h("th", { scope: "col" }, "Loses"))),
      h(
        "tbody",
        {},
        impact.map((/** @type {any} */ x) =>
          h(
            "tr",
            { dataset: { holder: x.email } },
            cell("Holder", [emailText(x.email), h("span", { class: "muted small" }, x.kind === "member" ? " (member)" : " (pending invitation)")]),
            cell("Gains", [gainList(x.gained, catalog)]),
            cell("Loses", [permissionList(x.lost, { empty: "nothing" })]),
          ),
        ),
      ),
    ),
  );
}
