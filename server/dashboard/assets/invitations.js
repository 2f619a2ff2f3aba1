// Invitations: "Needs attention" (pending + expired) by default or any status, sorted
// by a column, with statuses derived from expiresAt in the browser (an invitation that
// expires while the page is open turns Expired on its own). Holders of access:manage
// edit a pending invitation, resend or revoke one, or select several and resend or
// revoke them together. View, sort, expanded rows and selection live in the URL.
import { describeFailure } from "./api.js";
import { confirmAction } from "./dialogs.js";
import { cell, emailText, guarded, h, replace, announce, scrollRegion } from "./dom.js";
import { historyLink, liveStatus, permissionList, relative, roleBadge, statusBadge, time } from "./format.js";
import { editInvitation } from "./invitation-edit.js";
import { readQuery, writeQuery } from "./state.js";
import { disclosureButton, readSort, sortHeader, sortRows } from "./table.js";
import { managedLabel } from "./managed.js";

/** VIEWS are the choices of the "Show" filter: which live statuses each one lists. */
export const VIEWS = {
  attention: { label: "Needs attention", statuses: ["pending", "expired"] },
  all: { label: "All", statuses: ["pending", "expired", "accepted", "revoked"] },
  pending: { label: "Pending", statuses: ["pending"] },
  expired: { label: "Expired", statuses: ["expired"] },
  accepted: { label: "Accepted", statuses: ["accepted"] },
  revoked: { label: "Revoked", statuses: ["revoked"] },
};

/** canResend and canRevoke state which statuses allow which action (docs/api.md, the resend and revoke routes); pass the live status. */
export const canResend = (i) => i.status === "pending" || i.status === "expired";
export const canRevoke = (i) => i.status === "pending" || i.status === "expired";

const STATUS_ORDER = { expired: 0, pending: 1, accepted: 2, revoked: 3 };
const COMPARATORS = {
  email: (a, b) => a.email.localeCompare(b.email),
  role: (a, b) => a.role.localeCompare(b.role),
  status: (a, b) => STATUS_ORDER[a.live] - STATUS_ORDER[b.live],
  expires: (a, b) => a.expiresAt.localeCompare(b.expiresAt),
};

/** renderInvitations fills `view` with the Invitations page. */
export async function renderInvitations(view, ctx) {
  const invitations = await ctx.api.invitations();
  const query = readQuery();
  const state = {
    view: Object.hasOwn(VIEWS, query.get("view") ?? "") ? query.get("view") : "attention",
    sort: readSort(query, Object.keys(COMPARATORS), { key: "expires", dir: "asc" }),
    open: new Set((query.get("open") ?? "").split(",").filter(Boolean)),
    selected: new Set((query.get("sel") ?? "").split(",").filter(Boolean)),
  };
  const save = () =>
    writeQuery({
      view: state.view === "attention" ? "" : state.view,
      sort: state.sort.key === "expires" && state.sort.dir === "asc" ? "" : state.sort.key,
      dir: state.sort.dir === "desc" ? "desc" : "",
      open: [...state.open],
      sel: [...state.selected],
    });
  const viewFilter = h("select", { id: "invitation-view", dataset: { key: "filter:view" } });
  const table = h("table", { class: "data invitations-table" });
  const bulk = h("div", { class: "bulk", role: "group", "aria-label": "Selected invitations" });
  const shown = h("p", { class: "muted", "aria-live": "polite" });

  const draw = () => {
    const now = Date.now();
    const all = invitations.map((i) => ({ ...i, live: liveStatus(i, now) }));
    const rows = sortRows(all.filter((i) => VIEWS[state.view].statuses.includes(i.live)), state.sort, COMPARATORS);
    // Only what the current view shows can be selected: a bulk action never reaches a hidden row.
    const actionable = new Map(rows.filter((i) => canRevoke({ status: i.live })).map((i) => [i.id, i]));
    for (const id of state.selected) if (!actionable.has(id)) state.selected.delete(id);
    replace(viewFilter, Object.entries(VIEWS).map(([key, v]) => h("option", { value: key, selected: key === state.view }, `${v.label} (${all.filter((i) => v.statuses.includes(i.live)).length})`)));
    shown.textContent = `Showing ${rows.length} of ${all.length} invitations.`;
    const selectable = rows.filter((i) => actionable.has(i.id));
    const onSort = (sort) => {
      state.sort = sort;
      save();
      draw();
      table.querySelector(`[data-key="sort:${sort.key}"]`)?.focus();
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
    drawBulk(bulk, selectAll, [...state.selected].map((id) => actionable.get(id)), ctx, () => {
      state.selected.clear();
      save();
      draw();
    });
    const next = all.filter((i) => i.live === "pending").map((i) => Date.parse(i.expiresAt)).sort((a, b) => a - b)[0];
    ctx.wakeAt(next);
  };
  viewFilter.addEventListener("change", () => { state.view = viewFilter.value; save(); draw(); });
  ctx.tick = draw;

  replace(
    view,
    h("h1", { tabindex: -1 }, "Invitations"),
    h(
      "div",
      { class: "toolbar" },
      h("div", { class: "filters", role: "search", "aria-label": "Filter invitations" }, h("div", { class: "field" }, h("label", { for: viewFilter.id }, "Show"), viewFilter)),
      ctx.canManage ? h("a", { href: "#/invite", class: "btn btn-primary" }, "Give account access") : null,
    ),
    ctx.canManage ? bulk : null,
    shown,
    scrollRegion("Invitations table", table),
  );
  draw();
}

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
    onchange: (event) => {
      event.target.checked ? state.selected.add(i.id) : state.selected.delete(i.id);
      redraw();
      document.querySelector(`[data-key="select:${CSS.escape(i.email)}"]`)?.focus();
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

const names = (list) => (list.length === 1 ? list[0].email : `${list.length} invitations`);

/** age states how old an invitation is: when it was last sent ("sent 2 min ago"). */
function age(i, now) {
  return `sent ${relative(i.lastSentAt, now)}`;
}

function listBody(list, sentence) {
  const now = Date.now();
  const items = list.map((i) => h("li", { dataset: { email: i.email } }, emailText(i.email), " ", statusBadge(i.live ?? i.status), " ", h("span", { class: "small" }, age(i, now))));
  return h("div", {}, h("p", {}, sentence), list.length > 1 ? h("div", { class: "email-list", role: "region", "aria-label": "Invitations concerned", tabindex: 0 }, h("ul", {}, items)) : null);
}

async function resend(list, ctx) {
  if (list.length > 1 && !(await confirmAction({ title: `Resend ${names(list)}?`, body: listBody(list, "Each gets a new link and a new expiry; the old links stop working."), confirmLabel: "Resend all" }))) return;
  if (list.length > 1) clearSelectionInUrl();
  await runEach(list, (i) => ctx.api.resendInvitation(i), (n) => (list.length === 1 && n === 1 ? `Sent the invitation to ${list[0].email} again.` : `Resent ${n} invitation(s).`));
  ctx.rerender({ focus: list.length === 1 ? [`resend:${list[0].email}`, `row:${list[0].email}`] : ["bulk:resend", "select:all"] });
}

async function revoke(list, ctx) {
  const sentence = list.length === 1 ? `The invitation link sent to ${list[0].email} stops working. You can invite them again later.` : "Their invitation links stop working. You can invite them again later.";
  if (!(await confirmAction({ title: `Revoke the invitation${list.length === 1 ? ` to ${list[0].email}` : `s of ${list.length} people`}?`, body: listBody(list, sentence), confirmLabel: list.length === 1 ? "Revoke invitation" : "Revoke all", danger: true }))) return;
  if (list.length > 1) clearSelectionInUrl();
  await runEach(list, (i) => ctx.api.revokeInvitation(i), (n) => (list.length === 1 && n === 1 ? `Revoked the invitation to ${list[0].email}.` : `Revoked ${n} invitation(s).`));
  ctx.rerender({ focus: list.length === 1 ? [`revoke:${list[0].email}`, `row:${list[0].email}`] : ["select:all"] });
}
