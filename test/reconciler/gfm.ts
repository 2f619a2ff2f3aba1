import MarkdownIt from "markdown-it";

/**
 * The GFM renderer the Markdown suites render through (markdown-it with raw HTML and
 * linkify on, as hostile as GitHub is permissive), and a walk over its token tree.
 */

/** Token is a token of md's parse (the type its parse returns, whichever module declares it). */
export type Token = ReturnType<InstanceType<typeof MarkdownIt>["parse"]>[number];

/** md renders and parses Markdown with HTML and autolinks enabled. */
export const md = new MarkdownIt({ html: true, linkify: true });

/** walk visits every token, depth first, children included. */
export function walk(tokens: readonly Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    if (t.children) walk(t.children, visit);
  }
}

/**
 * tableRows counts every table row's cells against its table's header row: each entry is
 * `[cells, headerCells]`, equal when the row keeps its cells (an escaped `|` did not split it).
 */
export function tableRows(tokens: readonly Token[]): [number, number][] {
  const out: [number, number][] = [];
  let header = 0;
  let cells = 0;
  for (const t of tokens) {
    if (t.type === "tr_open") cells = 0;
    if (t.type === "th_open" || t.type === "td_open") cells += 1;
    if (t.type === "tr_close") {
      if (header === 0) header = cells;
      out.push([cells, header]);
    }
    if (t.type === "table_close") header = 0;
  }
  return out;
}
