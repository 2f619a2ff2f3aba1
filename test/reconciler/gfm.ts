import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";

/**
 * The GFM renderer the Markdown suites render through (markdown-it with raw HTML and
 * linkify on, as hostile as GitHub is permissive), and a walk over its token tree.
 */

export type { Token };

/** md renders and parses Markdown with HTML and autolinks enabled. */
export const md = new MarkdownIt({ html: true, linkify: true });

/** walk visits every token, depth first, children included. */
export function walk(tokens: readonly Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    if (t.children) walk(t.children, visit);
  }
}
