// @ts-check
// What an object change did, field by field, in words a person reads: the access
// history's "Change" column and the "changed while you were editing" notice share it.
import { h, replace } from "./dom.js";
import { sortPermissions } from "@core/schema/order.js";
import { exact } from "./format.js";

/**
 * FIELD_LABELS names each field of the API's objects in plain words; fields not listed are bookkeeping and left out.
 * @type {Record<string, string>}
 */
export const FIELD_LABELS = {
  name: "Name",
  email: "E-mail",
  owner: "Owner",
  role: "Role",
  permissions: "Extra permissions",
  description: "Description",
  status: "Status",
  expiresAt: "Expires",
  accessExpiresAt: "Access ends",
  sendCount: "Times sent",
  reason: "Reason",
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * @param {any} value
 */
function show(value) {
  if (Array.isArray(value)) return value.length ? value.join(", ") : "none";
  if (typeof value === "string" && ISO_TIME.test(value)) return exact(value);
  if (value === null || value === undefined || value === "") return "none";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/**
 * summarize states what changed from `before` to `after`, one line per labelled field (lists as additions and removals).
 * @param {any} before
 * @param {any} after
 */
export function summarize(before, after) {
  const b = before && typeof before === "object" ? before : {};
  const a = after && typeof after === "object" ? after : {};
  const lines = [];
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    // A role's permissions are all it gives; a member's or invitation's are extras.
    const label = key === "permissions" && ("name" in b || "name" in a) ? "Permissions" : FIELD_LABELS[key];
    if (!label) continue;
    // An invitation that became a member: its status (pending, then a member's active) is the action itself.
    if (key === "status" && "joinedAt" in b !== "joinedAt" in a) continue;
    const from = b[key];
    const to = a[key];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    if (Array.isArray(from) && Array.isArray(to)) {
      const added = to.filter((x) => !from.includes(x));
      const removed = from.filter((x) => !to.includes(x));
      lines.push(`${label}: ${[...added.map((x) => `+${x}`), ...removed.map((x) => `−${x}`)].join(" ")}`);
    } else if (!(key in b)) lines.push(`${label}: ${show(to)}`);
    else if (!(key in a)) {
      // A field the new object lacks (an invitation that became a member) is news only when the object is gone.
      if (!after) lines.push(`${label} was ${show(from)}`);
    }
    else lines.push(`${label}: ${show(from)} → ${show(to)}`);
  }
  return lines;
}

/**
 * showConcurrentChange fills `notice` with what someone else changed in the `what`
 * ("member", "invitation") between `before` and `after` while a dialog was open, says the
 * user's choices are kept, and shows it (the Manage and invitation dialogs share it).
 * @param {HTMLElement} notice
 * @param {string} what
 * @param {any} before
 * @param {any} after
 */
export function showConcurrentChange(notice, what, before, after) {
  const lines = summarize(before, after);
  replace(
    notice,
    h("p", {}, h("strong", {}, `Someone else changed this ${what} while the dialog was open. `), "Your choices below are kept; Save again to apply them over the new values."),
    h("ul", { class: "change-lines" }, (lines.length ? lines : ["Nothing you can see here changed (only bookkeeping)."]).map((l) => h("li", {}, l))),
  );
  notice.hidden = false;
}

/**
 * unchangedChoice tells whether a dialog's role and extra permissions equal `current`'s (extras compared in catalog order).
 * @param {any} next
 * @param {any} current
 */
export function unchangedChoice(next, current) {
  return next.role === current.role && next.permissions.join() === sortPermissions(current.permissions).join();
}
