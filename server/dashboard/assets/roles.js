// @ts-check
// Roles and capabilities: built-in and custom roles as a permission matrix (its first
// column pinned, in a focusable scroll region, so it reads on a phone), and the list of
// roles with their holders; holders of access:manage create, edit and delete custom roles.
import { guarded, h, replace, scrollRegion } from "./dom.js";
import { liveStatus, roleBadge } from "./format.js";
import { deleteRole, editRole } from "./role-editor.js";
import { managedLabel } from "./managed.js";

/**
 * renderRoles fills `view` with the matrix and the role list.
 * @param {HTMLElement} view
 * @param {any} ctx
 */
export async function renderRoles(view, ctx) {
  const [roles, members, invitations] = await Promise.all([ctx.api.roles(), ctx.api.members(), ctx.api.invitations()]);
  ctx.roles = roles;
  const now = Date.now();
  const holders = (/** @type {string} */ name) => ({
    members: members.filter((/** @type {any} */ m) => m.role === name).map((/** @type {any} */ m) => m.email),
    invitations: invitations.filter((/** @type {any} */ i) => i.role === name && liveStatus(i, now) === "pending").map((/** @type {any} */ i) => i.email),
  });
  const ordered = [...roles.filter((/** @type {any} */ r) => r.builtIn), ...roles.filter((/** @type {any} */ r) => !r.builtIn).sort((/** @type {any} */ a, /** @type {any} */ b) => a.name.localeCompare(b.name))];
  const cell = (/** @type {any} */ role, /** @type {any} */ p) => {
    const has = role.permissions.includes(p.id);
    return h("td", { class: has ? "yes" : "no" }, h("span", { "aria-hidden": "true" }, has ? "✓" : "·"), h("span", { class: "visually-hidden" }, has ? `${role.name} may ${p.description}` : `${role.name} may not`));
  };
  const matrix = h(
    "table",
    { class: "matrix" },
    h("caption", { class: "visually-hidden" }, "Permissions of each role"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Permission"), ordered.map((r) => h("th", { scope: "col", title: r.description }, roleBadge(r.name), h("div", { class: "muted small" }, r.builtIn ? "built-in" : "custom"))))),
    h(
      "tbody",
      {},
      ctx.catalog.map((/** @type {any} */ p) => h("tr", {}, h("th", { scope: "row" }, h("code", {}, p.id), h("div", { class: "muted small" }, p.description)), ordered.map((r) => cell(r, p)))),
      h("tr", { class: "totals" }, h("th", { scope: "row" }, "Permissions held"), ordered.map((r) => h("td", { class: "num" }, String(r.permissions.length)))),
    ),
  );
  const roleItem = (/** @type {any} */ r) => {
    const who = holders(r.name);
    const count = who.members.length + who.invitations.length;
    return h(
      "li",
      { class: "role-item", dataset: { role: r.name } },
      h("div", { class: "role-head" }, roleBadge(r.name), h("span", { class: "muted small" }, r.builtIn ? " built-in" : " custom"), h("span", { class: "small holders" }, ` · held by ${who.members.length} member(s), ${who.invitations.length} pending invitation(s)`), managedLabel(r)),
      h("p", { class: "role-desc" }, r.description || h("span", { class: "muted" }, "No description.")),
      ctx.canManage && !r.builtIn
        ? h(
            "div",
            { class: "role-actions" },
            h("button", { type: "button", class: "btn btn-small", "aria-label": `Edit the role ${r.name}`, dataset: { key: `edit-role:${r.name}` }, onclick: guarded(() => editRole(r, ctx, who)) }, "Edit"),
            h("button", { type: "button", class: "btn btn-small btn-danger-outline", "aria-label": `Delete the role ${r.name}`, dataset: { key: `delete-role:${r.name}` }, onclick: guarded(() => deleteRole(r, who, ctx)) }, "Delete", count ? h("span", { class: "visually-hidden" }, " (still held)") : null),
          )
        : null,
    );
  };
  replace(
    view,
    h("h1", { tabindex: -1 }, "Roles and capabilities"),
    h("p", { class: "lead" }, "Each member holds one role, plus any extra permissions granted to them. Columns are roles; rows are permissions."),
    ctx.canManage ? h("div", { class: "toolbar" }, h("button", { type: "button", class: "btn btn-primary", dataset: { key: "new-role" }, onclick: guarded(() => editRole(null, ctx)) }, "New custom role")) : null,
    scrollRegion("Roles and permissions matrix", matrix, { class: "table-wrap matrix-wrap" }),
    h("h2", {}, "Roles"),
    h("ul", { class: "role-list" }, ordered.map(roleItem)),
  );
}
