// @ts-check
// Access history: the audit log, newest first, 25 a page. One "person" filter matches
// part of either side (who did it, or who it was done to, e.g. "heidi"), with the
// workspace's e-mails offered as suggestions; an action filter; a date range (UTC days,
// both ends included). Filters apply as they are typed, and all are kept in the URL so
// member and invitation rows link straight to a person's history. Changes are listed with
// readable field names and the client that made them; the wording of actions and clients
// is the engine's (reconciler/render/audit-words.ts, served as the domain core). "Download
// CSV" saves every event the filters match.
import { ACTION_LABELS, actionLabel, clientLabel } from "@core/reconciler/render/audit-words.js";
import { csvCell, csvText } from "@core/reconciler/review/csv.js";
import { describeFailure } from "./api.js";
import { summarize } from "./changes.js";
import { cell, h, replace, scrollRegion } from "./dom.js";
import { time } from "./format.js";
import { visibleIdentity as visible } from "./identity.js";
import { pageLink, readQuery, writeQuery } from "./state.js";

/**
 * @typedef {import("../../../schema/api.js").AuditEvent} AuditEvent
 * @typedef {{ person: string, action: string, from: string, to: string }} HistoryFilters
 * @typedef {any} Ctx the page's session (app.js): api, me, roles, catalog, canManage
 */

/**
 * clientText names what made a change as the table says it: "Dashboard", "antryk-access 0.1.0", "API", "Server", "Unknown".
 * @param {{ client?: AuditEvent["client"], clientVersion?: string }} e
 */
export function clientText(e) {
  return clientLabel(e.client ?? "unknown", e.clientVersion);
}

const PAGE_SIZE = 25;
const FETCH_SIZE = 500;
/** TYPE_DELAY_MS: the Person filter applies this long after the last keystroke. */
export const TYPE_DELAY_MS = 250;
const DAY_MS = 86_400_000;

/**
 * matchesPerson tells whether event `e` was done by or to someone whose name contains `needle` (any case).
 * @param {{ actor: string, target: string }} e @param {string} needle
 */
export function matchesPerson(e, needle) {
  const n = needle.trim().toLowerCase();
  return !n || String(e.actor).toLowerCase().includes(n) || String(e.target).toLowerCase().includes(n);
}

/**
 * dayRange is the instants a from/to pair of UTC days (YYYY-MM-DD, either may be empty) covers,
 * both days included: `from` at 00:00 UTC, up to the end of `to`.
 * @param {string} from @param {string} to
 * @returns {{ from: number, to: number }}
 */
export function dayRange(from, to) {
  const day = (/** @type {string} */ d) => (/^\d{4}-\d\d-\d\d$/.test(d) ? Date.parse(`${d}T00:00:00Z`) : Number.NaN);
  const start = day(from);
  const end = day(to);
  return { from: Number.isNaN(start) ? -Infinity : start, to: Number.isNaN(end) ? Infinity : end + DAY_MS };
}

/**
 * eventSource reads the log from the API a batch at a time (newest first) and keeps the
 * events that match, so any page of the filtered history can be shown; it stops reading
 * at the first event older than the range's start.
 * @param {Ctx} ctx @param {HistoryFilters} filters
 * @returns {(count: number) => Promise<AuditEvent[]>}
 */
function eventSource(ctx, { person, action, from, to }) {
  const range = dayRange(from, to);
  /** @type {AuditEvent[]} */
  const matched = [];
  /** @type {string | null} */
  let cursor = null;
  let done = false;
  return async (count) => {
    while (matched.length < count && !done) {
      // the server narrows by `q` (actor or target contains it); matchesPerson is the same rule
      const page = await ctx.api.audit({ limit: FETCH_SIZE, cursor, action, q: person.trim().toLowerCase() });
      for (const e of page.items) {
        const at = Date.parse(e.at);
        if (at < range.from) {
          done = true;
          break;
        }
        if (at < range.to && matchesPerson(e, person)) matched.push(e);
      }
      cursor = page.nextCursor;
      done ||= !cursor;
    }
    return matched;
  };
}

/**
 * HISTORY_CSV_COLUMNS are the history download's columns: one home for the header and the values.
 * @type {[string, (e: any) => string][]}
 */
export const HISTORY_CSV_COLUMNS = [
  ["at", (e) => e.at],
  ["actor", (e) => e.actor],
  ["client", (e) => e.client ?? ""],
  ["client_version", (e) => e.clientVersion ?? ""],
  ["action", (e) => e.action],
  ["action_label", (e) => actionLabel(e.action)],
  ["target", (e) => e.target],
  ["change", (e) => summarize(e.before, e.after).join("; ")],
  ["manager", (e) => e.manager ?? ""],
  ["request_id", (e) => e.requestId ?? ""],
];

/**
 * historyCsv is events as a spreadsheet-ready CSV (the review's writer: BOM, CRLF, formula cells defused), one row each.
 * @param {AuditEvent[]} events
 */
export function historyCsv(events) {
  return csvText([HISTORY_CSV_COLUMNS.map(([name]) => name), ...events.map((e) => HISTORY_CSV_COLUMNS.map(([, value]) => csvCell(String(value(e)))))]);
}

/**
 * renderHistory fills `view` with the Access history page.
 * @param {HTMLElement} view @param {Ctx} ctx
 */
export async function renderHistory(view, ctx) {
  if (!ctx.canManage) {
    replace(view, h("h1", { tabindex: -1 }, "Access history"), h("p", { class: "notice" }, "Reviewing access history needs the access:manage permission, which you do not hold."));
    return;
  }
  const query = readQuery();
  // suggestions come from the first page of each list only (the server searches the rest)
  const [{ items: members }, { items: invitations }] = await Promise.all([ctx.api.membersPage({ limit: 1000 }), ctx.api.invitationsPage({ limit: 1000 })]);
  /** @type {string[]} */
  const names = [...members.map((/** @type {{ email: string }} */ m) => m.email), ...invitations.map((/** @type {{ email: string }} */ i) => i.email), ...ctx.roles.filter((/** @type {{ builtIn: boolean }} */ r) => !r.builtIn).map((/** @type {{ name: string }} */ r) => r.name)];
  const suggestions = [...new Set(names)].sort();
  const person = h("input", { id: "history-person", type: "search", name: "person", list: "history-people", placeholder: "part of an e-mail or role name", autocomplete: "off", value: query.get("person") ?? "", dataset: { key: "filter:person" }, "aria-describedby": "history-person-hint" });
  const action = h("select", { id: "history-action", name: "action", dataset: { key: "filter:action" } }, h("option", { value: "" }, "All actions"), Object.entries(ACTION_LABELS).map(([v, label]) => h("option", { value: v, selected: v === query.get("action") }, label)));
  const dateInput = (/** @type {string} */ id, /** @type {string} */ key) => h("input", { id, type: "date", name: key, value: /^\d{4}-\d\d-\d\d$/.test(query.get(key) ?? "") ? query.get(key) : "", dataset: { key: `filter:${key}` }, "aria-describedby": "history-range-hint" });
  const from = dateInput("history-from", "from");
  const to = dateInput("history-to", "to");
  const results = h("div", { class: "history-results", "aria-live": "polite" });
  let pageIndex = Math.max(0, Number.parseInt(query.get("page") ?? "1", 10) - 1) || 0;
  const filters = () => ({ person: person.value, action: action.value, from: from.value, to: to.value });
  let source = eventSource(ctx, filters());
  let drawn = 0; // the newest load wins: an older answer arriving late is dropped

  const save = () => writeQuery({ person: person.value.trim(), action: action.value, from: from.value, to: to.value, page: pageIndex ? pageIndex + 1 : "" });
  // load shows the current page; `focusLabel` keeps keyboard focus on the pager button pressed.
  const load = async (/** @type {string | undefined} */ focusLabel = undefined) => {
    const mine = (drawn += 1);
    results.setAttribute("aria-busy", "true");
    try {
      const matched = await source((pageIndex + 1) * PAGE_SIZE + 1);
      if (mine !== drawn) return;
      const items = matched.slice(pageIndex * PAGE_SIZE, (pageIndex + 1) * PAGE_SIZE);
      const hasNext = matched.length > (pageIndex + 1) * PAGE_SIZE;
      replace(results, eventsTable(items), pager(hasNext));
      if (focusLabel) {
        /** @type {HTMLButtonElement[]} */
        const buttons = [...results.querySelectorAll(".pager button")];
        (buttons.find((b) => b.textContent === focusLabel && !b.disabled) ?? buttons.find((b) => !b.disabled))?.focus();
      }
    } catch (err) {
      if (mine === drawn) replace(results, h("p", { class: "form-error", role: "alert" }, describeFailure(err)));
    } finally {
      if (mine === drawn) results.removeAttribute("aria-busy");
    }
  };
  const refilter = () => {
    pageIndex = 0;
    source = eventSource(ctx, filters());
    save();
    load();
  };
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  person.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(refilter, TYPE_DELAY_MS);
  });
  for (const control of [action, from, to]) control.addEventListener("change", refilter);

  const pager = (/** @type {boolean} */ hasNext) =>
    h(
      "nav",
      { class: "pager", "aria-label": "Pages of access history" },
      h("button", { type: "button", class: "btn", disabled: pageIndex === 0, onclick: () => { pageIndex -= 1; save(); load("← Newer"); } }, "← Newer"),
      h("span", { class: "muted" }, `Page ${pageIndex + 1}`),
      h("button", { type: "button", class: "btn", disabled: !hasNext, onclick: () => { pageIndex += 1; save(); load("Older →"); } }, "Older →"),
    );
  const downloadError = h("p", { class: "form-error", role: "alert", hidden: true });
  const download = h(
    "button",
    {
      type: "button",
      class: "btn",
      onclick: async () => {
        downloadError.hidden = true;
        download.setAttribute("aria-busy", "true");
        try {
          const all = await eventSource(ctx, filters())(Infinity);
          const url = URL.createObjectURL(new Blob([historyCsv(all)], { type: "text/csv;charset=utf-8" }));
          const a = h("a", { href: url, download: `access-history-${ctx.api.workspace}.csv` });
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 1000);
        } catch (err) {
          downloadError.hidden = false;
          downloadError.textContent = describeFailure(err);
        } finally {
          download.removeAttribute("aria-busy");
        }
      },
    },
    "Download CSV",
  );
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter access history", onsubmit: (/** @type {Event} */ event) => { event.preventDefault(); clearTimeout(typing); refilter(); } },
    h("div", { class: "field grow" }, h("label", { for: person.id }, "Person"), h("p", { class: "hint", id: "history-person-hint" }, "Done by or to them; part of a name is enough. Filters as you type."), person),
    h("datalist", { id: "history-people" }, suggestions.map((s) => h("option", { value: s }))),
    h("div", { class: "field" }, h("label", { for: action.id }, "Action"), action),
    h("div", { class: "field" }, h("label", { for: from.id }, "From (UTC day)"), from),
    h("div", { class: "field" }, h("label", { for: to.id }, "To (UTC day)"), to),
    h("p", { class: "hint visually-hidden", id: "history-range-hint" }, "Both days included; leave empty for no limit."),
    h("div", { class: "field field-button" }, download),
  );
  replace(view, h("h1", { tabindex: -1 }, "Access history"), h("p", { class: "lead" }, "Who did what to whom, newest first."), form, downloadError, results);
  await load();
}

/**
 * personLink shows a name that narrows the history to that person when followed.
 * @param {string} name
 */
function personLink(name) {
  return h("a", { class: "email", href: pageLink("history", { person: name }), title: `Only events done by or to ${visible(name)}` }, visible(name));
}

/** @param {AuditEvent[]} events */
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
            cell("Action", [h("span", { class: `action action-${e.action.split(".")[0]}` }, actionLabel(e.action))]),
            cell("Done to", [personLink(e.target)]),
            cell("Change", [h("ul", { class: "change-lines" }, summarize(e.before, e.after).map((l) => h("li", {}, l)))]),
          ),
        ),
      ),
    ),
  );
}
