import { isAbsolute, relative, resolve, sep } from "node:path";
import { Option } from "commander";
import type { Diagnostic } from "../schema/diagnostics.js";

/**
 * Diagnostics as GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::…`),
 * which the runner turns into annotations on the pull request's diff. The escaping is
 * the one @actions/core applies: `%`, CR and LF in the message; those and `:` and `,` in
 * property values.
 */

/** DiagnosticFormat is how file diagnostics are printed: `text` (file:line:column …) or `github` (workflow commands). */
export type DiagnosticFormat = "text" | "github";

/** DIAGNOSTIC_FORMATS lists DiagnosticFormat's values, for commander's `.choices()`. */
export const DIAGNOSTIC_FORMATS: readonly DiagnosticFormat[] = ["text", "github"];

/**
 * diagnosticsOption is `--diagnostics <format>` of plan and apply: how an invalid access
 * file's findings are printed on stderr (their `--format` is the plan's own format, and a
 * Markdown plan comment wants annotations too). cli/main.ts reads it when rendering errors.
 */
export function diagnosticsOption(): Option {
  return new Option("--diagnostics <format>", "how findings in the access file are printed: text, or github (workflow commands: annotations on the pull request)")
    .choices(DIAGNOSTIC_FORMATS)
    .default("text");
}

/**
 * githubAnnotation renders one diagnostic as a workflow command: the severity is the
 * command, the code its title, the file relative to `cwd` (a step runs at the
 * repository's root, and GitHub places annotations by repository-relative path).
 */
export function githubAnnotation(d: Diagnostic, cwd: string = process.cwd()): string {
  const properties = [`file=${escapeProperty(repositoryPath(d.file, cwd))}`, `line=${d.line}`, `col=${d.column}`, `title=${escapeProperty(d.code)}`];
  return `::${d.severity} ${properties.join(",")}::${escapeData(d.message)}`;
}

/** escapeData escapes a workflow command's message: `%`, CR, LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** escapeProperty escapes a workflow command's property value: escapeData's, then `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function repositoryPath(file: string, cwd: string): string {
  const path = isAbsolute(file) ? relative(cwd, file) : relative(cwd, resolve(cwd, file));
  return path.split(sep).join("/");
}
