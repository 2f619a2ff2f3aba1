import { describe, expect, it } from "vitest";
import { mdText } from "../../reconciler/render/escape.js";
import { md } from "./gfm.js";

/**
 * mdText: free text stays readable, every word Markdown could act on becomes a code span
 * of its own, and the punctuation of the sentence around it stays outside the span.
 */
describe("mdText", () => {
  it.each([
    ["plain words stay plain", "not in access.yaml", "not in `access.yaml`"],
    ["a parenthesis opened and closed by one word", "(e.g. maxRemovals: 3)", "(`e.g`. maxRemovals: 3)"],
    ["a list in parentheses: the closing one stays outside the last value", "hold x (a@x.io, b@x.io); the limit", "hold x (`a@x.io`, `b@x.io`); the limit"],
    ["a value that holds its own parenthesis keeps it", "see f(a@x.io)", "see `f(a@x.io)`"],
    ["a mention is a code span", "by @someone.", "by `@someone`."],
  ])("%s", (_name, text, want) => {
    const out = mdText(text, "block");
    expect(out).toBe(want);
    // Every code span GFM sees is a whole value: none starts with "(" or ends with sentence
    // punctuation, nor with a ")" it does not open itself.
    const spans = md.parseInline(out, {})[0]!.children!.filter((t) => t.type === "code_inline").map((t) => t.content);
    for (const s of spans) expect(s.startsWith("(") || /[.,;]$/.test(s) || (s.endsWith(")") && !s.includes("(")), s).toBe(false);
  });
});
