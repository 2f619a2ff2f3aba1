// @ts-check
// Review: the access review an auditor signs, built by the engine's own review code (the
// domain core, reconciler/review/assemble.ts, served compiled under /dashboard/core/), so
// the page and `antryk-access review` can never disagree. Five questions, one sortable
// table each: who are the admins (however they hold access:manage), who is outside the
// company domains (set on the page, kept in the URL), whose access ends within N days
// (the workspace's accessExpiresAt), which invitations are older than N days, and whom no
// file manages; then who has been inactive. Dates are absolute (UTC). The CSV is the
// CLI's (one row per person, a column for each section). Printing shows only the review,
// headed by the workspace, the time it was generated and the reviewer (review.css).
import { assembleReview, expiringAccess, normalizeDomains, notManaged } from "@core/reconciler/review/assemble.js";
import { renderReviewCsv } from "@core/reconciler/review/csv.js";
import { eventText, minuteUtc } from "@core/reconciler/render/audit-words.js";
import { liveRoleTable } from "@core/reconciler/permissions.js";
import { ADMIN_PERMISSION, isBuiltInRole } from "@core/schema/catalog.js";
import { describeFailure } from "./api.js";
import { cell, h, replace, scrollRegion } from "./dom.js";
import { visibleIdentity as visible } from "./identity.js";
import { readQuery, writeQuery } from "./state.js";

/** HISTORY_PAGE_CAP bounds the history pages read for last changes (1,000 events each). */
export const HISTORY_PAGE_CAP = 10;
/** DEFAULTS are the windows the page starts with (the CLI review's defaults). */
export const DEFAULTS = { expiringDays: 30, olderDays: 14, inactiveDays: 90 };

/**
 * STATUS_WORDS say a review row's status as the page prints it.
 * @type {Record<string, string>}
 */
export const STATUS_WORDS = { active: "Active member", pending: "Invitation pending", expired: "Invitation expired" };

/**
 * @typedef {import("../../../reconciler/review/model.js").ReviewPerson} ReviewPerson
 * @typedef {import("../../../reconciler/review/model.js").Review} Review
 * @typedef {{ label: string, sort: (row: any) => string | number, cell: (row: any) => any, nowrap?: boolean }} Column
 * @typedef {any} Ctx the page's session (app.js): api, me, workspace, roles, catalog, canManage
 */

/**
 * readHistory reads the access history newest first until every person's last change is found, the history ends or HISTORY_PAGE_CAP pages were read.
 * @param {Ctx} ctx
 * @param {string[]} emails
 */
async function readHistory(ctx, emails) {
  const wanted = new Set(emails.map((e) => e.toLowerCase()));
  const lastChange = new Map();
  let cursor = null;
  let pagesRead = 0;
  let eventsRead = 0;
  let ended = false;
  while (pagesRead < HISTORY_PAGE_CAP && lastChange.size < wanted.size) {
    /** @type {{ items: any[], nextCursor: string | null }} */
    const page = await ctx.api.audit({ limit: 1000, cursor });
    pagesRead += 1;
    eventsRead += page.items.length;
    for (const e of page.items) {
      if (!e.action.startsWith("member.") && !e.action.startsWith("invitation.")) continue;
      const key = String(e.target).toLowerCase();
      if (wanted.has(key) && !lastChange.has(key)) lastChange.set(key, e);
    }
    cursor = page.nextCursor;
    if (!cursor) {
      ended = true;
      break;
    }
  }
  return { lastChange, history: { readable: true, pagesRead, eventsRead, complete: ended || lastChange.size === wanted.size } };
}

/**
 * readWindows reads the page's settings from the URL: company domains (default the owner's domain) and the two windows in days.
 * @param {string} owner
 */
function readWindows(owner) {
  const query = readQuery();
  const days = (/** @type {string} */ name, /** @type {number} */ fallback) => {
    const n = Number.parseInt(query.get(name) ?? "", 10);
    return Number.isInteger(n) && n >= 0 && n <= 3650 ? n : fallback;
  };
  return {
    domains: query.has("domains") ? (query.get("domains") ?? "") : owner.slice(owner.lastIndexOf("@") + 1),
    expiringDays: days("expiring", DEFAULTS.expiringDays),
    olderDays: days("older", DEFAULTS.olderDays),
  };
}

/**
 * utcSeconds is an instant as the printed review dates itself: `2026-12-08 02:30:15 UTC`.
 * @param {Date} date
 */
export function utcSeconds(date) {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * renderReview fills `view` with the Review page.
 * @param {HTMLElement} view
 * @param {Ctx} ctx
 */
export async function renderReview(view, ctx) {
  const [members, invitations] = await Promise.all([ctx.api.members(), ctx.api.invitations()]);
  const owner = ctx.workspace?.owner ?? members.find((/** @type {{ role: string }} */ m) => m.role === "owner")?.email ?? "";
  let reads = { lastChange: new Map(), history: { readable: false, pagesRead: 0, eventsRead: 0, complete: false } };
  let historyNote = "";
  if (ctx.canManage) {
    try {
      reads = await readHistory(ctx, [...members, ...invitations].map((p) => p.email).filter((e) => e !== owner));
    } catch (err) {
      historyNote = describeFailure(err);
    }
  } else {
    historyNote = "Last changes come from the access history, which needs the access:manage permission.";
  }
  const generated = new Date();
  const live = { workspace: ctx.workspace ?? { name: ctx.api.workspace, owner, revision: 0 }, members, invitations, roles: ctx.roles };
  const roleTable = liveRoleTable(ctx.roles);
  const settings = readWindows(owner);
  /** @type {Review} */
  let review;
  const build = () => {
    review = assembleReview({
      live,
      target: location.origin,
      entries: null,
      accessFile: null,
      drift: null,
      lastChange: reads.lastChange,
      history: reads.history,
      now: generated,
      internalDomains: normalizeDomains(settings.domains.split(/[\s,;]+/)),
      staleAfterDays: settings.olderDays,
      inactiveAfterDays: DEFAULTS.inactiveDays,
    });
    return review;
  };
  build();

  const sections = h("div", { class: "review-sections" });
  const counts = h("ul", { class: "counts", "aria-label": "Review counts" });
  const draw = () => {
    build();
    writeQuery({ domains: settings.domains, expiring: settings.expiringDays === DEFAULTS.expiringDays ? "" : settings.expiringDays, older: settings.olderDays === DEFAULTS.olderDays ? "" : settings.olderDays });
    const people = new Map(review.people.map((p) => [p.email, p]));
    const expiring = expiringAccess(review.people, settings.expiringDays, generated);
    const outside = review.outside === null ? null : review.outside.map((e) => people.get(e));
    const admins = review.admins.map((e) => people.get(e));
    const unmanaged = notManaged(review.people);
    const inactive = review.inactive.map((i) => ({ ...people.get(i.email), inactiveDays: i.inactiveDays }));
    const domainsText = review.internalDomains.join(", ");
    replace(
      counts,
      [
        ["Admins", admins.length, "admins"],
        ["Outside the company domains", outside === null ? "—" : outside.length, "outside"],
        [`Access ending within ${settings.expiringDays} days`, expiring.length, "expiring"],
        [`Invitations older than ${settings.olderDays} days`, review.stale.length, "stale"],
        ["Not managed by any file", unmanaged.length, "not-managed"],
        [`Inactive for ${DEFAULTS.inactiveDays} days`, review.inactive.length, "inactive"],
      ].map(([label, value, key]) => h("li", { class: "count", dataset: { count: key } }, h("span", { class: "count-value" }, String(value)), h("span", { class: "count-label" }, label))),
    );
    replace(
      sections,
      sortableSection("review-admins", "Admins", "Everyone holding access:manage, through their role, a custom role or an extra permission.", admins, "Nobody but the owner can manage access.", [
        personColumn(),
        statusColumn(),
        roleColumn(),
        { label: "Admin through", sort: (p) => adminThrough(p, roleTable), cell: (p) => prose(adminThrough(p, roleTable)) },
        managedColumn(),
        dateColumn("Since", (p) => p.since),
        dateColumn("Last active", (p) => p.lastActiveAt, "Never"),
      ]),
      outside === null
        ? section("review-outside", "Outside the company domains", h("p", { class: "empty" }, "Enter the company domains above to list the people outside them."))
        : sortableSection("review-outside", "Outside the company domains", `Addresses not in ${domainsText} or their subdomains.`, outside, `Everyone is in ${domainsText}.`, [
            personColumn(),
            { label: "Domain", sort: (p) => domainOf(p.email), cell: (p) => breakable(visible(domainOf(p.email))) },
            statusColumn(),
            roleColumn(),
            { label: "Admin", sort: (p) => (p.admin ? 1 : 0), cell: (p) => (p.admin ? "Yes" : "No") },
            dateColumn("Since", (p) => p.since),
          ]),
      sortableSection(
        "review-expiring",
        `Access ending within ${settings.expiringDays} days`,
        "When the workspace ends each person's access (accessExpiresAt, sent from access.yaml's expires); past ends are listed until the person is removed.",
        expiring.map((x) => ({ ...x.person, endsAt: x.endsAt, daysLeft: x.daysLeft })),
        `Nobody's access ends within ${settings.expiringDays} days.`,
        [personColumn(), statusColumn(), roleColumn(), dateColumn("Access ends", (p) => p.endsAt), { label: "Days left", sort: (p) => p.daysLeft, cell: (p) => daysLeftWords(p.daysLeft), nowrap: true }, managedColumn()],
      ),
      sortableSection(
        "review-stale",
        `Invitations older than ${settings.olderDays} days`,
        "Open invitations sent more than that many days before this review: revoke them on the Invitations page, or ask why they are still open.",
        review.stale.map((s) => ({ ...people.get(s.email), invitedAt: s.invitedAt, ageDays: s.ageDays, invitedBy: s.invitedBy })),
        `No open invitation is older than ${settings.olderDays} days.`,
        [personColumn(), statusColumn(), roleColumn(), dateColumn("Invited", (p) => p.invitedAt), { label: "Age", sort: (p) => p.ageDays, cell: (p) => `${p.ageDays} days`, nowrap: true }, { label: "Invited by", sort: (p) => p.invitedBy ?? "", cell: (p) => emailText(p.invitedBy) }],
      ),
      sortableSection("review-not-managed", "Not managed by any file", "People (the owner aside) whom no access.yaml or Pulumi stack manages: their access was given by hand.", unmanaged, "Every person is managed by a file or a stack.", [
        personColumn(),
        statusColumn(),
        roleColumn(),
        dateColumn("Since", (p) => p.since),
        { label: "Last change", sort: (p) => p.lastChange?.at ?? "", cell: (p) => lastChangeText(p.lastChange) },
      ]),
      sortableSection("review-inactive", `Inactive for ${DEFAULTS.inactiveDays} days`, "Members (the owner aside) who have not used their access for that long.", inactive, `Every member used their access within ${DEFAULTS.inactiveDays} days.`, [
        personColumn(),
        roleColumn(),
        dateColumn("Last active", (p) => p.lastActiveAt, "Never"),
        { label: "Inactive", sort: (p) => p.inactiveDays, cell: (p) => `${p.inactiveDays} days`, nowrap: true },
      ]),
    );
  };

  const domainsInput = h("input", { id: "review-domains", type: "text", autocomplete: "off", spellcheck: "false", value: settings.domains, dataset: { key: "filter:domains" }, "aria-describedby": "review-domains-hint" });
  const number = (/** @type {string} */ id, /** @type {number} */ value, /** @type {string} */ key) => h("input", { id, type: "number", min: "0", max: "3650", step: "1", inputmode: "numeric", value: String(value), dataset: { key }, class: "days" });
  const expiringInput = number("review-expiring-days", settings.expiringDays, "filter:expiring");
  const olderInput = number("review-older-days", settings.olderDays, "filter:older");
  const update = () => {
    settings.domains = domainsInput.value.trim();
    const days = (/** @type {HTMLInputElement} */ input, /** @type {number} */ fallback) => (input.validity.valid && input.value !== "" ? Number(input.value) : fallback);
    settings.expiringDays = days(expiringInput, settings.expiringDays);
    settings.olderDays = days(olderInput, settings.olderDays);
    draw();
  };
  for (const input of [domainsInput, expiringInput, olderInput]) input.addEventListener("input", update);

  const download = h(
    "button",
    {
      type: "button",
      class: "btn",
      onclick: () => {
        const url = URL.createObjectURL(new Blob([renderReviewCsv(review)], { type: "text/csv;charset=utf-8" }));
        const a = h("a", { href: url, download: `access-review-${ctx.api.workspace}.csv` });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      },
    },
    "Download CSV",
  );
  const print = h("button", { type: "button", class: "btn", onclick: () => window.print() }, "Print");
  const reviewer = ctx.me?.email ?? "";
  draw();
  replace(
    view,
    h("h1", { tabindex: -1 }, "Access review"),
    h(
      "dl",
      { class: "review-meta" },
      h("div", {}, h("dt", {}, "Workspace"), h("dd", { dataset: { meta: "workspace" } }, visible(live.workspace.name))),
      h("div", {}, h("dt", {}, "Generated at"), h("dd", { dataset: { meta: "generated" } }, h("time", { datetime: generated.toISOString() }, utcSeconds(generated)))),
      h("div", {}, h("dt", {}, "Reviewer"), h("dd", { dataset: { meta: "reviewer" } }, emailText(reviewer))),
      h("div", {}, h("dt", {}, "Revision"), h("dd", {}, String(live.workspace.revision))),
    ),
    h("p", { class: "lead screen-only" }, "Who holds access, as the workspace has it now. Run antryk-access review -f access.yaml to compare with the file and see drift."),
    h(
      "form",
      { class: "filters review-controls", "aria-label": "Review settings", onsubmit: (/** @type {Event} */ event) => event.preventDefault() },
      h("div", { class: "field grow" }, h("label", { for: domainsInput.id }, "Company domains"), h("p", { class: "hint", id: "review-domains-hint" }, "Separated by commas; subdomains count as inside."), domainsInput),
      h("div", { class: "field" }, h("label", { for: expiringInput.id }, "Access ending within (days)"), expiringInput),
      h("div", { class: "field" }, h("label", { for: olderInput.id }, "Invitations older than (days)"), olderInput),
      h("div", { class: "field field-button review-actions" }, h("span", { class: "button-row" }, download, print)),
    ),
    historyNote ? h("p", { class: "notice" }, historyNote) : null,
    counts,
    sections,
  );
}

/**
 * adminThrough says how a person holds access:manage: `Owner`, `Role account-admin`, `Custom role finance-viewer`, `Extra permission`, or several.
 * @param {ReviewPerson} p
 * @param {ReadonlyMap<string, readonly string[]>} roleTable
 */
export function adminThrough(p, roleTable) {
  if (p.owner) return "Owner";
  const ways = [];
  if ((roleTable.get(p.role) ?? []).includes(ADMIN_PERMISSION)) ways.push(`${isBuiltInRole(p.role) ? "Role" : "Custom role"} ${visible(p.role)}`);
  if (p.permissions.includes(ADMIN_PERMISSION)) ways.push("Extra permission");
  return ways.join(" and ");
}

/**
 * lastChangeText is the engine's wording of an event, its time kept on one line.
 * @param {ReviewPerson["lastChange"]} e
 */
function lastChangeText(e) {
  if (!e) return h("span", { class: "muted" }, "Not in the history read");
  const full = visible(eventText(e));
  const when = minuteUtc(e.at);
  return h("span", {}, prose(full.endsWith(when) ? full.slice(0, -when.length) : `${full} `), utcTime(e.at));
}

/** @param {string} email */
function domainOf(email) {
  return email.slice(email.lastIndexOf("@") + 1);
}

/** @param {number} days */
function daysLeftWords(days) {
  if (days < 0) return `Ended ${-days} day${days === -1 ? "" : "s"} before this review`;
  if (days === 0) return "Less than a day";
  return `${days} day${days === 1 ? "" : "s"}`;
}

// emailText shows an address that may break only after "@" or ".", never inside a word nor at a hyphen.
/** @param {string | null | undefined} email */
function emailText(email) {
  if (!email) return h("span", { class: "muted" }, "—");
  return h("span", { class: "email" }, breakable(visible(email)));
}

// LONG_PIECE: a piece longer than this (a 63-letter domain label, say) is no word and may break anywhere.
const LONG_PIECE = 24;

// breakable is `text` in unbreakable pieces (a hyphen is no break) with a break allowed after "@", ".", "/" or ":".
/** @param {string} text */
function breakable(text) {
  return text.split(/(?<=[@./:])/).flatMap((part, i) => [i === 0 ? null : h("wbr"), h("span", { class: part.length > LONG_PIECE ? "long" : "nowrap" }, part)]);
}

// prose is running text whose addresses and other long tokens break like breakable's, its words never.
/** @param {string} text */
function prose(text) {
  return text.split(/(\s+)/).map((token) => (/^\s*$/.test(token) ? token : token.length > LONG_PIECE || token.includes("@") ? breakable(token) : h("span", { class: "nowrap" }, token)));
}

// utcTime is an instant to the minute in UTC, breakable only between its date and its time.
/** @param {string} iso */
function utcTime(iso) {
  return h("time", { datetime: iso }, prose(minuteUtc(iso)));
}

/** @returns {Column} */
function personColumn() {
  return { label: "Person", sort: (p) => p.email, cell: (p) => emailText(p.email) };
}
/** @returns {Column} */
function statusColumn() {
  return { label: "Status", sort: (p) => STATUS_WORDS[p.status] ?? p.status, cell: (p) => STATUS_WORDS[p.status] ?? p.status };
}
/** @returns {Column} */
function roleColumn() {
  return { label: "Role", sort: (p) => p.role, cell: (p) => visible(p.role), nowrap: true };
}
/** @returns {Column} */
function managedColumn() {
  return { label: "Managed by", sort: (p) => p.managedBy ?? "", cell: (p) => (p.managedBy === null ? (p.owner ? "—" : "Nobody") : h("code", {}, breakable(visible(p.managedBy)))) };
}
/**
 * @param {string} label
 * @param {(row: any) => string | null | undefined} value
 * @returns {Column}
 */
function dateColumn(label, value, none = "—") {
  return {
    label,
    sort: (p) => value(p) ?? "",
    cell: (p) => {
      const at = value(p);
      return at ? utcTime(at) : h("span", { class: "muted" }, none);
    },
  };
}

/**
 * @param {string} id
 * @param {string} title
 * @param {...any} content
 */
function section(id, title, ...content) {
  return h("section", { class: "review-section", "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

/**
 * sortableSection is a titled table of `rows` whose column headers sort it (again: reverse),
 * with aria-sort on the sorted column; rows start in the order given.
 * @param {string} id
 * @param {string} title
 * @param {string} lead
 * @param {any[]} rows
 * @param {string} empty
 * @param {Column[]} columns
 */
function sortableSection(id, title, lead, rows, empty, columns) {
  const wrap = h("div");
  let sort = { index: -1, dir: "asc" };
  const draw = () => {
    const column = columns[sort.index];
    const sorted = column?.sort ? [...rows].sort((a, b) => (sort.dir === "desc" ? -1 : 1) * compare(column.sort(a), column.sort(b)) || compare(a.email, b.email)) : rows;
    const header = columns.map((c, index) => {
      const active = sort.index === index;
      return h(
        "th",
        { scope: "col", "aria-sort": active ? (sort.dir === "desc" ? "descending" : "ascending") : "none" },
        h(
          "button",
          {
            type: "button",
            class: "sort",
            dataset: { key: `sort:${id}:${index}` },
            onclick: () => {
              sort = { index, dir: active && sort.dir === "asc" ? "desc" : "asc" };
              draw();
              /** @type {HTMLElement | null} */ (wrap.querySelector(`[data-key="sort:${id}:${index}"]`))?.focus();
            },
          },
          c.label,
          h("span", { class: "sort-mark", "aria-hidden": "true" }, active ? (sort.dir === "desc" ? " ▼" : " ▲") : " ↕"),
        ),
      );
    });
    replace(
      wrap,
      scrollRegion(
        title,
        h(
          "table",
          { class: "data review-table" },
          h("caption", { class: "visually-hidden" }, title),
          h("thead", {}, h("tr", {}, header)),
          h("tbody", {}, sorted.map((row) => h("tr", { dataset: { email: row.email } }, columns.map((c) => cell(c.label, [c.nowrap ? h("span", { class: "nowrap" }, c.cell(row)) : c.cell(row)]))))),
        ),
      ),
    );
  };
  if (rows.length > 0) draw();
  return section(id, title, h("p", { class: "section-lead" }, lead), rows.length === 0 ? h("p", { class: "empty" }, empty) : wrap);
}

/**
 * @param {unknown} a
 * @param {unknown} b
 */
function compare(a, b) {
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}
