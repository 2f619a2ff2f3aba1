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
