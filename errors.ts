import type { Diagnostic } from "./schema/diagnostics.js";

/**
 * The error hierarchy of antryk-access. Every user-facing failure is one of these;
 * the CLI maps them to exit codes and one-line messages once, at its entry
 * (anything else is a bug and is reported as such).
 */

/** AccessError is the base of every expected failure; `message` is one line a person can act on. */
export class AccessError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** ConfigError: the access file (or a CLI option) is invalid; `diagnostics` holds every finding. */
export class ConfigError extends AccessError {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** ApiError: the Access API answered an error or could not be reached (`status` 0). Never carries the token. */
export class ApiError extends AccessError {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly request: { method: string; path: string; requestId?: string },
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SafetyError: a safety rail blocked the plan; nothing was changed. `violations` names each rail that fired. */
export class SafetyError extends AccessError {
  constructor(
    message: string,
    readonly violations: { rail: string; message: string; override?: string }[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** StalePlanError: a saved plan was computed from a live state that has since changed; nothing was changed. */
export class StalePlanError extends AccessError {
  constructor(
    message: string,
    readonly expectedDigest: string,
    readonly actualDigest: string,
  ) {
    super(message);
  }
}

/** InterruptedError: apply was interrupted (Ctrl-C); what was applied is reported, the rest was not attempted (the CLI exits 130). */
export class InterruptedError extends AccessError {}
