// @ts-check
// Sortable tables: a column header is a button that sorts by it (again: reverses), with
// aria-sort telling screen readers the order. The sort lives in the URL with the filters.
import { emailText, h } from "./dom.js";

/**
 * sortHeader is a column header; `sortKey` null makes it a plain header.
 * @param {string} label
 * @param {any} sortKey
 * @param {any} sort
 * @param {any} onSort
 */
export function sortHeader(label, sortKey, sort, onSort, props = {}) {
  if (!sortKey) return h("th", { scope: "col", ...props }, label);
  const active = sort.key === sortKey;
  return h(
    "th",
    { scope: "col", "aria-sort": active ? (sort.dir === "desc" ? "descending" : "ascending") : "none", ...props },
    h(
      "button",
      { type: "button", class: "sort", dataset: { key: `sort:${sortKey}` }, onclick: () => onSort({ key: sortKey, dir: active && sort.dir === "asc" ? "desc" : "asc" }) },
      label,
      h("span", { class: "sort-mark", "aria-hidden": "true" }, active ? (sort.dir === "desc" ? " ▼" : " ▲") : " ↕"),
    ),
  );
}

/**
 * sortRows orders `rows` by the comparator of `sort.key` in `comparators`, reversed for "desc"; ties keep e-mail order.
 * @param {any} rows
 * @param {any} sort
 * @param {any} comparators
 */
export function sortRows(rows, sort, comparators) {
  const compare = comparators[sort.key] ?? comparators.email;
  const sign = sort.dir === "desc" ? -1 : 1;
  return [...rows].sort((a, b) => sign * compare(a, b) || a.email.localeCompare(b.email));
}

/**
 * readSort reads `sort` and `dir` from the URL query, falling back to `fallback`.
 * @param {any} query
 * @param {any} keys
 * @param {any} fallback
 */
export function readSort(query, keys, fallback) {
  const key = query.get("sort");
  return keys.includes(key) ? { key, dir: query.get("dir") === "desc" ? "desc" : "asc" } : fallback;
}

/**
 * disclosureButton is a row's expand/collapse button showing the person's e-mail: it
 * controls the detail row `detailId`, calls `toggle` then `redraw`, and keeps focus on
 * itself across the redraw (Members and Invitations share it).
 * @param {any} options
 */
export function disclosureButton({ email, open, detailId, toggle, redraw }) {
  return h(
    "button",
    {
      type: "button",
      class: "disclosure",
      "aria-expanded": String(open),
      "aria-controls": detailId,
      dataset: { key: `row:${email}` },
      onclick: () => {
        toggle();
        redraw();
        /** @type {HTMLElement | null} */ (document.querySelector(`[aria-controls="${CSS.escape(detailId)}"]`))?.focus();
      },
    },
    h("span", { class: "caret", "aria-hidden": "true" }, open ? "▾" : "▸"),
    emailText(email),
  );
}
