// Roles and capabilities: built-in and custom roles as a permission matrix, so a
// reviewer sees at a glance what each role may do.
import { h, replace } from "./dom.js";
import { roleBadge } from "./format.js";

/** renderRoles fills `view` with the roles × permissions matrix. */
export async function renderRoles(view, ctx) {
  const roles = await ctx.api.roles();
  const ordered = [...roles.filter((r) => r.builtIn), ...roles.filter((r) => !r.builtIn).sort((a, b) => a.name.localeCompare(b.name))];
  const cell = (role, p) => {
    const has = role.permissions.includes(p.id);
    return h("td", { class: has ? "yes" : "no" }, h("span", { "aria-hidden": "true" }, has ? "✓" : "·"), h("span", { class: "visually-hidden" }, has ? `${role.name} may ${p.description}` : `${role.name} may not`));
  };
  replace(
    view,
    h("h1", { tabindex: -1 }, "Roles and capabilities"),
    h("p", { class: "lead" }, "Each member holds one role, plus any extra permissions granted to them. Columns are roles; rows are permissions."),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "matrix" },
        h("caption", { class: "visually-hidden" }, "Permissions of each role"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Permission"),
            ordered.map((r) => h("th", { scope: "col", title: r.description }, roleBadge(r.name), h("div", { class: "muted small" }, r.builtIn ? "built-in" : "custom"))),
          ),
        ),
        h(
          "tbody",
          {},
          ctx.catalog.map((p) => h("tr", {}, h("th", { scope: "row" }, h("code", {}, p.id), h("div", { class: "muted small" }, p.description)), ordered.map((r) => cell(r, p)))),
          h("tr", { class: "totals" }, h("th", { scope: "row" }, "Permissions held"), ordered.map((r) => h("td", { class: "num" }, String(r.permissions.length)))),
        ),
      ),
    ),
    h(
      "dl",
      { class: "role-descriptions" },
      ordered.map((r) => [h("dt", {}, roleBadge(r.name), r.builtIn ? null : h("span", { class: "muted small" }, " custom")), h("dd", {}, r.description || h("span", { class: "muted" }, "No description."))]),
    ),
  );
}
