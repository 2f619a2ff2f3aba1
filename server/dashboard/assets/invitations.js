// Invitations: every invitation with its status badge, sent and expiry times and send
// count; Resend and Revoke (pending or expired) for members holding access:manage.
import { describeFailure } from "./api.js";
import { confirmAction } from "./dialogs.js";
import { cell, h, replace, announce } from "./dom.js";
import { permissionList, roleBadge, statusBadge, time } from "./format.js";
import { visibleIdentity as shown } from "./identity.js";

const STATUSES = ["pending", "expired", "accepted", "revoked"];

/** canResend and canRevoke state which statuses allow which action (design.md §1). */
export const canResend = (i) => i.status === "pending" || i.status === "expired";
export const canRevoke = (i) => i.status === "pending" || i.status === "expired";

/** renderInvitations fills `view` with the Invitations page. */
export async function renderInvitations(view, ctx) {
  const invitations = (await ctx.api.invitations()).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const statusFilter = h(
    "select",
    { id: "invitation-status-filter" },
    h("option", { value: "" }, "All statuses"),
    STATUSES.map((s) => h("option", { value: s }, `${s[0].toUpperCase()}${s.slice(1)} (${invitations.filter((i) => i.status === s).length})`)),
  );
  const tbody = h("tbody");
  const columns = ["Email", "Role", "Extra permissions", "Status", "Sent", "Expires", "Sends", "Invited by", ctx.canManage ? "Actions" : null].filter(Boolean);
  const draw = () => {
    const rows = invitations.filter((i) => !statusFilter.value || i.status === statusFilter.value);
    replace(tbody, rows.length ? rows.map((i) => invitationRow(i, ctx)) : h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, "No invitation with this status.")));
  };
  statusFilter.addEventListener("change", draw);
  replace(
    view,
    h("h1", { tabindex: -1 }, "Invitations"),
    h(
      "div",
      { class: "toolbar" },
      h("div", { class: "filters", role: "search", "aria-label": "Filter invitations" }, h("div", { class: "field" }, h("label", { for: statusFilter.id }, "Status"), statusFilter)),
      ctx.canManage ? h("a", { href: "#/invite", class: "btn btn-primary" }, "Give account access") : null,
    ),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "data invitations-table" },
        h("caption", { class: "visually-hidden" }, "Invitations, newest first"),
        h("thead", {}, h("tr", {}, columns.map((t) => h("th", { scope: "col" }, t)))),
        tbody,
      ),
    ),
  );
  draw();
}

function invitationRow(i, ctx) {
  const actions = [];
  if (ctx.canManage && canResend(i)) {
    actions.push(h("button", { type: "button", class: "btn btn-small", "aria-label": `Resend invitation to ${shown(i.email)}`, onclick: () => resend(i, ctx) }, "Resend"));
  }
  if (ctx.canManage && canRevoke(i)) {
    actions.push(h("button", { type: "button", class: "btn btn-small btn-danger-outline", "aria-label": `Revoke invitation to ${shown(i.email)}`, onclick: () => revoke(i, ctx) }, "Revoke"));
  }
  return h(
    "tr",
    { dataset: { email: i.email, status: i.status } },
    cell("Email", [shown(i.email)]),
    cell("Role", [roleBadge(i.role)]),
    cell("Extra permissions", [permissionList(i.permissions)]),
    cell("Status", [statusBadge(i.status)]),
    cell("Sent", [time(i.lastSentAt), i.sendCount > 1 ? h("div", { class: "muted small" }, "first ", time(i.createdAt)) : null]),
    cell("Expires", [i.status === "accepted" || i.status === "revoked" ? h("span", { class: "muted" }, "—") : time(i.expiresAt)]),
    cell("Sends", [String(i.sendCount)], { class: "num" }),
    cell("Invited by", [i.invitedBy]),
    ctx.canManage ? cell("Actions", [actions.length ? actions : h("span", { class: "muted" }, "—")], { class: "actions" }) : null,
  );
}

async function resend(i, ctx) {
  try {
    const next = await ctx.api.resendInvitation(i);
    announce(`Sent the invitation to ${i.email} again; it now expires ${new Date(next.expiresAt).toISOString().slice(0, 16).replace("T", " ")} UTC.`);
  } catch (err) {
    announce(describeFailure(err), "error");
  }
  ctx.rerender();
}

async function revoke(i, ctx) {
  const body = h("p", {}, `The invitation link sent to ${shown(i.email)} stops working. You can invite them again later.`);
  if (!(await confirmAction({ title: `Revoke the invitation to ${shown(i.email)}?`, body, confirmLabel: "Revoke invitation", danger: true }))) return;
  try {
    await ctx.api.revokeInvitation(i);
    announce(`Revoked the invitation to ${i.email}.`);
  } catch (err) {
    announce(describeFailure(err), "error");
  }
  ctx.rerender();
}
