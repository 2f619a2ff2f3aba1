// @ts-check
// Presentation helpers shared by the views: timestamps, badges, permission lists. Domain
// rules come from the domain core (the engine's own modules), not from copies here.
import { delta } from "@core/reconciler/permissions.js";
import { invitationStatusAt } from "@core/schema/invitation-status.js";
import { clientPhrase } from "@core/reconciler/render/audit-words.js";
import { DEFAULT_INACTIVE_AFTER_DAYS } from "@core/reconciler/review/model.js";
import { h } from "./dom.js";
import { pageLink } from "./state.js";

/**
 * permissionsWhere lists the ids of the catalog (as GET /permissions serves it, in catalog
 * order) that have a flag set: `ownerOnly`, `admin` or `reviewHighRisk`. The page never
 * copies the catalog's facts; it reads them from the server.
 * @param {any} catalog
 * @param {string} flag
 */
export function permissionsWhere(catalog, flag) {
  return catalog.filter((/** @type {any} */ p) => p[flag] === true).map((/** @type {any} */ p) => p.id);
}

/**
 * holdsAdmin tells whether effective permissions make their holder an admin (a catalog permission marked `admin`).
 * @param {any} effective
 * @param {any} catalog
 */
export function holdsAdmin(effective, catalog) {
  const admin = permissionsWhere(catalog, "admin");
  return (effective ?? []).some((/** @type {any} */ p) => admin.includes(p));
}

const STATUS_LABELS = { pending: "Pending", accepted: "Accepted", expired: "Expired", revoked: "Revoked" };

/**
 * liveStatus is an invitation's status now, by the server's own rule (invitationStatusAt): a pending one past its expiresAt or its accessExpiresAt reads as expired.
 * @param {any} invitation
 */
export function liveStatus(invitation, now = Date.now()) {
  const accessEnds = typeof invitation.accessExpiresAt === "string" ? Date.parse(invitation.accessExpiresAt) : null;
  return invitationStatusAt(invitation.status, Date.parse(invitation.expiresAt), accessEnds, now);
}

/**
 * accessEnded tells whether a member's or invitation's accessExpiresAt (time-bound access, docs/api.md) has passed by `now`; the server refuses its tokens from then on.
 * @param {any} o
 */
export function accessEnded(o, now = Date.now()) {
  return o.status === "expired" || (typeof o.accessExpiresAt === "string" && Date.parse(o.accessExpiresAt) <= now);
}

// utcMinute is an absolute UTC time to the minute ("2027-02-01 00:00 UTC"): a date an auditor can quote.
/**
 * @param {any} iso
 */
function utcMinute(iso) {
  const d = new Date(iso).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
}

/**
 * accessEnd labels a member's time-bound access: "Access ended" once past, "Access ends <date>" before, nothing without one.
 * @param {any} o
 */
export function accessEnd(o, now = Date.now()) {
  if (typeof o.accessExpiresAt !== "string" && o.status !== "expired") return null;
  if (accessEnded(o, now)) return h("span", { class: "badge badge-expired", dataset: { access: "ended" } }, " Access ended");
  return h("span", { class: "muted access-end", dataset: { access: "ends" } }, " Access ends ", h("time", { datetime: o.accessExpiresAt, title: exact(o.accessExpiresAt) }, utcMinute(o.accessExpiresAt)));
}

const UNITS = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
];

/**
 * relative is a compact distance from `now`: "in 6 d", "3 h ago", "just now".
 * @param {any} iso
 */
export function relative(iso, now = Date.now()) {
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  const [unit, size] = /** @type {[string | null, number]} */ (UNITS.find(([, size]) => abs >= Number(size)) ?? [null, 0]);
  if (!unit) return "just now";
  const n = Math.floor(abs / size);
  return ms > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

/**
 * exact is the full date and time in the viewer's own time zone.
 * @param {any} iso
 */
export function exact(iso) {
  return new Date(iso).toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
}

/**
 * time renders an ISO timestamp compactly ("3 d ago", `prefix` first), with the exact local time on hover and for screen readers.
 * @param {any} iso
 */
export function time(iso, { now = Date.now(), prefix = "" } = {}) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h("span", {}, iso);
  const full = exact(iso);
  return h("time", { datetime: d.toISOString(), title: full }, `${prefix}${relative(iso, now)}`, h("span", { class: "visually-hidden" }, ` (${full})`));
}

/** INACTIVE_DAYS: members not active for longer than this are inactive (the Members filter, the Review section): the CLI review's --inactive-after default. */
export const INACTIVE_DAYS = DEFAULT_INACTIVE_AFTER_DAYS;

/**
 * inactiveFor tells whether a member's last activity, or joining if they never used their access, is more than `days` days before `now`.
 * @param {any} m
 * @param {any} days
 * @param {number} now
 */
export function inactiveFor(m, days, now) {
  return Date.parse(m.lastActiveAt ?? m.joinedAt) < now - days * 86_400_000;
}

/**
 * lastActive shows when a member last used their access and through what, or "Never" (content for a cell).
 * @param {any} m
 * @param {number} now
 */
export function lastActive(m, now) {
  if (!m.lastActiveAt) return [h("span", { class: "muted" }, "Never")];
  return [time(m.lastActiveAt, { now }), h("span", { class: "small muted" }, m.lastActiveVia ? ` ${clientPhrase(m.lastActiveVia)}` : "")];
}

/**
 * ttlText states a time to live in words: "7 days", "1 hour", "90 seconds".
 * @param {number} seconds
 */
export function ttlText(seconds) {
  for (const [unit, size] of /** @type {[string, number][]} */ ([["day", 86_400], ["hour", 3_600], ["minute", 60]])) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}${seconds === size ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/**
 * statusBadge renders an invitation status as a coloured badge with its word (colour is never the only cue).
 * @param {any} status
 */
export function statusBadge(status) {
  return h("span", { class: `badge badge-${status}` }, STATUS_LABELS[/** @type {keyof typeof STATUS_LABELS} */ (status)] ?? status);
}

/**
 * roleBadge renders a role name.
 * @param {any} role
 */
export function roleBadge(role) {
  return h("span", { class: `role role-${role === "owner" || role === "account-admin" || role === "developer" ? role : "custom"}` }, role);
}

/**
 * permissionList renders permission ids as chips, or a dash for none.
 * @param {any} permissions
 */
export function permissionList(permissions, { empty = "—" } = {}) {
  if (!permissions?.length) return h("span", { class: "muted" }, empty);
  return h("ul", { class: "chips" }, permissions.map((/** @type {any} */ p) => h("li", { class: "chip" }, h("code", {}, p))));
}

/**
 * diffPermissions returns what moving from `before` to `after` gains and loses: the engine's delta (reconciler/permissions.ts).
 * @param {any} before
 * @param {any} after
 */
export function diffPermissions(before, after) {
  return delta([...new Set(before)], [...new Set(after)]);
}

/**
 * isAdmin tells whether a member's effective permissions make it an admin (see holdsAdmin).
 * @param {any} member
 * @param {any} catalog
 */
export function isAdmin(member, catalog) {
  return holdsAdmin(member.effectivePermissions, catalog);
}

/**
 * historyLink opens the access history filtered to one person.
 * @param {string} email
 */
export function historyLink(email) {
  return h("a", { class: "btn btn-small btn-link", href: pageLink("history", { person: email }), "aria-label": `Access history of ${email}`, dataset: { key: `history:${email}` } }, "History");
}
