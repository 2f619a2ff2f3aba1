import { LineCounter, parseDocument, type YAMLError } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import { fastParseYaml } from "./fast-yaml.js";
import { DECLINE_REASONS } from "./fast-yaml-decline.js";
import { fastLocator, yamlLocator, type SourceLocator } from "./locator.js";

/** MAX_FILE_BYTES bounds an access file (about 300,000 members); larger input is refused up front. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/**
 * MAX_GENERAL_YAML_BYTES bounds the input the general `yaml` parser gets (it needs about 70
 * bytes of memory per byte of input); bigger files must stay in the plain subset the fast
 * parser reads (block maps and lists, one-line scalars and lists, comments).
 */
export const MAX_GENERAL_YAML_BYTES = 2 * 1024 * 1024;

/** MAX_ALIAS_COUNT bounds alias expansion (the defence against "billion laughs" alias bombs). */
export const MAX_ALIAS_COUNT = 1000;

/** ParsedText is the plain value of a YAML text and a locator for its nodes, or the reasons it has none. */
export type ParsedText =
  | { ok: true; value: unknown; locator: SourceLocator }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * parseYamlText reads access-file text into a plain value. It never throws for bad input:
 * oversized, binary, malformed or hostile YAML (duplicate keys, alias bombs, deep nesting)
 * comes back as positioned diagnostics.
 */
export function parseYamlText(input: string, file: string): ParsedText {
  const fail = (code: string, message: string, line = 1, column = 1): ParsedText => ({
    ok: false,
    diagnostics: [{ severity: "error", code, message, file, line, column, path: [] }],
  });
  if (input.length > MAX_FILE_BYTES) {
    return fail("file-too-large", `the file is ${mib(input.length)}; access files are limited to ${mib(MAX_FILE_BYTES)}`);
  }
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const control = findControlCharacter(text);
  if (control) {
    return fail("not-text", `the file is not YAML text (control character U+${control.code} at ${control.line}:${control.column}); is it binary?`, control.line, control.column);
  }

  const fast = fastParseYaml(text);
  if ("value" in fast) return { ok: true, value: fast.value, locator: fastLocator(fast.root) };
  if (text.length > MAX_GENERAL_YAML_BYTES) {
    return fail(
      "yaml-unsupported",
      `files over ${mib(MAX_GENERAL_YAML_BYTES)} must use plain YAML (block maps and lists, one-line values, no anchors, tags or multi-line strings); this line is not plain: ${DECLINE_REASONS[fast.reason]}`,
      fast.declinedAtLine,
    );
  }

  return parseWithYaml(text, file);
}

/**
 * parseWithYaml reads text with the general `yaml` parser alone: no fast path, no size cap,
 * no binary check. It is parseYamlText's fallback, and the validate bench's baseline. It
 * never throws for bad input.
 */
export function parseWithYaml(text: string, file: string): ParsedText {
  const fail = (code: string, message: string): ParsedText => ({
    ok: false,
    diagnostics: [{ severity: "error", code, message, file, line: 1, column: 1, path: [] }],
  });
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: "1.2" });
  if (doc.errors.length > 0) {
    // One finding per spot: the parser often reports one mistake twice (or at each line it unsettles).
    const diagnostics = doc.errors.map((e) => yamlErrorDiagnostic(e, text, file, lineCounter));
    const seen = new Set<number>();
    return { ok: false, diagnostics: diagnostics.filter((d) => !seen.has(d.line) && seen.add(d.line) !== undefined) };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locator: yamlLocator(doc, lineCounter) };
  } catch (err) {
    if (err instanceof ReferenceError) {
      return fail("yaml-alias-limit", `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}); is this an alias bomb?`);
    }
    if (err instanceof RangeError) return fail("yaml-too-deep", "the YAML is nested too deeply to read");
    throw err;
  }
}

function yamlErrorDiagnostic(e: YAMLError, text: string, file: string, lineCounter: LineCounter): Diagnostic {
  const { line, col } = lineCounter.linePos(e.pos[0]);
  const base = { severity: "error" as const, file, line, column: col, path: [] };
  if (e.code === "DUPLICATE_KEY") {
    const key = text.slice(e.pos[0]).split(/:(?:\s|$)|\n/, 1)[0]!.trim();
    return { ...base, code: "duplicate-key", message: `duplicate key "${key}": a key may appear only once in a map` };
  }
  if (e.code === "RESOURCE_EXHAUSTION") {
    return { ...base, code: "yaml-too-deep", message: "the YAML is nested too deeply to read (access files are a few levels deep)" };
  }
  if (e.code === "MULTIPLE_DOCS") {
    return { ...base, code: "yaml-syntax", message: "YAML syntax: the file holds more than one YAML document (---); an access file is a single document" };
  }
  return { ...base, code: "yaml-syntax", message: `YAML syntax: ${e.message.split("\n", 1)[0]}${syntaxHint(text, line)}`, frame: codeFrame(text, line, col) };
}

/** syntaxHint names the usual cause of a YAML syntax error at `line`: a tab, or indentation that does not line up. */
function syntaxHint(text: string, line: number): string {
  const near = text.split("\n").slice(Math.max(0, line - 2), line + 1);
  if (near.some((l) => /^[ ]*\t/.test(l))) return "; indent with spaces, not tabs";
  return "; check the indentation: keys of one map, and the `- ` of one list's items, start at the same column";
}

/** codeFrame is the line before, the line of the spot and the line after, numbered, with a caret under `column`. */
function codeFrame(text: string, line: number, column: number): string[] {
  const lines = text.split("\n");
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  const shown = (s: string) => s.replace(/\t/g, "→").replace(/\r$/, "");
  const frame: string[] = [];
  for (let n = first; n <= last; n++) {
    if (n === last && n !== line && (lines[n - 1] ?? "").trim() === "") continue;
    frame.push(`  ${String(n).padStart(width)} | ${shown(lines[n - 1] ?? "")}`.trimEnd());
    if (n === line) frame.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, column - 1))}^`);
  }
  return frame;
}

/** findControlCharacter finds the first character YAML text may not contain (binary input). */
function findControlCharacter(text: string): { code: string; line: number; column: number } | undefined {
  const m = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd\ufffe\uffff]/.exec(text);
  if (!m) return undefined;
  const before = text.slice(0, m.index);
  const line = before.split("\n").length;
  const column = m.index - before.lastIndexOf("\n");
  return { code: m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0"), line, column };
}

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
