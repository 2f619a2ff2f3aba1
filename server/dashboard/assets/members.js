// Members: the active members with counts, filters and sorting (kept in the URL), when
// each last used their access and through what, effective permissions and details on
// expand, and (for holders of access:manage) Manage, Remove and a link to the member's
// access history.
import { describeFailure } from "./api.js";
import { confirmAction, openDialog } from "./dialogs.js";
import { cell, emailText, guarded, h, replace, announce, scrollRegion } from "./dom.js";
import { historyLink, inactiveFor, INACTIVE_DAYS, isAdmin, lastActive, liveStatus, permissionList, permissionsWhere, roleBadge, sortByCatalog, time } from "./format.js";
import { visibleIdentity as visible } from "./identity.js";
import { manageMember } from "./manage.js";
import { sponsorButtons, sponsoredBy, sponsoredSection, withSponsorChoice } from "./sponsors.js";
import { readQuery, writeQuery } from "./state.js";
import { disclosureButton, readSort, sortHeader, sortRows } from "./table.js";
import { managedLabel, managedWarning } from "./managed.js";

const COMPARATORS = {
  email: (a, b) => a.email.localeCompare(b.email),
  role: (a, b) => a.role.localeCompare(b.role),
  joined: (a, b) => a.joinedAt.localeCompare(b.joinedAt),
  active: (a, b) => (a.lastActiveAt ?? "").localeCompare(b.lastActiveAt ?? ""),
};

/** domainList reads company domains typed as "acme.io, acme.com" (or kept in the URL): lower-case, without "@" or blanks. */
export function domainList(text) {
  return [...new Set(String(text ?? "").split(/[\s,]+/).map((d) => d.trim().replace(/^@/, "").toLowerCase()).filter(Boolean))];
}

/** isExternal tells whether `email` is outside the company `domains`: its domain is none of them nor a subdomain of one (the review's rule, docs/review.md). */
export function isExternal(email, domains) {
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return !domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/** renderMembers fills `view` with the Members page; its filters, sort and expanded rows come from the URL. */
export async function renderMembers(view, ctx) {
  const [members, invitations] = await Promise.all([ctx.api.members(), ctx.api.invitations()]);
  const query = readQuery();
  const state = {
    role: query.get("role") ?? "",
    q: query.get("q") ?? "",
    inactive: query.get("inactive") === String(INACTIVE_DAYS),
    admin: query.get("admin") === "1",
    external: query.get("external") === "1",
    // Company domains: the URL's, else the signed-in member's own domain.
    domains: query.get("domains") ?? ctx.me.email.slice(ctx.me.email.lastIndexOf("@") + 1),
    extra: query.get("extra") ?? "",
    sort: readSort(query, Object.keys(COMPARATORS), { key: "email", dir: "asc" }),
    open: new Set((query.get("open") ?? "").split(",").filter(Boolean)),
  };
  const save = () => writeQuery({ role: state.role, q: state.q, inactive: state.inactive ? String(INACTIVE_DAYS) : "", admin: state.admin ? "1" : "", external: state.external ? "1" : "", domains: state.external ? domainList(state.domains).join(",") : "", extra: state.extra, sort: state.sort.key === "email" && state.sort.dir === "asc" ? "" : state.sort.key, dir: state.sort.dir === "desc" ? "desc" : "", open: [...state.open] });

  const roleFilter = h("select", { id: "member-role-filter", dataset: { key: "filter:role" } }, h("option", { value: "" }, "All roles"), ctx.roles.map((r) => h("option", { value: r.name, selected: r.name === state.role }, r.name)));
  const search = h("input", { id: "member-search", type: "search", placeholder: "e-mail contains…", autocomplete: "off", value: state.q, dataset: { key: "filter:q" } });
  const inactiveFilter = h("input", { id: "member-inactive-filter", type: "checkbox", checked: state.inactive, dataset: { key: "filter:inactive" } });
  const adminFilter = h("input", { id: "member-admin-filter", type: "checkbox", checked: state.admin, dataset: { key: "filter:admin" } });
  const externalFilter = h("input", { id: "member-external-filter", type: "checkbox", checked: state.external, dataset: { key: "filter:external" } });
  const domainsInput = h("input", { id: "member-domains", autocomplete: "off", spellcheck: "false", value: state.domains, dataset: { key: "filter:domains" }, "aria-describedby": "member-domains-hint" });
  const extraFilter = h(
    "select",
    { id: "member-extra-filter", dataset: { key: "filter:extra" } },
    h("option", { value: "" }, "Any"),
    h("option", { value: "any", selected: state.extra === "any" }, "Some extra permission"),
    ctx.catalog.map((p) => h("option", { value: p.id, selected: p.id === state.extra }, p.id)),
  );
  const counts = h("ul", { class: "counts", "aria-label": "Counts" });
  const table = h("table", { class: "data members-table" });
  const shown = h("p", { class: "muted", "aria-live": "polite" });

  const draw = () => {
    const now = Date.now();
    const q = state.q.trim().toLowerCase();
    const domains = domainList(state.domains);
    const hasExtra = (m) => (state.extra === "any" ? m.permissions.length > 0 : m.permissions.includes(state.extra));
    const filtered = members.filter(
      (m) =>
        (!state.role || m.role === state.role) &&
        (!q || m.email.toLowerCase().includes(q)) &&
        (!state.inactive || inactiveFor(m, INACTIVE_DAYS, now)) &&
        (!state.admin || isAdmin(m, ctx.catalog)) &&
        (!state.external || isExternal(m.email, domains)) &&
        (!state.extra || hasExtra(m)),
    );
    const owner = filtered.filter((m) => m.role === "owner");
    const rows = [...owner, ...sortRows(filtered.filter((m) => m.role !== "owner"), state.sort, COMPARATORS)];
    replace(
      counts,
      count("Members", members.length, "members"),
      count("Admins", members.filter((m) => isAdmin(m, ctx.catalog)).length, "admins"),
      count("Pending invitations", invitations.filter((i) => liveStatus(i, now) === "pending").length, "pending"),
      count(`Inactive ${INACTIVE_DAYS}+ days`, members.filter((m) => inactiveFor(m, INACTIVE_DAYS, now)).length, "inactive"),
    );
    shown.textContent = `Showing ${rows.length} of ${members.length} members.`;
    // The pending count drops by itself when the next pending invitation expires.
    ctx.wakeAt(Math.min(...invitations.filter((i) => liveStatus(i, now) === "pending").map((i) => Date.parse(i.expiresAt))));
    const onSort = (sort) => {
      state.sort = sort;
      save();
      draw();
      table.querySelector(`[data-key="sort:${sort.key}"]`)?.focus();
    };
    replace(
      table,
      h("caption", { class: "visually-hidden" }, "Active members. Expand an e-mail to see who invited them and their effective permissions."),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          sortHeader("E-mail", "email", state.sort, onSort),
          sortHeader("Role", "role", state.sort, onSort),
          sortHeader("Extra permissions", null, state.sort, onSort),
          sortHeader("Joined", "joined", state.sort, onSort),
          sortHeader("Last active", "active", state.sort, onSort),
          ctx.canManage ? sortHeader("Actions", null, state.sort, onSort, { class: "actions" }) : null,
        ),
      ),
      h("tbody", {}, rows.length ? rows.flatMap((m) => memberRows(m, ctx, state, now, () => { save(); draw(); })) : h("tr", {}, h("td", { colspan: ctx.canManage ? 6 : 5, class: "empty" }, "No member matches these filters."))),
    );
  };
  roleFilter.addEventListener("change", () => { state.role = roleFilter.value; save(); draw(); });
  search.addEventListener("input", () => { state.q = search.value; save(); draw(); });
  inactiveFilter.addEventListener("change", () => { state.inactive = inactiveFilter.checked; save(); draw(); });
  adminFilter.addEventListener("change", () => { state.admin = adminFilter.checked; save(); draw(); });
  extraFilter.addEventListener("change", () => { state.extra = extraFilter.value; save(); draw(); });
  const domainsField = h("div", { class: "field", hidden: !state.external }, h("label", { for: domainsInput.id }, "Company domains"), h("p", { id: "member-domains-hint", class: "hint" }, "Comma-separated; subdomains count as inside."), domainsInput);
  externalFilter.addEventListener("change", () => { state.external = externalFilter.checked; domainsField.hidden = !state.external; save(); draw(); });
  domainsInput.addEventListener("input", () => { state.domains = domainsInput.value; save(); draw(); });
  ctx.tick = draw;

  replace(
    view,
    h("h1", { tabindex: -1 }, "Members"),
    counts,
    h(
      "div",
      { class: "filters", role: "search", "aria-label": "Filter members" },
      h("div", { class: "field" }, h("label", { for: roleFilter.id }, "Role"), roleFilter),
      h("div", { class: "field grow" }, h("label", { for: search.id }, "Search"), search),
      h("div", { class: "field" }, h("label", { for: extraFilter.id }, "Extra permission"), extraFilter),
      h("div", { class: "field check" }, inactiveFilter, h("label", { for: inactiveFilter.id }, `Inactive ${INACTIVE_DAYS}+ days`)),
      h("div", { class: "field check" }, adminFilter, h("label", { for: adminFilter.id }, `Admins (hold ${permissionsWhere(ctx.catalog, "admin").join(" or ")})`)),
      h("div", { class: "field check" }, externalFilter, h("label", { for: externalFilter.id }, "Outside the company domains")),
      domainsField,
    ),
    shown,
    scrollRegion("Members table", table),
  );
  draw();
}

function count(label, value, key) {
  return h("li", { class: "count", dataset: { count: key } }, h("span", { class: "count-value" }, String(value)), h("span", { class: "count-label" }, label));
}

function memberRows(m, ctx, state, now, redraw) {
  const open = state.open.has(m.email);
  const detailId = `member-detail-${m.id}`;
  const toggle = disclosureButton({
    email: m.email,
    open,
    detailId,
    toggle: () => (open ? state.open.delete(m.email) : state.open.add(m.email)),
    redraw,
  });
  const actions =
    ctx.canManage && m.role !== "owner"
      ? cell(
          "Actions",
          [
            h("button", { type: "button", class: "btn btn-small", "aria-label": `Manage ${m.email}`, dataset: { key: `manage:${m.email}` }, onclick: guarded(() => manageMember(m, ctx)) }, "Manage"),
            h("button", { type: "button", class: "btn btn-small btn-danger-outline", "aria-label": `Remove ${m.email}`, dataset: { key: `remove:${m.email}` }, onclick: guarded(() => removeMember(m, ctx)) }, "Remove"),
            historyLink(m.email),
          ],
          { class: "actions" },
        )
      : ctx.canManage
        ? cell("Actions", [h("span", { class: "muted" }, "Owner"), historyLink(m.email)], { class: "actions" })
        : null;
  const row = h(
    "tr",
    { dataset: { email: m.email } },
    cell("E-mail", [toggle, m.email === ctx.me.email ? h("span", { class: "you" }, " (you)") : null, managedLabel(m)]),
    cell("Role", [roleBadge(m.role)]),
    cell("Extra permissions", [permissionList(m.permissions)]),
    cell("Joined", [time(m.joinedAt, { now })]),
    cell("Last active", lastActive(m, now)),
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
      h("p", {}, "Invited by ", m.invitedBy ? emailText(m.invitedBy) : "nobody (the owner created the workspace)", "."),
      h("p", {}, h("strong", {}, `Effective permissions`), ` (${m.effectivePermissions.length}): the ${m.role} role's, plus the extra ones (marked extra).`),
      h(
        "ul",
        { class: "chips" },
        sortByCatalog(m.effectivePermissions, ctx.catalog).map((p) => h("li", { class: fromRole.includes(p) ? "chip" : "chip chip-extra" }, h("code", {}, p), fromRole.includes(p) ? null : h("span", { class: "small" }, " extra"))),
      ),
    ),
  );
  return [row, detail];
}

async function removeMember(m, ctx) {
  // An admin's open invitations need a decision: the confirmation lists them and offers both.
  const sponsored = isAdmin(m, ctx.catalog) ? sponsoredBy(await ctx.api.invitations().catch(() => []), m.email) : [];
  const body = h(
    "div",
    {},
    h("p", {}, emailText(m.email), ` loses access to the workspace ${ctx.api.workspace} immediately. This cannot be undone; they would need a new invitation.`),
    h("p", {}, "Loses: ", permissionList(m.effectivePermissions)),
    managedWarning(m),
    sponsored.length > 0 ? sponsoredSection(sponsored) : null,
  );
  const title = `Remove ${visible(m.email)}?`;
  let choice;
  if (sponsored.length > 0) {
    choice = await openDialog({ title, body, buttons: sponsorButtons("Remove") });
    if (choice !== "transfer" && choice !== "revoke") return;
  } else if (!(await confirmAction({ title, body, confirmLabel: "Remove member", danger: true }))) return;
  try {
    const done = await withSponsorChoice((c) => ctx.api.removeMember(m, c ?? choice), {
      title,
      lead: `${m.email} sponsors invitations sent since this page was read.`,
      verb: "Remove",
    });
    if (done.cancelled) return;
    announce(`Removed ${m.email}.`);
  } catch (err) {
    announce(describeFailure(err, m.email), "error");
  }
  ctx.rerender({ focus: [`remove:${m.email}`, "filter:q"] });
}
