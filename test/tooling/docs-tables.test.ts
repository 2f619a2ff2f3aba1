import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";

/**
 * The README and every doc through a real CommonMark + GFM-tables renderer (markdown-it, as
 * GitHub and npm render them): every source line that starts with `|` outside a code block is
 * part of a rendered table, so no table breaks into a paragraph of raw pipes (a blank line
 * between two rows did that to the README's command table).
 */
const ROOT = join(import.meta.dirname, "..", "..");

function markdownFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

const FILES = [join(ROOT, "README.md"), ...markdownFiles(join(ROOT, "docs")), ...markdownFiles(join(ROOT, "examples"))].map((p) => relative(ROOT, p));

/** brokenTableLines lists the 1-based lines that look like table rows but render outside any table. */
function brokenTableLines(markdown: string): number[] {
  const tokens = new MarkdownIt().parse(markdown, {});
  const covered = new Set<number>();
  for (const token of tokens) {
    if ((token.type === "table_open" || token.type === "fence" || token.type === "code_block" || token.type === "html_block") && token.map) {
      for (let line = token.map[0]; line < token.map[1]; line++) covered.add(line);
    }
  }
  return markdown
    .split("\n")
    .flatMap((text, line) => (/^\s{0,3}\|/.test(text) && !covered.has(line) ? [line + 1] : []));
}

describe("tables in the README and the docs", () => {
  it("finds the documents", () => {
    expect(FILES).toContain("README.md");
    expect(FILES).toContain("docs/cli.md");
  });

  it("catches a table broken by a blank line", () => {
    expect(brokenTableLines("| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n")).toEqual([5]);
    expect(brokenTableLines("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n")).toEqual([]);
  });

  it.each(FILES)("%s renders every table row inside a table", (file) => {
    expect(brokenTableLines(readFileSync(join(ROOT, file), "utf8"))).toEqual([]);
  });
});
