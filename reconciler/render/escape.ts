import { escapeInvisible } from "../../schema/identity.js";

/**
 * The escaping discipline of the human outputs. Every value that comes from the file
 * or the workspace (emails, role names, descriptions, group names, messages that quote
 * them) passes through here: the text plan shows invisible characters escaped, the
 * Markdown comment renders every value inert. JSON is JSON.stringify's and needs none.
 */

/**
 * showInvisible writes every control, bidi, zero-width, separator or lone-surrogate
 * character as a visible escape (`\u001b`, `\u202e`, `\u{e0001}`), so a value can never
 * move the cursor, reorder a line or hide a look-alike in a terminal or a comment.
 */
export function showInvisible(value: string): string {
  return escapeInvisible(value);
}

/** Where a Markdown fragment goes: a table cell needs its `|` escaped, inside code spans too. */
export type MarkdownContext = "cell" | "block";

/**
 * mdCode renders a value as an inert code span: no emphasis, link, autolink, mention,
 * issue reference or HTML can happen inside it. Backticks are kept (the fence is one
 * longer than the longest run inside), leading and trailing spaces are kept, invisible
 * characters are shown escaped, and in a table cell `|` is escaped so the row keeps its cells.
 */
export function mdCode(value: string, context: MarkdownContext): string {
  const text = showInvisible(value).replace(/\r\n|\r|\n/g, " ");
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text === "" || /^[` ]|[` ]$/.test(text) ? " " : "";
  const body = context === "cell" ? text.replace(/\|/g, "\\|") : text;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A word Markdown cannot turn into anything: letters, digits and `'=%/+()-`, with opening parentheses before and closing punctuation after. */
const PLAIN_WORD = /^\(*[\p{L}\p{N}][\p{L}\p{N}'=%/+()-]*[).,;:]*$/u;

/**
 * mdText renders free text that may quote values (a reason, a warning, a rail's
 * message, a description) inert but readable: plain words stay as they are, and any
 * word with punctuation Markdown or GitHub could act on (`*`, `_`, `[`, `<`, `@`, `#`,
 * `|`, `` ` ``, `:`, …) becomes a code span of its own (opening parentheses and closing `)`, `.`, `,`, `;`, `:` stay outside).
 */
export function mdText(value: string, context: MarkdownContext): string {
  return showInvisible(value)
    .split(/\s+/u)
    .filter((word) => word !== "")
    .map((word) => {
      if (PLAIN_WORD.test(word)) return word;
      const { head, core, tail } = peel(word);
      return `${head}${mdCode(core, context)}${tail}`;
    })
    .join(" ");
}

/**
 * peel splits a word into its opening parentheses, its core, and the closing punctuation
 * that balances them (`(e.g.` → `(`, `e.g`, `.`), or that closes a parenthesis opened by an
 * earlier word (`b@x.io);` → `b@x.io`, `);`, when the core holds no `(` of its own).
 */
function peel(word: string): { head: string; core: string; tail: string } {
  const head = /^\(*/.exec(word)?.[0] ?? "";
  let end = word.length;
  let closing = head.length;
  while (end > head.length + 1) {
    const ch = word[end - 1] as string;
    if (".,;:".includes(ch)) end -= 1;
    else if (ch === ")" && (closing > 0 || !word.slice(head.length, end - 1).includes("("))) {
      closing = Math.max(0, closing - 1);
      end -= 1;
    } else break;
  }
  return { head, core: word.slice(head.length, end), tail: word.slice(end) };
}
