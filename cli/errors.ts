import { AccessError, ApiError, ConfigError, InterruptedError, SafetyError, StalePlanError } from "../errors.js";
import { formatDiagnostic, type Diagnostic } from "../schema/diagnostics.js";
import { githubAnnotation, type DiagnosticFormat } from "./annotations.js";
import { nativeModuleProblem } from "./native-module.js";

/** ExitCode: 0 success (or no changes), 1 error or blocked, 2 changes present (plan --detailed-exitcode), 130 interrupted. */
export const ExitCode = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;

/** exitCodeOf is the exit code a thrown error ends the CLI with: 130 for an interrupted apply, else 1. */
export function exitCodeOf(err: unknown): number {
  return err instanceof InterruptedError ? ExitCode.interrupted : ExitCode.error;
}

/**
 * describeError turns any thrown value into the lines the CLI prints on stderr.
 * Expected failures (AccessError) are one line (plus diagnostics); anything else is a
 * bug and says so. It is the only place errors are rendered for people. `diagnostics`
 * is how an invalid file's findings are printed (`github`: workflow commands).
 */
export function describeError(err: unknown, diagnostics: DiagnosticFormat = "text"): string[] {
  // First: wrapped or not, an unloadable native module is the environment, never a bug.
  const native = nativeModuleProblem(err);
  if (native !== null) return native;
  if (err instanceof ConfigError) {
    const render = diagnostics === "github" ? (d: Diagnostic) => githubAnnotation(d) : formatDiagnostic;
    return [...err.diagnostics.map(render), `error: ${err.message}`];
  }
  if (err instanceof SafetyError) {
    return [
      `error: ${err.message}`,
      ...err.violations.map((v) => `  ${v.rail}: ${v.message}${v.override ? ` (override: ${v.override})` : ""}`),
    ];
  }
  if (err instanceof ApiError && err.status === 401) {
    return [`error: ${err.message}; check the token (ANTRYK_TOKEN or --token-file)`];
  }
  if (err instanceof StalePlanError || err instanceof ApiError || err instanceof AccessError) {
    return [`error: ${err.message}`];
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return [`internal error (a bug in antryk-access, please report it): ${detail}`];
}
