import { compareText } from "./order.js";

/** Severity of a diagnostic: errors make a file invalid, warnings do not. */
export type Severity = "error" | "warning";

/**
 * Diagnostic is one finding about an access file. `code` is stable (documented in
 * docs/access-yaml.md); `line` and `column` are 1-based; `path` is the YAML path of the
 * node it concerns (the Pulumi provider maps it to a property path).
 */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
  path: (string | number)[];
  /** frame: the lines around the spot with a caret under it (`  7 |     role: …`), for YAML syntax errors, where the position alone is hard to read. */
  frame?: string[];
}

/** formatDiagnostic renders `file:line:column severity code message`, the text form of `validate`, then the code frame's lines when there is one. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
  return d.frame === undefined ? head : [head, ...d.frame].join("\n");
}

/** compareDiagnostics orders diagnostics by file, line, column, then code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column || compareText(a.code, b.code);
}
