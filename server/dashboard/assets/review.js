// Review: the access review of `antryk-access review` (docs/review.md) as the server can
// make it, without access.yaml (so no "not in access.yaml", file expiries or drift):
// counts, the people holding high-risk permissions, invitations expiring within 30 days,
// invitations older than 14 days, members inactive for 90 days (the owner aside), everyone
// with when they last used their access and the last change to their access (who, when,
// through what), and a CSV download of one row per person.
import { describeFailure } from "./api.js";
import { cell, h, replace, scrollRegion } from "./dom.js";
import { holdsAdmin, inactiveFor, INACTIVE_DAYS, lastActive, liveStatus, permissionList, permissionsWhere, time } from "./format.js";
import { clientText } from "./history.js";
import { visibleIdentity as visible } from "./identity.js";
import { managedBy } from "./managed.js";

/** STALE_AFTER_DAYS: an open invitation created longer ago than this is stale (the CLI's --stale-after default). */
export const STALE_AFTER_DAYS = 14;
/** EXPIRING_WITHIN_DAYS: a pending invitation whose token expires within this many days is listed as expiring. */
export const EXPIRING_WITHIN_DAYS = 30;
/** HISTORY_PAGE_CAP bounds the history pages read for last changes (1,000 events each). */
export const HISTORY_PAGE_CAP = 10;

const DAY_MS = 86_400_000;

/**
 * buildReview is the review of what the page read: members, invitations, roles (built-in
 * ones with their permissions), history events newest first, and the permission catalog
 * (GET /permissions: which permissions are high risk, which make an admin). Pure: the
 * same input and `now` give the same review. People are members and open (pending or expired) invitations.
 */
export function buildReview({ members, invitations, roles, events, catalog, now }) {
  const highRisk = permissionsWhere(catalog, "reviewHighRisk");
  const rolePermissions = new Map(roles.map((r) => [r.name, r.permissions]));
  const last = new Map();
  for (const e of events) {
    if (!e.action.startsWith("member.") && !e.action.startsWith("invitation.")) continue;
    const key = String(e.target).toLowerCase();
    if (!last.has(key)) last.set(key, e);
  }
  const memberEmails = new Set(members.map((m) => m.email.toLowerCase()));
  const open = invitations.filter((i) => ["pending", "expired"].includes(liveStatus(i, now)) && !memberEmails.has(i.email.toLowerCase()));
  const people = [
    ...members.map((m) => ({
      email: m.email,
      status: "active",
      role: m.role,
      permissions: m.permissions,
      effective: m.effectivePermissions,
      since: m.joinedAt,
      invitedBy: m.invitedBy ?? "",
      expiresAt: null,
      managedBy: managedBy(m),
      joinedAt: m.joinedAt,
      lastActiveAt: m.lastActiveAt ?? null,
      lastActiveVia: m.lastActiveVia ?? null,
      inactive: m.role !== "owner" && inactiveFor(m, INACTIVE_DAYS, now),
    })),
    ...open.map((i) => ({
      email: i.email,
      status: liveStatus(i, now),
      role: i.role,
      permissions: i.permissions,
      effective: [...new Set([...(rolePermissions.get(i.role) ?? []), ...i.permissions])],
      since: i.createdAt,
      invitedBy: i.invitedBy,
      expiresAt: i.expiresAt,
      managedBy: managedBy(i),
      lastActiveAt: null,
      lastActiveVia: null,
      inactive: false,
    })),
  ]
    .map((p) => ({
      ...p,
      highRisk: highRisk.filter((x) => p.effective.includes(x)),
      lastChange: last.get(p.email.toLowerCase()) ?? null,
      stale: p.status !== "active" && now - Date.parse(p.since) > STALE_AFTER_DAYS * DAY_MS,
      // the owner is nobody's to manage; anyone else whom no file or stack manages is listed as such
      unmanaged: p.role !== "owner" && p.managedBy === null,
    }))
    .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  const expiring = people.filter((p) => p.status === "pending" && Date.parse(p.expiresAt) - now <= EXPIRING_WITHIN_DAYS * DAY_MS);
  return {
    people,
    highRisk: people.filter((p) => p.highRisk.length > 0),
    expiring,
    stale: people.filter((p) => p.stale),
    inactive: people.filter((p) => p.inactive).sort((a, b) => Date.parse(a.lastActiveAt ?? a.joinedAt) - Date.parse(b.lastActiveAt ?? b.joinedAt)),
    summary: {
      people: people.length,
      active: people.filter((p) => p.status === "active").length,
      admins: people.filter((p) => holdsAdmin(p.effective, catalog)).length,
      highRisk: people.filter((p) => p.highRisk.length > 0).length,
      expiring: expiring.length,
      stale: people.filter((p) => p.stale).length,
      notManaged: people.filter((p) => p.unmanaged).length,
      inactive: people.filter((p) => p.inactive).length,
    },
  };
}

/** CSV_COLUMNS are the download's columns (docs/review.md, "The dashboard's Review"). */
export const CSV_COLUMNS = [
  ["email", (p) => p.email],
  ["status", (p) => p.status],
  ["role", (p) => p.role],
  ["extra_permissions", (p) => p.permissions.join(" ")],
  ["effective_permissions", (p) => p.effective.join(" ")],
  ["high_risk_permissions", (p) => p.highRisk.join(" ")],
  ["since", (p) => p.since],
  ["last_active_at", (p) => p.lastActiveAt ?? ""],
  ["last_active_via", (p) => p.lastActiveVia ?? ""],
  ["inactive", (p) => (p.inactive ? "yes" : "no")],
  ["invited_by", (p) => p.invitedBy],
  ["invitation_expires_at", (p) => p.expiresAt ?? ""],
  ["last_change_at", (p) => p.lastChange?.at ?? ""],
  ["last_change_by", (p) => p.lastChange?.actor ?? ""],
  ["last_change_action", (p) => p.lastChange?.action ?? ""],
  ["last_change_client", (p) => p.lastChange?.client ?? ""],
  ["stale_invitation", (p) => (p.stale ? "yes" : "no")],
  ["managed_by", (p) => p.managedBy ?? ""],
];

/** reviewCsv is the review as CSV like the CLI's: a byte order mark, CRLF, RFC 4180 quoting, formula cells defused with `'`. */
export function reviewCsv(review) {
  const quote = (v) => {
    const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = [CSV_COLUMNS.map(([name]) => name), ...review.people.map((p) => CSV_COLUMNS.map(([, value]) => quote(String(value(p)))))];
  return `\uFEFF${rows.map((r) => r.join(",")).join("\r\n")}\r\n`;
}

/** readHistory reads the access history newest first until every person's last change is found, the history ends or HISTORY_PAGE_CAP pages were read. */
async function readHistory(ctx, emails) {
  const wanted = new Set(emails.map((e) => e.toLowerCase()));
  const events = [];
  const found = new Set();
  let cursor = null;
  for (let pages = 0; pages < HISTORY_PAGE_CAP && found.size < wanted.size; pages += 1) {
    const page = await ctx.api.audit({ limit: 1000, cursor });
    events.push(...page.items);
    for (const e of page.items) if (wanted.has(String(e.target).toLowerCase())) found.add(String(e.target).toLowerCase());
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return events;
}

/** renderReview fills `view` with the Review page. */
export async function renderReview(view, ctx) {
  const [members, invitations] = await Promise.all([ctx.api.members(), ctx.api.invitations()]);
  const owner = members.find((m) => m.role === "owner")?.email;
  let events = [];
  let historyNote = "";
  if (ctx.canManage) {
    try {
      events = await readHistory(ctx, [...members, ...invitations].map((p) => p.email).filter((e) => e !== owner));
    } catch (err) {
      historyNote = describeFailure(err);
    }
  } else {
    historyNote = "Last changes come from the access history, which needs the access:manage permission.";
  }
  const now = Date.now();
  const review = buildReview({ members, invitations, roles: ctx.roles, events, catalog: ctx.catalog, now });
  const download = h(
    "button",
    {
      type: "button",
      class: "btn",
      onclick: () => {
        const url = URL.createObjectURL(new Blob([reviewCsv(review)], { type: "text/csv;charset=utf-8" }));
        const a = h("a", { href: url, download: `access-review-${ctx.api.workspace}.csv` });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      },
    },
    "Download CSV",
  );
  const s = review.summary;
  replace(
    view,
    h("h1", { tabindex: -1 }, "Review"),
    h("p", { class: "lead" }, "Who has what, since when and who changed it last. access.yaml is not known here: run antryk-access review -f access.yaml for where the file grants access and for drift."),
    h("p", {}, download),
    historyNote ? h("p", { class: "notice" }, historyNote) : null,
    h(
      "ul",
      { class: "counts", "aria-label": "Review counts" },
      [
        ["People", s.people, "people"],
        ["Admins", s.admins, "admins"],
        ["Holding a high-risk permission", s.highRisk, "high-risk"],
        [`Invitations expiring within ${EXPIRING_WITHIN_DAYS} days`, s.expiring, "expiring"],
        [`Invitations older than ${STALE_AFTER_DAYS} days`, s.stale, "stale"],
        ["Not managed by any file", s.notManaged, "not-managed"],
        [`Inactive for ${INACTIVE_DAYS} days`, s.inactive, "inactive"],
      ].map(([label, value, key]) => h("li", { class: "count", dataset: { count: key } }, h("span", { class: "count-value" }, String(value)), h("span", { class: "count-label" }, label))),
    ),
    section("High-risk permissions", "review-high-risk", review.highRisk, now, "Nobody holds a high-risk permission."),
    section(`Invitations expiring within ${EXPIRING_WITHIN_DAYS} days`, "review-expiring", review.expiring, now, "No invitation expires soon."),
    section(`Invitations older than ${STALE_AFTER_DAYS} days`, "review-stale", review.stale, now, "No stale invitation. Revoke stale ones on the Invitations page."),
    unmanagedFilter(),
    section(`Inactive for ${INACTIVE_DAYS} days`, "review-inactive", review.inactive, now, `Every member used their access within ${INACTIVE_DAYS} days.`),
    section("Everyone", "review-everyone", review.people, now, "Nobody."),
  );
}

/** unmanagedFilter shows only the people no file or stack manages in the Everyone table (rows marked data-unmanaged). */
function unmanagedFilter() {
  const box = h("input", {
    type: "checkbox",
    id: "review-unmanaged-only",
    dataset: { key: "filter:unmanaged" },
    onchange: (event) => {
      const rows = document.querySelectorAll('section[aria-labelledby="review-everyone"] tbody tr');
      for (const row of rows) row.hidden = event.target.checked && row.dataset.unmanaged !== "true";
    },
  });
  return h("p", { class: "filter" }, box, h("label", { for: "review-unmanaged-only" }, " Show only people not managed by any file"));
}

function section(title, id, people, now, empty) {
  return h(
    "section",
    { "aria-labelledby": id },
    h("h2", { id }, title),
    people.length === 0
      ? h("p", { class: "empty" }, empty)
      : scrollRegion(
          title,
          h(
            "table",
            { class: "data review-table" },
            h("caption", { class: "visually-hidden" }, title),
            h("thead", {}, h("tr", {}, ["Person", "Status", "Role", "High risk", "Managed by", "Since", "Last active", "Last change"].map((t) => h("th", { scope: "col" }, t)))),
            h(
              "tbody",
              {},
              people.map((p) =>
                h(
                  "tr",
                  { dataset: { email: p.email, unmanaged: String(p.unmanaged) } },
                  cell("Person", [h("span", { class: "email" }, visible(p.email))]),
                  cell("Status", [p.status]),
                  cell("Role", [visible(p.role)]),
                  cell("High risk", [permissionList(p.highRisk)]),
                  cell("Managed by", [managerText(p)]),
                  cell("Since", [time(p.since, { now })]),
                  cell("Last active", p.status === "active" ? lastActive(p, now) : [h("span", { class: "muted" }, "—")]),
                  cell("Last change", [lastChange(p, now)]),
                ),
              ),
            ),
          ),
        ),
  );
}

function managerText(p) {
  if (p.managedBy !== null) return h("code", {}, visible(p.managedBy));
  return p.unmanaged ? h("strong", {}, "not managed by any file") : h("span", { class: "muted" }, "—");
}

function lastChange(p, now) {
  const e = p.lastChange;
  if (!e) return h("span", { class: "muted" }, "—");
  return h("span", { class: "last-change" }, `${e.action} by ${visible(e.actor)} (${clientText(e)}), `, time(e.at, { now }));
}
