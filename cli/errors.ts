import { describeError } from "../describe-error.js";
import { InterruptedError, StalePlanError } from "../errors.js";
import { formatDiagnostic, type Diagnostic } from "../schema/diagnostics.js";
import { githubAnnotation, type DiagnosticFormat } from "./annotations.js";
import { nativeModuleProblem } from "./native-module.js";

/**
 * ExitCode: 0 success (or no changes), 1 error or blocked, 2 changes present (plan
 * --detailed-exitcode), 3 declined at apply's prompt (nothing changed), 4 a saved plan refused
 * as out of date (apply --detailed-exitcode only; nothing changed), 130 interrupted.
 */
export const ExitCode = { ok: 0, error: 1, changes: 2, declined: 3, stale: 4, interrupted: 130 } as const;

/**
 * exitCodeOf is the exit code a thrown error ends the CLI with: 130 for an interrupted apply,
 * 4 for a saved plan refused as out of date when `detailed` (apply --detailed-exitcode), else 1.
 */
export function exitCodeOf(err: unknown, detailed = false): number {
  if (err instanceof InterruptedError) return ExitCode.interrupted;
  return detailed && err instanceof StalePlanError ? ExitCode.stale : ExitCode.error;
}

/**
 * describeCliError turns any thrown value into the lines the CLI prints on stderr: an
 * unloadable native module first (the environment, never a bug), then describeError
 * (describe-error.ts) in the CLI's style. It is the only place the CLI renders errors for
 * people. `diagnostics` is how an invalid file's findings are printed (`github`: workflow commands).
 */
export function describeCliError(err: unknown, diagnostics: DiagnosticFormat = "text"): string[] {
  // First: wrapped or not, an unloadable native module is the environment, never a bug.
  const native = nativeModuleProblem(err);
  if (native !== null) return native;
  return describeError(err, {
    prefix: "error: ",
    diagnostic: diagnostics === "github" ? (d: Diagnostic) => githubAnnotation(d) : formatDiagnostic,
    tokenHint: "the token (ANTRYK_TOKEN or --token-file)",
    stack: true,
  });
}
