// Access history: the audit log, newest first, 25 a page. One "person" filter matches
// part of either side (who did it, or who it was done to, e.g. "heidi"), with the
// workspace's e-mails offered as suggestions; an action filter; both kept in the URL so
// member and invitation rows link straight to a person's history. Changes are listed
// with readable field names and the client that made them (Dashboard, antryk-access, API).
import { describeFailure } from "./api.js";
import { summarize } from "./changes.js";
import { cell, h, replace, scrollRegion } from "./dom.js";
import { time } from "./format.js";
import { visibleIdentity as visible } from "./identity.js";
import { pageLink, readQuery, writeQuery } from "./state.js";

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

/** clientText names what made a change (schema/api.ts AuditClient): "Dashboard", "antryk-access 0.1.0", "API", "Server", "Unknown". */
export function clientText(e) {
  switch (e.client) {
    case "dashboard":
      return "Dashboard";
    case "antryk-access":
      return e.clientVersion ? `antryk-access ${e.clientVersion}` : "antryk-access";
    case "api":
      return "API";
    case "server":
      return "Server";
    default:
      return "Unknown";
  }
}

const PAGE_SIZE = 25;
const FETCH_SIZE = 500;

/** matchesPerson tells whether event `e` was done by or to someone whose name contains `needle` (any case). */
export function matchesPerson(e, needle) {
  const n = needle.trim().toLowerCase();
  return !n || String(e.actor).toLowerCase().includes(n) || String(e.target).toLowerCase().includes(n);
}

// eventSource reads the log from the API a batch at a time and keeps the events that
// match, so any page of the filtered history can be shown.
function eventSource(ctx, person, action) {
  const matched = [];
  let cursor = null;
  let done = false;
  return async (count) => {
    while (matched.length < count && !done) {
      // the server narrows by `q` (actor or target contains it); matchesPerson is the same rule
      const page = await ctx.api.audit({ limit: FETCH_SIZE, cursor, action, q: person.trim().toLowerCase() });
      matched.push(...page.items.filter((e) => matchesPerson(e, person)));
      cursor = page.nextCursor;
      done = !cursor;
    }
    return matched;
  };
}

/** renderHistory fills `view` with the Access history page. */
export async function renderHistory(view, ctx) {
  if (!ctx.canManage) {
    replace(view, h("h1", { tabindex: -1 }, "Access history"), h("p", { class: "notice" }, "Reviewing access history needs the access:manage permission, which you do not hold."));
    return;
  }
  const query = readQuery();
  // suggestions come from the first page of each list only (the server searches the rest)
  const [{ items: members }, { items: invitations }] = await Promise.all([ctx.api.membersPage({ limit: 1000 }), ctx.api.invitationsPage({ limit: 1000 })]);
  const suggestions = [...new Set([...members.map((m) => m.email), ...invitations.map((i) => i.email), ...ctx.roles.filter((r) => !r.builtIn).map((r) => r.name)])].sort();
  const person = h("input", { id: "history-person", type: "search", name: "person", list: "history-people", placeholder: "part of an e-mail or role name", autocomplete: "off", value: query.get("person") ?? "", dataset: { key: "filter:person" } });
  const action = h("select", { id: "history-action", name: "action", dataset: { key: "filter:action" } }, h("option", { value: "" }, "All actions"), Object.entries(ACTIONS).map(([v, label]) => h("option", { value: v, selected: v === query.get("action") }, label)));
  const results = h("div", { class: "history-results", "aria-live": "polite" });
  let pageIndex = Math.max(0, Number.parseInt(query.get("page") ?? "1", 10) - 1) || 0;
  let source = eventSource(ctx, person.value, action.value);

  const save = () => writeQuery({ person: person.value.trim(), action: action.value, page: pageIndex ? pageIndex + 1 : "" });
  // load shows the current page; `focusLabel` keeps keyboard focus on the pager button pressed.
  const load = async (focusLabel) => {
    results.setAttribute("aria-busy", "true");
    try {
      const matched = await source((pageIndex + 1) * PAGE_SIZE + 1);
      const items = matched.slice(pageIndex * PAGE_SIZE, (pageIndex + 1) * PAGE_SIZE);
      const hasNext = matched.length > (pageIndex + 1) * PAGE_SIZE;
      replace(results, eventsTable(items), pager(hasNext));
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
  const pager = (hasNext) =>
    h(
      "nav",
      { class: "pager", "aria-label": "Pages of access history" },
      h("button", { type: "button", class: "btn", disabled: pageIndex === 0, onclick: () => { pageIndex -= 1; save(); load("← Newer"); } }, "← Newer"),
      h("span", { class: "muted" }, `Page ${pageIndex + 1}`),
      h("button", { type: "button", class: "btn", disabled: !hasNext, onclick: () => { pageIndex += 1; save(); load("Older →"); } }, "Older →"),
    );
  const form = h(
    "form",
    {
      class: "filters",
      role: "search",
      "aria-label": "Filter access history",
      onsubmit: (event) => {
        event.preventDefault();
        pageIndex = 0;
        source = eventSource(ctx, person.value, action.value);
        save();
        load();
      },
    },
    h("div", { class: "field grow" }, h("label", { for: person.id }, "Person"), h("p", { class: "hint", id: "history-person-hint" }, "Done by or to them; part of a name is enough."), person),
    h("datalist", { id: "history-people" }, suggestions.map((s) => h("option", { value: s }))),
    h("div", { class: "field" }, h("label", { for: action.id }, "Action"), action),
    h("div", { class: "field field-button" }, h("button", { type: "submit", class: "btn btn-primary" }, "Apply filters")),
  );
  person.setAttribute("aria-describedby", "history-person-hint");
  action.addEventListener("change", () => form.requestSubmit());
  replace(view, h("h1", { tabindex: -1 }, "Access history"), h("p", { class: "lead" }, "Who did what to whom, newest first."), form, results);
  await load();
}

// personLink shows a name that narrows the history to that person when followed.
function personLink(name) {
  return h("a", { class: "email", href: pageLink("history", { person: name }), title: `Only events done by or to ${visible(name)}` }, visible(name));
}

function eventsTable(events) {
  if (!events.length) return h("p", { class: "empty" }, "No event matches these filters.");
  const now = Date.now();
  return scrollRegion(
    "Access history table",
    h(
      "table",
      { class: "data history-table" },
      h("caption", { class: "visually-hidden" }, "Access history, newest first"),
      h("thead", {}, h("tr", {}, ["When", "Done by", "Through", "Action", "Done to", "Change"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        events.map((e) =>
          h(
            "tr",
            { dataset: { action: e.action } },
            cell("When", [time(e.at, { now })]),
            cell("Done by", [personLink(e.actor)]),
            cell("Through", [h("span", { class: "client", title: "What made the change, as the request identified itself" }, visible(clientText(e)))]),
            cell("Action", [h("span", { class: `action action-${e.action.split(".")[0]}` }, ACTIONS[e.action] ?? e.action)]),
            cell("Done to", [personLink(e.target)]),
            cell("Change", [h("ul", { class: "change-lines" }, summarize(e.before, e.after).map((l) => h("li", {}, l)))]),
          ),
        ),
      ),
    ),
  );
}
