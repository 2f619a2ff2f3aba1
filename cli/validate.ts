import { Command, Option } from "commander";
import { compareDiagnostics, formatDiagnostic, type Diagnostic } from "../schema/diagnostics.js";
import { loadAccessFile } from "../schema/load.js";
import { checkPolicies } from "../schema/policy/check.js";
import { githubAnnotation } from "./annotations.js";
import { ExitCode } from "./errors.js";

interface ValidateOptions {
  file: string;
  format: "text" | "json" | "github";
}

/**
 * registerValidate adds `validate`: load and check an access file, offline. Text output is
 * one `file:line:column severity code message` line per diagnostic and a summary line;
 * JSON is `{ valid, diagnostics }`; github is one workflow command per diagnostic (an
 * annotation on the pull request) and the summary line. Exit 0 when valid (warnings allowed), 1 otherwise; an
 * unreadable file is a ConfigError rendered once by cli/main.ts.
 */
export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check an access file (no network): schema, references, emails, admins, policies")
    .option("-f, --file <path>", "the access file", "access.yaml")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "github"]).default("text"))
    .addHelpText(
      "after",
      `
Examples:
  $ antryk-access validate -f examples/access.yaml
  $ antryk-access validate --format json | jq '.diagnostics[] | select(.severity == "error")'
  $ antryk-access validate --format github    # in GitHub Actions: findings annotate the pull request

Exit status: 0 valid (warnings allowed), 1 invalid or unreadable.
`,
    )
    .action(async (options: ValidateOptions) => {
      const now = new Date();
      const loaded = await loadAccessFile(options.file, { now });
      // The file's policies judge the people it declares (docs/policies.md); an error-severity finding makes it invalid.
      const diagnostics = loaded.desired === null ? loaded.diagnostics : [...loaded.diagnostics, ...checkPolicies(loaded.desired, now)].sort(compareDiagnostics);
      const valid = !diagnostics.some((d) => d.severity === "error");
      process.stdout.write(render(options.format, options.file, valid, diagnostics));
      process.exitCode = valid ? ExitCode.ok : ExitCode.error;
    });
}

function render(format: ValidateOptions["format"], file: string, valid: boolean, diagnostics: Diagnostic[]): string {
  switch (format) {
    case "text":
      return renderText(file, valid, diagnostics);
    case "json":
      return renderJson(valid, diagnostics);
    case "github":
      return renderGithub(file, valid, diagnostics);
  }
}

/** renderText: one line per diagnostic, then a summary line. */
export function renderText(file: string, valid: boolean, diagnostics: Diagnostic[]): string {
  return [...diagnostics.map(formatDiagnostic), summaryLine(file, valid, diagnostics)].join("\n") + "\n";
}

/** renderGithub: one GitHub workflow command per diagnostic (see cli/annotations.ts), then the summary line. */
export function renderGithub(file: string, valid: boolean, diagnostics: Diagnostic[]): string {
  return [...diagnostics.map((d) => githubAnnotation(d)), summaryLine(file, valid, diagnostics)].join("\n") + "\n";
}

function summaryLine(file: string, valid: boolean, diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  return valid ? `${file}: valid (${counts})` : `${file}: invalid (${counts})`;
}

/** renderJson: `{ valid, diagnostics: [{ severity, code, message, file, line, column }] }`. */
export function renderJson(valid: boolean, diagnostics: Diagnostic[]): string {
  const list = diagnostics.map(({ severity, code, message, file, line, column }) => ({ severity, code, message, file, line, column }));
  return JSON.stringify({ valid, diagnostics: list }, null, 2) + "\n";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
