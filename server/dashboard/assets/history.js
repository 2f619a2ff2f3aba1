// Access history: the audit log, newest first, a page at a time, filterable by the
// person who acted, the person acted on, and the action.
import { describeFailure } from "./api.js";
import { cell, h, replace } from "./dom.js";
import { time } from "./format.js";
import { visibleIdentity as shown } from "./identity.js";

/** ACTIONS are the audit actions (schema/api.ts AuditAction) with their wording. */
export const ACTIONS = {
  "workspace.created": "Workspace created",
  "invitation.created": "Invited",
  "invitation.updated": "Invitation changed",
  "invitation.resent": "Invitation resent",
  "invitation.revoked": "Invitation revoked",
  "invitation.accepted": "Invitation accepted",
  "member.updated": "Access changed",
  "member.removed": "Member removed",
  "role.created": "Role created",
  "role.updated": "Role changed",
  "role.deleted": "Role deleted",
};

const PAGE_SIZE = 25;
const SKIP_KEYS = new Set(["id", "version", "effectivePermissions", "createdAt", "updatedAt", "lastSentAt", "joinedAt", "invitedBy"]);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function show(value) {
  if (Array.isArray(value)) return value.length ? value.join(", ") : "none";
  if (typeof value === "string" && ISO_TIME.test(value)) return `${value.slice(0, 16).replace("T", " ")} UTC`;
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** summarize states what an event changed, field by field (lists as additions and removals). */
export function summarize(before, after) {
  const b = before && typeof before === "object" ? before : {};
  const a = after && typeof after === "object" ? after : {};
  const lines = [];
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (SKIP_KEYS.has(key)) continue;
    const from = b[key];
    const to = a[key];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    if (Array.isArray(from) && Array.isArray(to)) {
      const added = to.filter((x) => !from.includes(x));
      const removed = from.filter((x) => !to.includes(x));
      lines.push(`${key}: ${[...added.map((x) => `+${x}`), ...removed.map((x) => `−${x}`)].join(" ")}`);
    } else if (!(key in b)) lines.push(`${key}: ${show(to)}`);
    else if (!(key in a)) lines.push(`${key} was ${show(from)}`);
    else lines.push(`${key}: ${show(from)} → ${show(to)}`);
  }
  return lines;
}

/** renderHistory fills `view` with the Access history page. */
export async function renderHistory(view, ctx) {
  if (!ctx.canManage) {
    replace(view, h("h1", { tabindex: -1 }, "Access history"), h("p", { class: "notice" }, "Reviewing access history needs the access:manage permission, which you do not hold."));
    return;
  }
  const actor = h("input", { id: "history-actor", type: "search", name: "actor", placeholder: "exact email", autocomplete: "off" });
  const target = h("input", { id: "history-target", type: "search", name: "target", placeholder: "exact email or role name", autocomplete: "off" });
  const action = h("select", { id: "history-action", name: "action" }, h("option", { value: "" }, "All actions"), Object.entries(ACTIONS).map(([v, label]) => h("option", { value: v }, label)));
  const results = h("div", { class: "history-results", "aria-live": "polite" });
  // cursors[n] is the cursor of page n; page 0 has none.
  let cursors = [null];
  let pageIndex = 0;

  // load shows the current page; `focusLabel` keeps keyboard focus on the pager button pressed.
  const load = async (focusLabel) => {
    results.setAttribute("aria-busy", "true");
    try {
      const page = await ctx.api.audit({ limit: PAGE_SIZE, cursor: cursors[pageIndex], actor: actor.value.trim(), target: target.value.trim(), action: action.value });
      cursors[pageIndex + 1] = page.nextCursor;
      replace(results, eventsTable(page.items), pager(page));
      if (focusLabel) {
        const buttons = [...results.querySelectorAll(".pager button")];
        (buttons.find((b) => b.textContent === focusLabel && !b.disabled) ?? buttons.find((b) => !b.disabled))?.focus();
      }
    } catch (err) {
      replace(results, h("p", { class: "form-error", role: "alert" }, describeFailure(err)));
    } finally {
      results.removeAttribute("aria-busy");
    }
  };
  const pager = (page) =>
    h(
      "nav",
      { class: "pager", "aria-label": "Pages of access history" },
      h("button", { type: "button", class: "btn", disabled: pageIndex === 0, onclick: () => { pageIndex -= 1; load("← Newer"); } }, "← Newer"),
      h("span", { class: "muted" }, `Page ${pageIndex + 1}`),
      h("button", { type: "button", class: "btn", disabled: !page.nextCursor, onclick: () => { pageIndex += 1; load("Older →"); } }, "Older →"),
    );
  const form = h(
    "form",
    {
      class: "filters",
      role: "search",
      "aria-label": "Filter access history",
      onsubmit: (event) => {
        event.preventDefault();
        cursors = [null];
        pageIndex = 0;
        load();
      },
    },
    h("div", { class: "field" }, h("label", { for: actor.id }, "Done by"), actor),
    h("div", { class: "field" }, h("label", { for: target.id }, "Done to"), target),
    h("div", { class: "field" }, h("label", { for: action.id }, "Action"), action),
    h("div", { class: "field field-button" }, h("button", { type: "submit", class: "btn btn-primary" }, "Apply filters")),
  );
  action.addEventListener("change", () => form.requestSubmit());
  replace(view, h("h1", { tabindex: -1 }, "Access history"), h("p", { class: "lead" }, "Who did what to whom, newest first."), form, results);
  await load();
}

function eventsTable(events) {
  if (!events.length) return h("p", { class: "empty" }, "No event matches these filters.");
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "data history-table" },
      h("caption", { class: "visually-hidden" }, "Access history, newest first"),
      h("thead", {}, h("tr", {}, ["When", "Done by", "Action", "Done to", "Change"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        events.map((e) =>
          h(
            "tr",
            { dataset: { action: e.action } },
            cell("When", [time(e.at)]),
            cell("Done by", [shown(e.actor)]),
            cell("Action", [h("span", { class: `action action-${e.action.split(".")[0]}` }, ACTIONS[e.action] ?? e.action), h("div", { class: "muted small" }, h("code", {}, e.action))]),
            cell("Done to", [shown(e.target)]),
            cell("Change", [h("ul", { class: "change-lines" }, summarize(e.before, e.after).map((l) => h("li", {}, l)))]),
          ),
        ),
      ),
    ),
  );
}
