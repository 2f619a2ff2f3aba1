// @ts-check
// Invitations: "Needs attention" (pending + expired) by default or any status, searched
// and paged by the server (docs/api.md "Searching lists"): one page of PAGE_SIZE is read
// and drawn, Previous/Next follow the cursors, and the counts come from the lists' `total`.
// Statuses are derived from expiresAt in the browser too (an invitation that expires while
// the page is open turns Expired on its own). The server keeps its own order (creation),
// so a column sort orders the page shown. Holders of access:manage edit a pending
// invitation, resend or revoke one, or select several of the page shown and resend or
// revoke them together. View, search, role, sort, expanded rows and selection live in the URL.
import { describeFailure } from "./api.js";
import { confirmAction } from "./dialogs.js";
import { cell, emailText, guarded, h, replace, announce, scrollRegion } from "./dom.js";
import { historyLink, liveStatus, permissionList, relative, roleBadge, statusBadge, time } from "./format.js";
import { editInvitation } from "./invitation-edit.js";
import { readQuery, writeQuery } from "./state.js";
import { disclosureButton, pagedLoader, readSort, sortHeader, sortRows } from "./table.js";
import { managedLabel } from "./managed.js";

/**
 * @typedef {import("../../../schema/api.js").Invitation} Invitation
 * @typedef {import("../../../schema/api.js").InvitationStatus} InvitationStatus
 * @typedef {Invitation & { live: InvitationStatus }} LiveInvitation an invitation with its status on the browser's clock
 * @typedef {keyof typeof VIEWS} ViewKey
 * @typedef {{ key: string, dir: "asc" | "desc" }} Sort
 * @typedef {{ view: ViewKey, q: string, role: string, sort: Sort, open: Set<string>, selected: Set<string> }} PageState
 * @typedef {{ items: Invitation[], nextCursor: string | null, total: number }} InvitationPage
 * @typedef {any} Ctx the page's session (app.js): api, me, roles, catalog, canManage, tick, wakeAt, rerender
 */

/** VIEWS are the choices of the "Show" filter: which live statuses each one lists (sent to the server as `status=`). */
export const VIEWS = {
  attention: { label: "Needs attention", statuses: ["pending", "expired"] },
  all: { label: "All", statuses: ["pending", "expired", "accepted", "revoked"] },
  pending: { label: "Pending", statuses: ["pending"] },
  expired: { label: "Expired", statuses: ["expired"] },
  accepted: { label: "Accepted", statuses: ["accepted"] },
  revoked: { label: "Revoked", statuses: ["revoked"] },
};
/** @type {InvitationStatus[]} */
const STATUSES = ["pending", "expired", "accepted", "revoked"];

/** canResend and canRevoke state which statuses allow which action (docs/api.md, the resend and revoke routes); pass the live status. @param {{ status: string }} i */
export const canResend = (i) => i.status === "pending" || i.status === "expired";
/** @param {{ status: string }} i */
export const canRevoke = (i) => i.status === "pending" || i.status === "expired";

/** PAGE_SIZE is how many invitations one page of the table shows (the server pages and searches). */
export const PAGE_SIZE = 100;
/** SEARCH_DEBOUNCE_MS is how long typing must pause before the search asks the server (one request per pause). */
export const SEARCH_DEBOUNCE_MS = 120;

const STATUS_ORDER = { expired: 0, pending: 1, accepted: 2, revoked: 3 };
/** @type {Record<string, (a: LiveInvitation, b: LiveInvitation) => number>} */
const COMPARATORS = {
  email: (a, b) => a.email.localeCompare(b.email),
  role: (a, b) => a.role.localeCompare(b.role),
  status: (a, b) => STATUS_ORDER[a.live] - STATUS_ORDER[b.live],
  expires: (a, b) => a.expiresAt.localeCompare(b.expiresAt),
};

/** serverFilters is the list query the server answers for the page's filters: the view's statuses, the search and the role. @param {PageState} state */
function serverFilters(state) {
  return { status: VIEWS[state.view].statuses.join(","), q: state.q.trim(), role: state.role };
}

/**
 * renderInvitations fills `view` with the Invitations page: one page of the current filters
 * and the count of each status, a handful of requests however many invitations there are.
 * @param {HTMLElement} view @param {Ctx} ctx
 */
export async function renderInvitations(view, ctx) {
  const query = readQuery();
  const viewKey = query.get("view") ?? "";
  /** @type {PageState} */
  const state = {
    view: Object.hasOwn(VIEWS, viewKey) ? /** @type {ViewKey} */ (viewKey) : "attention",
    q: query.get("q") ?? "",
    role: query.get("role") ?? "",
    sort: readSort(query, Object.keys(COMPARATORS), { key: "expires", dir: "asc" }),
    open: new Set((query.get("open") ?? "").split(",").filter(Boolean)),
    selected: new Set((query.get("sel") ?? "").split(",").filter(Boolean)),
  };
  /** @type {[InvitationPage, ...InvitationPage[]]} */
  const [first, ...perStatus] = await Promise.all([
    ctx.api.invitationsPage({ limit: PAGE_SIZE, ...serverFilters(state) }),
    ...STATUSES.map((status) => ctx.api.invitationsPage({ limit: 1, status })),
  ]);
  /** @type {Record<string, number>} how many invitations the server holds in each status (not narrowed by the search) */
  const totals = Object.fromEntries(STATUSES.map((s, n) => [s, perStatus[n]?.total ?? 0]));
  let invitations = first.items;
  let matching = first.total;
  /** @type {{ cursors: (string | null)[], index: number, next: string | null }} */
  const pager = { cursors: [null, first.nextCursor], index: 0, next: first.nextCursor };
  const save = () =>
    writeQuery({
      view: state.view === "attention" ? "" : state.view,
      q: state.q,
      role: state.role,
      sort: state.sort.key === "expires" && state.sort.dir === "asc" ? "" : state.sort.key,
      dir: state.sort.dir === "desc" ? "desc" : "",
      open: [...state.open],
      sel: [...state.selected],
    });
  const viewFilter = h("select", { id: "invitation-view", dataset: { key: "filter:view" } });
  const search = h("input", { id: "invitation-search", type: "search", placeholder: "e-mail contains…", autocomplete: "off", value: state.q, dataset: { key: "filter:q" } });
  const roleFilter = h("select", { id: "invitation-role-filter", dataset: { key: "filter:role" } }, h("option", { value: "" }, "All roles"), ctx.roles.filter((/** @type {{ name: string }} */ r) => r.name !== "owner").map((/** @type {{ name: string }} */ r) => h("option", { value: r.name, selected: r.name === state.role }, r.name)));
  const table = h("table", { class: "data invitations-table" });
  const bulk = h("div", { class: "bulk", role: "group", "aria-label": "Selected invitations" });
  const shown = h("p", { class: "muted", "aria-live": "polite" });
  const pages = h("nav", { class: "pager", "aria-label": "Pages of invitations" });

  const draw = () => {
    const now = Date.now();
    const q = state.q.trim().toLowerCase();
    /** @type {LiveInvitation[]} */
    const page = invitations.map((i) => ({ ...i, live: liveStatus(i, now) }));
    // the server filtered this page; the browser still drops what its own clock has moved out of the view since (and narrows at once while a new search is on its way)
    const statuses = /** @type {string[]} */ (VIEWS[state.view].statuses);
    const rows = sortRows(page.filter((i) => statuses.includes(i.live) && (!state.role || i.role === state.role) && (!q || i.email.toLowerCase().includes(q))), state.sort, COMPARATORS);
    // Only what the current view shows can be selected: a bulk action never reaches a hidden row (nor one on another page).
    const actionable = new Map(rows.filter((i) => canRevoke({ status: i.live })).map((i) => [i.id, i]));
    for (const id of state.selected) if (!actionable.has(id)) state.selected.delete(id);
    const all = STATUSES.reduce((sum, s) => sum + (totals[s] ?? 0), 0);
    replace(viewFilter, Object.entries(VIEWS).map(([key, v]) => h("option", { value: key, selected: key === state.view }, `${v.label} (${v.statuses.reduce((sum, s) => sum + (totals[s] ?? 0), 0)})`)));
    const from = pager.index * PAGE_SIZE;
    shown.textContent = matching > PAGE_SIZE
      ? `Showing ${from + 1}–${from + invitations.length} of ${matching} matching invitations (of ${all}); a column sort orders this page.`
      : `Showing ${rows.length} of ${all} invitations.`;
    replace(pages, ...pagerButtons());
    const selectable = rows.filter((i) => actionable.has(i.id));
    /** @param {Sort} sort */
    const onSort = (sort) => {
      state.sort = sort;
      save();
      draw();
      /** @type {HTMLElement | null} */ (table.querySelector(`[data-key="sort:${sort.key}"]`))?.focus();
    };
    const allChosen = selectable.length > 0 && selectable.every((i) => state.selected.has(i.id));
    const selectAll = h(
      "button",
      {
        type: "button",
        class: "btn btn-small",
        dataset: { key: "select:all" },
        disabled: selectable.length === 0,
        onclick: () => {
          for (const i of selectable) allChosen ? state.selected.delete(i.id) : state.selected.add(i.id);
          save();
          draw();
          bulk.querySelector('[data-key="select:all"]')?.focus();
        },
      },
      allChosen ? `Unselect all ${selectable.length} shown` : `Select all ${selectable.length} shown`,
    );
    replace(
      table,
      h("caption", { class: "visually-hidden" }, `Invitations: ${VIEWS[state.view].label}. Expand an e-mail for its extra permissions, sends and inviter.`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ctx.canManage ? h("th", { scope: "col", class: "select" }, h("span", { class: "visually-hidden" }, "Select")) : null,
          sortHeader("E-mail", "email", state.sort, onSort),
          sortHeader("Role", "role", state.sort, onSort),
          sortHeader("Status", "status", state.sort, onSort),
          sortHeader("Expires", "expires", state.sort, onSort),
          ctx.canManage ? sortHeader("Actions", null, state.sort, onSort, { class: "actions" }) : null,
        ),
      ),
      h("tbody", {}, rows.length ? rows.flatMap((i) => invitationRows(i, ctx, state, now, actionable.has(i.id), () => { save(); draw(); })) : h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No invitation in this view."))),
    );
    drawBulk(bulk, selectAll, [...state.selected].flatMap((id) => actionable.get(id) ?? []), ctx, () => {
      state.selected.clear();
      save();
      draw();
    });
    ctx.wakeAt(Math.min(...page.filter((i) => i.live === "pending").map((i) => Date.parse(i.expiresAt))));
  };
  // load asks the server for page `index` of the current filters; an answer overtaken by a newer load is dropped.
  const load = pagedLoader({
    table,
    pager,
    fetchPage: (cursor) => ctx.api.invitationsPage({ limit: PAGE_SIZE, cursor, ...serverFilters(state) }),
    show: (/** @type {InvitationPage} */ answer) => {
      invitations = answer.items;
      matching = answer.total;
      draw();
    },
  });
  const pagerButtons = () =>
    matching > PAGE_SIZE
      ? [
          h("button", { type: "button", class: "btn", disabled: pager.index === 0, dataset: { key: "page:previous" }, onclick: () => load(pager.index - 1) }, "← Previous"),
          h("span", { class: "muted" }, `Page ${pager.index + 1} of ${Math.ceil(matching / PAGE_SIZE)}`),
          h("button", { type: "button", class: "btn", disabled: !pager.next, dataset: { key: "page:next" }, onclick: () => load(pager.index + 1) }, "Next →"),
        ]
      : [];
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  viewFilter.addEventListener("change", () => { state.view = viewFilter.value; save(); draw(); void load(0); });
  roleFilter.addEventListener("change", () => { state.role = roleFilter.value; save(); draw(); void load(0); });
  // search as you type: one request once typing pauses (SEARCH_DEBOUNCE_MS)
  search.addEventListener("input", () => {
    state.q = search.value;
    save();
    draw();
    clearTimeout(typing);
    typing = setTimeout(() => void load(0), SEARCH_DEBOUNCE_MS);
  });
  ctx.tick = draw;

  replace(
    view,
    h("h1", { tabindex: -1 }, "Invitations"),
    h(
      "div",
      { class: "toolbar" },
      h(
        "div",
        { class: "filters", role: "search", "aria-label": "Filter invitations" },
        h("div", { class: "field" }, h("label", { for: viewFilter.id }, "Show"), viewFilter),
        h("div", { class: "field" }, h("label", { for: roleFilter.id }, "Role"), roleFilter),
        h("div", { class: "field grow" }, h("label", { for: search.id }, "Search"), search),
      ),
      ctx.canManage ? h("a", { href: "#/invite", class: "btn btn-primary" }, "Give account access") : null,
    ),
    ctx.canManage ? bulk : null,
    shown,
    scrollRegion("Invitations table", table),
    pages,
  );
  draw();
}

/**
 * invitationRows is an invitation's row, and its detail row when expanded.
 * @param {LiveInvitation} i @param {Ctx} ctx @param {PageState} state @param {number} now @param {boolean} actionable @param {() => void} redraw
 */
function invitationRows(i, ctx, state, now, actionable, redraw) {
  const open = state.open.has(i.id);
  const detailId = `invitation-detail-${i.id}`;
  const actions = [];
  if (ctx.canManage && i.live === "pending") {
    actions.push(h("button", { type: "button", class: "btn btn-small", "aria-label": `Edit invitation to ${i.email}`, dataset: { key: `edit:${i.email}` }, onclick: guarded(() => editInvitation(i, ctx)) }, "Edit"));
  }
  if (ctx.canManage && canResend({ status: i.live })) {
    actions.push(h("button", { type: "button", class: "btn btn-small", "aria-label": `Resend invitation to ${i.email}`, dataset: { key: `resend:${i.email}` }, onclick: guarded(() => resend([i], ctx)) }, "Resend"));
  }
  if (ctx.canManage && canRevoke({ status: i.live })) {
    actions.push(h("button", { type: "button", class: "btn btn-small btn-danger-outline", "aria-label": `Revoke invitation to ${i.email}`, dataset: { key: `revoke:${i.email}` }, onclick: guarded(() => revoke([i], ctx)) }, "Revoke"));
  }
  if (ctx.canManage) actions.push(historyLink(i.email));
  const select = h("input", {
    type: "checkbox",
    "aria-label": `Select invitation to ${i.email}`,
    checked: state.selected.has(i.id),
    disabled: !actionable,
    dataset: { key: `select:${i.email}` },
    onchange: (/** @type {Event & { target: HTMLInputElement }} */ event) => {
      event.target.checked ? state.selected.add(i.id) : state.selected.delete(i.id);
      redraw();
      /** @type {HTMLElement | null} */ (document.querySelector(`[data-key="select:${CSS.escape(i.email)}"]`))?.focus();
    },
  });
  const toggle = disclosureButton({
    email: i.email,
    open,
    detailId,
    toggle: () => (open ? state.open.delete(i.id) : state.open.add(i.id)),
    redraw,
  });
  const row = h(
    "tr",
    { dataset: { email: i.email, status: i.live } },
    ctx.canManage ? h("td", { class: "select", "data-label": "Select" }, h("div", { class: "cell" }, select)) : null,
    cell("E-mail", [toggle, managedLabel(i)]),
    cell("Role", [roleBadge(i.role)]),
    cell("Status", [statusBadge(i.live)]),
    cell("Expires", [i.live === "pending" || i.live === "expired" ? time(i.expiresAt, { now }) : h("span", { class: "muted" }, "—")]),
    ctx.canManage ? cell("Actions", [actions], { class: "actions" }) : null,
  );
  if (!open) return [row];
  const detail = h(
    "tr",
    { class: "detail", id: detailId },
    h(
      "td",
      { colspan: ctx.canManage ? 6 : 4 },
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Extra permissions"),
        h("dd", {}, permissionList(i.permissions)),
        h("dt", {}, "Last sent"),
        h("dd", {}, time(i.lastSentAt, { now }), i.sendCount > 1 ? [" (first ", time(i.createdAt, { now }), ")"] : null),
        h("dt", {}, "Times sent"),
        h("dd", { dataset: { fact: "sends" } }, String(i.sendCount)),
        h("dt", {}, "Invited by"),
        h("dd", {}, emailText(i.invitedBy)),
      ),
    ),
  );
  return [row, detail];
}

/** @param {HTMLElement} bulk @param {HTMLElement} all @param {LiveInvitation[]} selected @param {Ctx} ctx @param {() => void} clear */
function drawBulk(bulk, all, selected, ctx, clear) {
  if (!selected.length) {
    replace(bulk, all, h("span", { class: "muted small" }, "Tick invitations to resend or revoke several at once."));
    return;
  }
  replace(
    bulk,
    all,
    h("span", { class: "bulk-count" }, `${selected.length} selected`),
    h("button", { type: "button", class: "btn btn-small", dataset: { key: "bulk:resend" }, onclick: guarded(() => resend(selected, ctx)) }, "Resend selected"),
    h("button", { type: "button", class: "btn btn-small btn-danger-outline", dataset: { key: "bulk:revoke" }, onclick: guarded(() => revoke(selected, ctx)) }, "Revoke selected"),
    h("button", { type: "button", class: "btn btn-small", dataset: { key: "bulk:clear" }, onclick: clear }, "Clear selection"),
  );
}

// runEach applies `call` to each invitation in turn and states the outcome in one message.
/** @param {LiveInvitation[]} list @param {(i: LiveInvitation) => Promise<unknown>} call @param {(ok: number) => string} done */
async function runEach(list, call, done) {
  const failures = [];
  for (const i of list) {
    try {
      await call(i);
    } catch (err) {
      failures.push(`${i.email}: ${describeFailure(err, i.email)}`);
    }
  }
  const ok = list.length - failures.length;
  if (failures.length) announce(`${done(ok)} ${failures.length} failed. ${failures.join(" ")}`, "error");
  else announce(done(ok));
}

function clearSelectionInUrl() {
  const query = readQuery();
  query.delete("sel");
  writeQuery(Object.fromEntries(query));
}

const names = (/** @type {LiveInvitation[]} */ list) => (list.length === 1 ? list[0]?.email : `${list.length} invitations`);

/** age states how old an invitation is: when it was last sent ("sent 2 min ago"). @param {Invitation} i @param {number} now */
function age(i, now) {
  return `sent ${relative(i.lastSentAt, now)}`;
}

/** @param {LiveInvitation[]} list @param {string} sentence */
function listBody(list, sentence) {
  const now = Date.now();
  const items = list.map((i) => h("li", { dataset: { email: i.email } }, emailText(i.email), " ", statusBadge(i.live ?? i.status), " ", h("span", { class: "small" }, age(i, now))));
  return h("div", {}, h("p", {}, sentence), list.length > 1 ? h("div", { class: "email-list", role: "region", "aria-label": "Invitations concerned", tabindex: 0 }, h("ul", {}, items)) : null);
}

/** @param {LiveInvitation[]} list @param {Ctx} ctx */
async function resend(list, ctx) {
  if (list.length > 1 && !(await confirmAction({ title: `Resend ${names(list)}?`, body: listBody(list, "Each gets a new link and a new expiry; the old links stop working."), confirmLabel: "Resend all" }))) return;
  if (list.length > 1) clearSelectionInUrl();
  await runEach(list, (i) => ctx.api.resendInvitation(i), (n) => (list.length === 1 && n === 1 ? `Sent the invitation to ${list[0]?.email} again.` : `Resent ${n} invitation(s).`));
  ctx.rerender({ focus: list.length === 1 ? [`resend:${list[0]?.email}`, `row:${list[0]?.email}`] : ["bulk:resend", "select:all"] });
}

/** @param {LiveInvitation[]} list @param {Ctx} ctx */
async function revoke(list, ctx) {
  const sentence = list.length === 1 ? `The invitation link sent to ${list[0]?.email} stops working. You can invite them again later.` : "Their invitation links stop working. You can invite them again later.";
  if (!(await confirmAction({ title: `Revoke the invitation${list.length === 1 ? ` to ${list[0]?.email}` : `s of ${list.length} people`}?`, body: listBody(list, sentence), confirmLabel: list.length === 1 ? "Revoke invitation" : "Revoke all", danger: true }))) return;
  if (list.length > 1) clearSelectionInUrl();
  await runEach(list, (i) => ctx.api.revokeInvitation(i), (n) => (list.length === 1 && n === 1 ? `Revoked the invitation to ${list[0]?.email}.` : `Revoked ${n} invitation(s).`));
  ctx.rerender({ focus: list.length === 1 ? [`revoke:${list[0]?.email}`, `row:${list[0]?.email}`] : ["select:all"] });
}
