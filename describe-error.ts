import { AccessError, ApiError, ConfigError, SafetyError } from "./errors.js";
import type { Diagnostic } from "./schema/diagnostics.js";

/**
 * One rendering of the typed errors (errors.ts) for people, shared by the two front
 * doors: the CLI (cli/errors.ts) and the Pulumi provider (provider/errors.ts) differ only
 * in the ErrorStyle they pass, so a failure reads the same through either.
 */

/** ErrorStyle is how one front door words errors. */
export interface ErrorStyle {
  /** prefix starts the error's own line: `error: ` for the CLI, "" for the provider (the Pulumi engine adds its own). */
  prefix: string;
  /** diagnostic renders one finding of a ConfigError (plain text, or a GitHub annotation). */
  diagnostic: (d: Diagnostic) => string;
  /** tokenHint says where the token came from, after `check ` on a 401. */
  tokenHint: string;
  /** stack: an internal error shows its stack (the CLI) or only its message (the provider: no frames to the engine). */
  stack: boolean;
}

/**
 * describeError turns any thrown value into the lines a person reads. Expected failures
 * (AccessError) are one line, plus the diagnostics of a ConfigError and the rails of a
 * SafetyError; anything else is a bug and says so.
 */
export function describeError(err: unknown, style: ErrorStyle): string[] {
  const { prefix } = style;
  if (err instanceof ConfigError) return [...err.diagnostics.map(style.diagnostic), `${prefix}${err.message}`];
  if (err instanceof SafetyError) {
    return [`${prefix}${err.message}`, ...err.violations.map((v) => `  ${v.rail}: ${v.message}${v.override ? ` (override: ${v.override})` : ""}`)];
  }
  // The token is right, its member's time-bound access has ended: checking the token would not help.
  if (err instanceof ApiError && err.status === 401 && err.code === "access_expired") return [`${prefix}${err.message}; an admin can extend it (expires in access.yaml)`];
  if (err instanceof ApiError && err.status === 401) return [`${prefix}${err.message}; check ${style.tokenHint}`];
  if (err instanceof AccessError) return [`${prefix}${err.message}`];
  const detail = err instanceof Error ? (style.stack ? (err.stack ?? err.message) : err.message) : String(err);
  return [`internal error (a bug in antryk-access, please report it): ${detail}`];
}
