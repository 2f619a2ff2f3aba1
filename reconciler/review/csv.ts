import type { Review, ReviewPerson } from "./model.js";
import { fileWords } from "./file-words.js";

/**
 * REVIEW_CSV_COLUMNS are the CSV's columns, in order (docs/review.md documents each):
 * one home for the header and the values, so they cannot drift apart.
 */
export const REVIEW_CSV_COLUMNS: readonly { name: string; value: (p: ReviewPerson, r: Review) => string }[] = [
  { name: "email", value: (p) => p.email },
  { name: "status", value: (p) => p.status },
  { name: "role", value: (p) => p.role },
  { name: "extra_permissions", value: (p) => p.permissions.join(" ") },
  { name: "effective_permissions", value: (p) => p.effectivePermissions.join(" ") },
  { name: "high_risk_permissions", value: (p) => p.highRisk.join(" ") },
  { name: "admin", value: (p) => yesNo(p.admin) },
  { name: "owner", value: (p) => yesNo(p.owner) },
  { name: "internal", value: (p) => (p.internal === null ? "" : yesNo(p.internal)) },
  { name: "in_access_yaml", value: (p) => (p.inFile === undefined ? "" : p.inFile === null ? "no" : fileWords(p.inFile)) },
  { name: "group", value: (p) => p.inFile?.group ?? "" },
  { name: "since", value: (p) => p.since },
  { name: "last_active_at", value: (p) => p.lastActiveAt ?? "" },
  { name: "last_active_via", value: (p) => p.lastActiveVia ?? "" },
  { name: "inactive_days", value: (p) => (p.inactiveDays === null ? "" : String(p.inactiveDays)) },
  { name: "inactive", value: (p, r) => yesNo(r.inactive.some((i) => i.email === p.email)) },
  { name: "invited_by", value: (p) => p.invitedBy ?? "" },
  { name: "last_change_at", value: (p) => p.lastChange?.at ?? "" },
  { name: "last_change_by", value: (p) => p.lastChange?.actor ?? "" },
  { name: "last_change_action", value: (p) => p.lastChange?.action ?? "" },
  { name: "last_change_client", value: (p) => p.lastChange?.client ?? "" },
  { name: "last_change_request_id", value: (p) => p.lastChange?.requestId ?? "" },
  { name: "expires", value: (p) => p.expires ?? "" },
  { name: "days_left", value: (p) => (p.daysLeft === null ? "" : String(p.daysLeft)) },
  { name: "stale_invitation", value: (p, r) => yesNo(r.stale.some((s) => s.email === p.email)) },
  { name: "managed_by", value: (p) => p.managedBy ?? "" },
  { name: "not_managed", value: (p) => yesNo(p.managedBy === null && !p.owner) },
  { name: "access_expires_at", value: (p) => p.accessExpiresAt ?? "" },
];

/**
 * renderReviewCsv is the review as CSV (RFC 4180: CRLF line ends, quoted where needed),
 * one row per person under a header of REVIEW_CSV_COLUMNS. It opens in a spreadsheet as
 * is: a UTF-8 byte order mark first, and any cell a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`. The module imports
 * no Node module: the dashboard's download is this very function.
 */
export function renderReviewCsv(review: Review): string {
  const rows = review.people.map((p) => REVIEW_CSV_COLUMNS.map((c) => defuse(c.value(p, review))));
  return csvText([REVIEW_CSV_COLUMNS.map((c) => c.name), ...rows]);
}

/**
 * csvText writes rows as a spreadsheet-ready CSV file (RFC 4180): a UTF-8 byte order mark,
 * CRLF line ends, a cell quoted (its quotes doubled) when it holds a comma, a quote or a
 * line end. Cells are written as given: defuse formula cells first (csvCell).
 */
export function csvText(rows: readonly (readonly string[])[]): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `\uFEFF${rows.map((r) => `${r.map(quote).join(",")}\r\n`).join("")}`;
}

/** csvCell is a value as a CSV cell a spreadsheet never runs: one starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`. */
export function csvCell(value: string): string {
  return defuse(value);
}

function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}

function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
