// @ts-check
// Sortable tables: a column header is a button that sorts by it (again: reverses), with
// aria-sort telling screen readers the order. The sort lives in the URL with the filters.
import { describeFailure } from "./api.js";
import { announce, emailText, h } from "./dom.js";

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

/**
 * pagedLoader returns load(index) for a list the server pages: it asks `fetchPage` for page
 * `index` (the cursors seen so far kept in `pager`, so Previous reuses them), hands the answer
 * to `show`, and drops an answer overtaken by a newer load; `table` is aria-busy meanwhile and
 * a failure is announced. Members and Invitations share it.
 * @param {{ table: HTMLElement, pager: { cursors: (string | null)[], index: number, next: string | null }, fetchPage: (cursor: string | null) => Promise<{ nextCursor: string | null }>, show: (answer: any) => void }} options
 * @returns {(index: number) => Promise<void>}
 */
export function pagedLoader({ table, pager, fetchPage, show }) {
  let loads = 0;
  return async (index) => {
    const mine = ++loads;
    table.setAttribute("aria-busy", "true");
    try {
      const answer = await fetchPage(index === 0 ? null : (pager.cursors[index] ?? null));
      if (mine !== loads) return;
      if (index === 0) pager.cursors = [null];
      pager.cursors[index + 1] = answer.nextCursor;
      Object.assign(pager, { index, next: answer.nextCursor });
      show(answer);
    } catch (err) {
      if (mine === loads) announce(describeFailure(err), "error");
    } finally {
      if (mine === loads) table.removeAttribute("aria-busy");
    }
  };
}
