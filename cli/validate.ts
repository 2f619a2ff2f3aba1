import { Command, Option } from "commander";
import { compareDiagnostics, formatDiagnostic, type Diagnostic } from "../schema/diagnostics.js";
import { loadFile } from "../schema/library/index.js";
import type { DesiredState } from "../schema/model.js";
import { checkPolicies, liveOnlyPolicies } from "../schema/policy/check.js";
import { githubAnnotation } from "./annotations.js";
import { ConfigError } from "../errors.js";
import { ExitCode } from "./errors.js";
import { collectFiles, DEFAULT_FILE, findFiles, ignoredLine, isMultiple, loadAll, uniqueDiagnostics } from "./workspaces.js";

interface ValidateOptions {
  file?: string[];
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
    .option("-f, --file <path>", "the access file (or library), or a folder of them; repeat for several (default: access.yaml)", collectFiles)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "github"]).default("text"))
    .addHelpText(
      "after",
      `
Examples:
  $ antryk-access validate -f examples/access.yaml
  $ antryk-access validate --format json | jq '.diagnostics[] | select(.severity == "error")'
  $ antryk-access validate --format github    # in GitHub Actions: findings annotate the pull request
  $ antryk-access validate -f access/         # every workspace file and library in a folder

Exit status: 0 valid (warnings allowed), 1 invalid or unreadable.
`,
    )
    .action(async (options: ValidateOptions) => {
      const args = options.file ?? [DEFAULT_FILE];
      if (await isMultiple(args)) {
        process.exitCode = await validateSet(args, options.format);
        return;
      }
      const file = args[0]!;
      const now = new Date();
      const loaded = await loadFile(file, { now });
      const diagnostics = withPolicyFindings(loaded, now);
      const valid = loaded.kind === "workspace" ? !diagnostics.some((d) => d.severity === "error") : loaded.valid;
      process.stdout.write(render(options.format, file, valid, diagnostics));
      noteLiveOnly([loaded]);
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

/**
 * validateSet validates every workspace file and library the `-f` arguments name or a folder
 * holds, and every library they import, each once: its diagnostics once (a library's are not
 * repeated per importer), then a summary line per file, then the total. Exit 0 when all are valid.
 */
async function validateSet(args: readonly string[], format: ValidateOptions["format"]): Promise<number> {
  const found = await findFiles(args);
  if (found.workspaces.length + found.libraries.length + found.problems.length === 0) {
    throw new ConfigError(`no workspace file or library (a YAML file with workspace: or kind: library) in ${args.join(", ")}`);
  }
  const { results } = await loadAll(found);
  const described = new Map<string, string>();
  const twice: Diagnostic[] = [];
  for (const r of results) {
    if (r.kind !== "workspace" || r.desired === null) continue;
    const first = described.get(r.desired.workspace);
    if (first === undefined) described.set(r.desired.workspace, r.file);
    else twice.push({ severity: "error", code: "duplicate-workspace", message: `workspace ${r.desired.workspace} is also described by ${first}: keep one file per workspace`, file: r.file, line: 1, column: 1, path: ["workspace"] });
  }
  const now = new Date();
  const diagnostics = uniqueDiagnostics([...results.flatMap((r) => withPolicyFindings(r, now)), ...twice, ...found.problems]);
  const files = [...new Set([...results.map((r) => r.file), ...results.flatMap((r) => r.libraries), ...found.problems.map((p) => p.file)])].sort();
  noteLiveOnly(results);
  const valid = !diagnostics.some((d) => d.severity === "error");
  if (format === "json") {
    process.stdout.write(renderJson(valid, diagnostics));
  } else {
    const render = format === "github" ? (d: Diagnostic) => githubAnnotation(d) : formatDiagnostic;
    const perFile = files.map((f) => {
      const own = diagnostics.filter((d) => d.file === f);
      return summaryLine(f, !own.some((d) => d.severity === "error"), own);
    });
    const workspaces = results.filter((r) => r.kind === "workspace").length;
    const libraries = files.length - workspaces - found.problems.length;
    const total = `${plural(workspaces, "workspace file")} and ${plural(libraries, "library", "libraries")}: ${valid ? "valid" : "invalid"}`;
    process.stdout.write([...diagnostics.map(render), ...perFile, ...ignoredLine(found.ignored), total].join("\n") + "\n");
  }
  return valid ? ExitCode.ok : ExitCode.error;
}

/**
 * withPolicyFindings adds validate's policy stage to a valid workspace file's diagnostics: its
 * policies (its own and its libraries') judge the people it declares (docs/policies.md); an
 * error-severity finding makes it invalid. A library alone judges nobody.
 */
function withPolicyFindings(loaded: { kind: "workspace" | "library"; diagnostics: Diagnostic[]; desired?: DesiredState | null }, now: Date): Diagnostic[] {
  if (loaded.kind !== "workspace" || loaded.desired === null || loaded.desired === undefined) return loaded.diagnostics;
  return [...loaded.diagnostics, ...checkPolicies(loaded.desired, now)].sort(compareDiagnostics);
}

/**
 * noteLiveOnly says once, on stderr (so the text, JSON and GitHub outputs stay as they are),
 * which policies judge activity and were left out: only a live workspace knows who uses their
 * access. It is not a diagnostic: the file is neither better nor worse for it.
 */
function noteLiveOnly(loaded: readonly { kind: "workspace" | "library"; desired?: DesiredState | null }[]): void {
  const names = [...new Set(loaded.flatMap((l) => (l.kind === "workspace" && l.desired ? liveOnlyPolicies(l.desired) : [])))];
  if (names.length === 0) return;
  const which = names.length === 1 ? `policy ${names[0]} judges` : `policies ${names.join(", ")} judge`;
  process.stderr.write(`note: ${which} activity (inactiveFor), which only a live workspace knows: plan and review judge it; validate cannot, and skipped it\n`);
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

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
