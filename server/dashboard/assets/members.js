// Members: the active members with counts, filters, effective permissions on expand,
// and (for members holding access:manage) Manage access: edit role and permissions, remove.
import { describeFailure } from "./api.js";
import { confirmAction, openDialog } from "./dialogs.js";
import { cell, h, replace, announce } from "./dom.js";
import { field, permissionPicker, roleSelect, setFieldError } from "./fields.js";
import { diffPermissions, isAdmin, permissionList, roleBadge, sortByCatalog, time } from "./format.js";
import { visibleIdentity as shown } from "./identity.js";

/** renderMembers fills `view` with the Members page. */
export async function renderMembers(view, ctx) {
  const [members, invitations] = await Promise.all([ctx.api.members(), ctx.api.invitations()]);
  const pending = invitations.filter((i) => i.status === "pending").length;
  const expanded = new Set();

  const roleFilter = h("select", { id: "member-role-filter" }, h("option", { value: "" }, "All roles"), ctx.roles.map((r) => h("option", { value: r.name }, r.name)));
  const search = h("input", { id: "member-search", type: "search", placeholder: "email contains…", autocomplete: "off" });
  const tbody = h("tbody");
  const shown = h("p", { class: "muted", "aria-live": "polite" });

  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const rows = members
      .filter((m) => !roleFilter.value || m.role === roleFilter.value)
      .filter((m) => !q || m.email.toLowerCase().includes(q))
      .sort((a, b) => (a.role === "owner" ? -1 : b.role === "owner" ? 1 : a.email.localeCompare(b.email)));
    shown.textContent = `Showing ${rows.length} of ${members.length} members.`;
    replace(tbody, rows.length ? rows.flatMap((m) => memberRows(m, ctx, expanded, draw)) : h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No member matches these filters.")));
  };
  roleFilter.addEventListener("change", draw);
  search.addEventListener("input", draw);

  replace(
    view,
    h("h1", { tabindex: -1 }, "Members"),
    h(
      "ul",
      { class: "counts", "aria-label": "Counts" },
      count("Members", members.length, "members"),
      count("Admins", members.filter(isAdmin).length, "admins"),
      count("Pending invitations", pending, "pending"),
    ),
    h(
      "div",
      { class: "filters", role: "search", "aria-label": "Filter members" },
      h("div", { class: "field" }, h("label", { for: roleFilter.id }, "Role"), roleFilter),
      h("div", { class: "field grow" }, h("label", { for: search.id }, "Search"), search),
    ),
    shown,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "data members-table" },
        h("caption", { class: "visually-hidden" }, "Active members. Expand an email to see the member's effective permissions."),
        h("thead", {}, h("tr", {}, ["Email", "Role", "Extra permissions", "Joined", "Invited by", ctx.canManage ? "Actions" : null].filter(Boolean).map((t) => h("th", { scope: "col" }, t)))),
        tbody,
      ),
    ),
  );
  draw();
}

function count(label, value, key) {
  return h("li", { class: "count", dataset: { count: key } }, h("span", { class: "count-value" }, String(value)), h("span", { class: "count-label" }, label));
}

function memberRows(m, ctx, expanded, redraw) {
  const open = expanded.has(m.id);
  const detailId = `member-detail-${m.id}`;
  const toggle = h(
    "button",
    {
      type: "button",
      class: "disclosure",
      "aria-expanded": String(open),
      "aria-controls": detailId,
      title: "Show effective permissions",
      onclick: () => {
        open ? expanded.delete(m.id) : expanded.add(m.id);
        redraw();
        document.querySelector(`[aria-controls="${CSS.escape(detailId)}"]`)?.focus();
      },
    },
    h("span", { class: "caret", "aria-hidden": "true" }, open ? "▾" : "▸"),
    shown(m.email),
  );
  const actions =
    ctx.canManage && m.role !== "owner"
      ? cell(
          "Actions",
          [
            h("button", { type: "button", class: "btn btn-small", "aria-label": `Manage ${shown(m.email)}`, onclick: () => manageMember(m, ctx) }, "Manage"),
            h("button", { type: "button", class: "btn btn-small btn-danger-outline", "aria-label": `Remove ${shown(m.email)}`, onclick: () => removeMember(m, ctx) }, "Remove"),
          ],
          { class: "actions" },
        )
      : ctx.canManage
        ? cell("Actions", ["Owner"], { class: "actions muted" })
        : null;
  const row = h(
    "tr",
    { dataset: { email: m.email } },
    cell("Email", [toggle, m.email === ctx.me.email ? h("span", { class: "you" }, " (you)") : null]),
    cell("Role", [roleBadge(m.role)]),
    cell("Extra permissions", [permissionList(m.permissions)]),
    cell("Joined", [time(m.joinedAt)]),
    cell("Invited by", [m.invitedBy ? shown(m.invitedBy) : h("span", { class: "muted" }, "—")]),
    actions,
  );
  if (!open) return [row];
  const fromRole = ctx.roles.find((r) => r.name === m.role)?.permissions ?? [];
  const detail = h(
    "tr",
    { class: "detail", id: detailId },
    h(
      "td",
      { colspan: ctx.canManage ? 6 : 5 },
      h("p", {}, h("strong", {}, `Effective permissions of ${shown(m.email)}`), ` (${m.effectivePermissions.length}): the ${m.role} role's permissions plus the extra ones.`),
      h(
        "ul",
        { class: "chips" },
        sortByCatalog(m.effectivePermissions, ctx.catalog).map((p) => h("li", { class: fromRole.includes(p) ? "chip" : "chip chip-extra" }, h("code", {}, p), fromRole.includes(p) ? null : h("span", { class: "visually-hidden" }, " (extra)"))),
      ),
    ),
  );
  return [row, detail];
}

function effective(ctx, role, extra) {
  const fromRole = ctx.roles.find((r) => r.name === role)?.permissions ?? [];
  return sortByCatalog([...fromRole, ...extra], ctx.catalog);
}

function changeSummary(ctx, m, role, extra) {
  const { gained, lost } = diffPermissions(m.effectivePermissions, effective(ctx, role, extra));
  return h(
    "div",
    {},
    h("p", {}, role === m.role ? `${shown(m.email)} keeps the ${m.role} role.` : `${shown(m.email)}: role ${m.role} → ${role}.`),
    h("p", {}, "Gains: ", permissionList(gained, { empty: "nothing" })),
    h("p", {}, "Loses: ", permissionList(lost, { empty: "nothing" })),
  );
}

async function manageMember(m, ctx) {
  const role = field({ label: "Role", control: roleSelect(ctx.roles, m.role) });
  const perms = permissionPicker({ catalog: ctx.catalog, held: ctx.me.effectivePermissions, checked: m.permissions });
  const preview = h("div", { class: "preview", "aria-live": "polite" });
  const update = () => replace(preview, h("p", {}, h("strong", {}, "Effective after the change: ")), permissionList(effective(ctx, role.control.value, perms.value())));
  role.control.addEventListener("change", update);
  perms.onChange(update);
  update();
  const formError = h("p", { class: "form-error", role: "alert", hidden: true });

  const save = async () => {
    const next = { role: role.control.value, permissions: perms.value() };
    const same = next.role === m.role && next.permissions.join() === sortByCatalog(m.permissions, ctx.catalog).join();
    if (same) {
      formError.hidden = false;
      formError.textContent = "Nothing changed.";
      return false;
    }
    const ok = await confirmAction({ title: `Change access of ${shown(m.email)}?`, body: changeSummary(ctx, m, next.role, next.permissions), confirmLabel: "Confirm change" });
    if (!ok) return false;
    try {
      await ctx.api.updateMember(m, next);
      announce(`Updated ${m.email}: role ${next.role}.`);
      return true;
    } catch (err) {
      setFieldError(role, null);
      setFieldError(perms, null);
      const target = String(err.details?.field ?? "").startsWith("permissions") ? perms : err.details?.field === "role" ? role : null;
      if (target) setFieldError(target, err.message);
      formError.hidden = false;
      formError.textContent = describeFailure(err);
      if (err.code === "precondition_failed") ctx.rerender();
      return false;
    }
  };

  const result = await openDialog({
    title: `Manage access of ${shown(m.email)}`,
    body: h("div", { class: "form" }, formError, role.wrapper, perms.wrapper, preview),
    buttons: [
      { label: "Cancel", value: "cancel" },
      { label: "Save changes", value: "save", kind: "primary", beforeClose: save },
    ],
    initialFocus: () => role.control,
  });
  if (result === "save") ctx.rerender();
}

async function removeMember(m, ctx) {
  const body = h(
    "div",
    {},
    h("p", {}, `${shown(m.email)} loses access to the workspace ${ctx.api.workspace} immediately. This cannot be undone; they would need a new invitation.`),
    h("p", {}, "Loses: ", permissionList(m.effectivePermissions)),
  );
  if (!(await confirmAction({ title: `Remove ${shown(m.email)}?`, body, confirmLabel: "Remove member", danger: true }))) return;
  try {
    await ctx.api.removeMember(m);
    announce(`Removed ${m.email}.`);
  } catch (err) {
    announce(describeFailure(err), "error");
  }
  ctx.rerender();
}

