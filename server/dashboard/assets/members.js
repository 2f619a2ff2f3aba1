// @ts-check
// Members: the active members with counts, filters and sorting (kept in the URL), when
// each last used their access and through what, effective permissions and details on
// expand, and (for holders of access:manage) Manage, Remove and a link to the member's
// access history.
import { isInternal, normalizeDomains } from "@core/reconciler/review/assemble.js";
import { sortPermissions } from "@core/schema/order.js";
import { describeFailure } from "./api.js";
import { confirmAction, openDialog } from "./dialogs.js";
import { cell, emailText, guarded, h, replace, announce, scrollRegion } from "./dom.js";
import { accessEnd, historyLink, inactiveFor, INACTIVE_DAYS, isAdmin, lastActive, liveStatus, permissionList, permissionsWhere, roleBadge, time } from "./format.js";
import { visibleIdentity as visible } from "./identity.js";
import { manageMember } from "./manage.js";
import { sponsorButtons, sponsoredBy, sponsoredSection, withSponsorChoice } from "./sponsors.js";
import { readQuery, writeQuery } from "./state.js";
import { disclosureButton, pagedLoader, readSort, sortHeader, sortRows } from "./table.js";
import { managedLabel, managedWarning } from "./managed.js";

const COMPARATORS = {
  email: (/** @type {any} */ a, /** @type {any} */ b) => a.email.localeCompare(b.email),
  role: (/** @type {any} */ a, /** @type {any} */ b) => a.role.localeCompare(b.role),
  joined: (/** @type {any} */ a, /** @type {any} */ b) => a.joinedAt.localeCompare(b.joinedAt),
  active: (/** @type {any} */ a, /** @type {any} */ b) => (a.lastActiveAt ?? "").localeCompare(b.lastActiveAt ?? ""),
};

/**
 * domainList reads company domains typed as "acme.io, acme.com" (or kept in the URL) as the review compares them (normalizeDomains).
 * @param {string} text
 */
export function domainList(text) {
  return normalizeDomains(String(text ?? "").split(/[\s,]+/));
}

/**
 * isExternal tells whether `email` is outside the company `domains`: the review's rule (isInternal, docs/review.md).
 * @param {string} email
 * @param {any} domains
 */
export function isExternal(email, domains) {
  return !isInternal(email.toLowerCase(), domains);
}

const DEFAULT_SORT = { key: "email", dir: "asc" };
const SERVER_SORTS = new Set(["email", "role", "joined"]);

/**
 * serverSort is the list's `sort` parameter for a table sort the server can do ("" for last activity, which orders the page shown).
 * @param {any} sort
 */
function serverSort(sort) {
  return SERVER_SORTS.has(sort.key) ? `${sort.dir === "desc" ? "-" : ""}${sort.key}` : "";
}

/**
 * companyDomains is the company domains the Members filter uses: the URL's `domains=`, else the signed-in member's own domain.
 * @param {any} query
 * @param {any} ctx
 */
function companyDomains(query, ctx) {
  return query.get("domains") ?? ctx.me.email.slice(ctx.me.email.lastIndexOf("@") + 1);
}

/**
 * serverFilters is the list query the server answers for the page's filters (docs/api.md "Searching lists"): search, role, inactivity, admins and outside the company domains.
 * @param {any} state
 */
function serverFilters(state) {
  const domains = domainList(state.domains);
  return { q: state.q.trim(), role: state.role, inactiveFor: state.inactive ? `${INACTIVE_DAYS}d` : "", admin: state.admin ? "true" : "", external: state.external && domains.length > 0 ? domains.join(",") : "" };
}

/** PAGE_SIZE is how many members one page of the table shows (the server pages and searches; docs/api.md). */
const PAGE_SIZE = 100;
/** SEARCH_DEBOUNCE_MS is how long typing must pause before the search asks the server (one request per pause). */
export const SEARCH_DEBOUNCE_MS = 120;

/**
 * renderMembers fills `view` with the Members page; its filters, sort and expanded rows come
 * from the URL. The server searches and pages: only the visible page is read and drawn, and
 * the counts come from the lists' `total`, so 10,000 members cost a handful of requests.
 * @param {HTMLElement} view
 * @param {any} ctx
 */
export async function renderMembers(view, ctx) {
  const query = readQuery();
  const fromUrl = { q: query.get("q") ?? "", role: query.get("role") ?? "", inactive: query.get("inactive") === String(INACTIVE_DAYS), admin: query.get("admin") === "1", external: query.get("external") === "1", domains: companyDomains(query, ctx) };
  const listQuery = (/** @type {any} */ cursor) => ({ limit: PAGE_SIZE, cursor, ...serverFilters(fromUrl), sort: serverSort(readSort(query, Object.keys(COMPARATORS), DEFAULT_SORT)) });
  const [first, everyone, admins, pendingPage, inactivePage] = await Promise.all([
    ctx.api.membersPage(listQuery(null)),
    ctx.api.membersPage({ limit: 1 }),
    ctx.api.membersPage({ limit: 1, admin: true }),
    ctx.api.invitationsPage({ limit: 1000, status: "pending" }),
    ctx.api.membersPage({ limit: 1, inactiveFor: `${INACTIVE_DAYS}d` }),
  ]);
  let members = first.items;
  let matching = first.total;
  const pager = { cursors: [null], index: 0, next: first.nextCursor };
  const invitations = pendingPage.items;
  const state = {
    role: query.get("role") ?? "",
    q: query.get("q") ?? "",
    inactive: query.get("inactive") === String(INACTIVE_DAYS),
    admin: query.get("admin") === "1",
    external: query.get("external") === "1",
    // Company domains: the URL's, else the signed-in member's own domain.
    domains: companyDomains(query, ctx),
    extra: query.get("extra") ?? "",
    sort: readSort(query, Object.keys(COMPARATORS), DEFAULT_SORT),
    open: new Set((query.get("open") ?? "").split(",").filter(Boolean)),
  };
  const save = () => writeQuery({ role: state.role, q: state.q, inactive: state.inactive ? String(INACTIVE_DAYS) : "", admin: state.admin ? "1" : "", external: state.external ? "1" : "", domains: state.external ? domainList(state.domains).join(",") : "", extra: state.extra, sort: state.sort.key === "email" && state.sort.dir === "asc" ? "" : state.sort.key, dir: state.sort.dir === "desc" ? "desc" : "", open: [...state.open] });

  const roleFilter = h("select", { id: "member-role-filter", dataset: { key: "filter:role" } }, h("option", { value: "" }, "All roles"), ctx.roles.map((/** @type {any} */ r) => h("option", { value: r.name, selected: r.name === state.role }, r.name)));
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
    ctx.catalog.map((/** @type {any} */ p) => h("option", { value: p.id, selected: p.id === state.extra }, p.id)),
  );
  const counts = h("ul", { class: "counts", "aria-label": "Counts" });
  const table = h("table", { class: "data members-table" });
  const shown = h("p", { class: "muted", "aria-live": "polite" });

  const draw = () => {
    const now = Date.now();
    const q = state.q.trim().toLowerCase();
    // the server filtered this page (admin, external too); the browser still drops what its own clock or the live state has moved since, and filters by extra permission
    const domains = domainList(state.domains);
    const hasExtra = (/** @type {any} */ m) => (state.extra === "any" ? m.permissions.length > 0 : m.permissions.includes(state.extra));
    const filtered = members.filter(
      (/** @type {any} */ m) =>
        (!state.role || m.role === state.role) &&
        (!q || m.email.toLowerCase().includes(q)) &&
        (!state.inactive || inactiveFor(m, INACTIVE_DAYS, now)) &&
        (!state.admin || isAdmin(m, ctx.catalog)) &&
        (!state.external || isExternal(m.email, domains)) &&
        (!state.extra || hasExtra(m)),
    );
    const owner = filtered.filter((/** @type {any} */ m) => m.role === "owner");
    // the server sorts by e-mail, role or joining over all pages (which rows are on this page); the page is then ordered here too (ties by e-mail), and by last activity only here
    const rows = [...owner, ...sortRows(filtered.filter((/** @type {any} */ m) => m.role !== "owner"), state.sort, COMPARATORS)];
    const expired = invitations.filter((/** @type {any} */ i) => liveStatus(i, now) !== "pending").length;
    replace(
      counts,
      count("Members", everyone.total, "members"),
      count("Admins", admins.total, "admins"),
      count("Pending invitations", pendingPage.total - expired, "pending"),
      count(`Inactive ${INACTIVE_DAYS}+ days`, inactivePage.total, "inactive"),
    );
    const from = pager.index * PAGE_SIZE;
    shown.textContent = matching > PAGE_SIZE
      ? `Showing ${from + 1}–${from + members.length} of ${matching} matching members (of ${everyone.total})${serverSort(state.sort) ? "" : "; last activity orders this page"}.`
      : `Showing ${rows.length} of ${everyone.total} members.`;
    replace(pages, ...pagerButtons());
    // The pending count drops by itself when the next pending invitation expires.
    ctx.wakeAt(Math.min(...invitations.filter((/** @type {any} */ i) => liveStatus(i, now) === "pending").map((/** @type {any} */ i) => Date.parse(i.expiresAt))));
    const onSort = (/** @type {any} */ sort) => {
      state.sort = sort;
      save();
      draw();
      if (serverSort(sort) && matching > PAGE_SIZE) void load(0);
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
  // load asks the server for page `index` of the current filters; an answer overtaken by a newer load is dropped.
  const load = pagedLoader({
    table,
    pager,
    fetchPage: (cursor) => ctx.api.membersPage({ limit: PAGE_SIZE, cursor, ...serverFilters(state), sort: serverSort(state.sort) }),
    show: (/** @type {any} */ page) => {
      members = page.items;
      matching = page.total;
      draw();
    },
  });
  const pages = h("nav", { class: "pager", "aria-label": "Pages of members" });
  const pagerButtons = () =>
    matching > PAGE_SIZE
      ? [
          h("button", { type: "button", class: "btn", disabled: pager.index === 0, dataset: { key: "page:previous" }, onclick: () => load(pager.index - 1) }, "← Previous"),
          h("span", { class: "muted" }, `Page ${pager.index + 1} of ${Math.ceil(matching / PAGE_SIZE)}`),
          h("button", { type: "button", class: "btn", disabled: !pager.next, dataset: { key: "page:next" }, onclick: () => load(pager.index + 1) }, "Next →"),
        ]
      : [];
  pager.cursors[1] = first.nextCursor;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  roleFilter.addEventListener("change", () => { state.role = roleFilter.value; save(); void load(0); });
  // search as you type: one request once typing pauses (SEARCH_DEBOUNCE_MS)
  search.addEventListener("input", () => {
    state.q = search.value;
    save();
    clearTimeout(typing);
    typing = setTimeout(() => void load(0), SEARCH_DEBOUNCE_MS);
  });
  inactiveFilter.addEventListener("change", () => { state.inactive = inactiveFilter.checked; save(); void load(0); });
  adminFilter.addEventListener("change", () => { state.admin = adminFilter.checked; save(); void load(0); });
  extraFilter.addEventListener("change", () => { state.extra = extraFilter.value; save(); draw(); });
  const domainsField = h("div", { class: "field", hidden: !state.external }, h("label", { for: domainsInput.id }, "Company domains"), h("p", { id: "member-domains-hint", class: "hint" }, "Comma-separated; subdomains count as inside."), domainsInput);
  externalFilter.addEventListener("change", () => { state.external = externalFilter.checked; domainsField.hidden = !state.external; save(); void load(0); });
  domainsInput.addEventListener("input", () => { state.domains = domainsInput.value; save(); clearTimeout(typing); typing = setTimeout(() => void load(0), SEARCH_DEBOUNCE_MS); });
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
    pages,
  );
  draw();
}

/**
 * @param {string} label
 * @param {any} value
 * @param {string} key
 */
function count(label, value, key) {
  return h("li", { class: "count", dataset: { count: key } }, h("span", { class: "count-value" }, String(value)), h("span", { class: "count-label" }, label));
}

/**
 * @param {any} m
 * @param {any} ctx
 * @param {any} state
 * @param {number} now
 * @param {any} redraw
 */
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
    cell("E-mail", [toggle, m.email === ctx.me.email ? h("span", { class: "you" }, " (you)") : null, managedLabel(m), accessEnd(m, now)]),
    cell("Role", [roleBadge(m.role)]),
    cell("Extra permissions", [permissionList(m.permissions)]),
    cell("Joined", [time(m.joinedAt, { now })]),
    cell("Last active", lastActive(m, now)),
    actions,
  );
  if (!open) return [row];
  const fromRole = ctx.roles.find((/** @type {any} */ r) => r.name === m.role)?.permissions ?? [];
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
        sortPermissions(m.effectivePermissions).map((p) => h("li", { class: fromRole.includes(p) ? "chip" : "chip chip-extra" }, h("code", {}, p), fromRole.includes(p) ? null : h("span", { class: "small" }, " extra"))),
      ),
    ),
  );
  return [row, detail];
}

/**
 * @param {any} m
 * @param {any} ctx
 */
async function removeMember(m, ctx) {
  // An admin's open invitations need a decision: the confirmation lists them and offers both.
  const sponsored = isAdmin(m, ctx.catalog) ? sponsoredBy(await ctx.api.invitations({ status: "pending,expired" }).catch(() => []), m.email) : [];
  const body = h(
    "div",
    {},
    h("p", {}, emailText(m.email), ` loses access to the workspace ${ctx.api.workspace} immediately. This cannot be undone; they would need a new invitation.`),
    h("p", {}, "Loses: ", permissionList(m.effectivePermissions)),
    managedWarning(m),
    sponsored.length > 0 ? sponsoredSection(sponsored) : null,
  );
  const title = `Remove ${visible(m.email)}?`;
  /** @type {string | undefined} */
  let choice;
  if (sponsored.length > 0) {
    choice = await openDialog({ title, body, buttons: sponsorButtons("Remove") });
    if (choice !== "transfer" && choice !== "revoke") return;
  } else if (!(await confirmAction({ title, body, confirmLabel: "Remove member", danger: true }))) return;
  try {
    const done = await withSponsorChoice((/** @type {any} */ c) => ctx.api.removeMember(m, c ?? choice), {
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
