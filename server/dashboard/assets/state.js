// @ts-check
// Page state in the URL: filters, sort order and selection live in the hash's query
// (`#/invitations?view=attention&sort=expires`), so a reload, a shared link or the back
// button shows the same view. Writing never adds a history entry nor re-renders.

/** readQuery returns the current page's query parameters. */
export function readQuery() {
  return new URLSearchParams(location.hash.split("?")[1] ?? "");
}

/**
 * writeQuery replaces the page's query with `values` (empty values are left out), keeping the page.
 * @param {Record<string, unknown>} values
 */
export function writeQuery(values) {
  const path = location.hash.split("?")[0] || "#/members";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    const text = Array.isArray(value) ? value.join(",") : value;
    if (text !== undefined && text !== null && text !== "") params.set(key, String(text));
  }
  const query = params.toString();
  history.replaceState(null, "", `${location.pathname}${location.search}${path}${query ? `?${query}` : ""}`);
}

/**
 * pageLink is the href of `page` with `values` as its query.
 * @param {string} page
 * @param {Record<string, string>} values
 */
export function pageLink(page, values = {}) {
  const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v));
  const query = params.toString();
  return `#/${page}${query ? `?${query}` : ""}`;
}
