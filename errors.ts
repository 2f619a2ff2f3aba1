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

/** ApiErrorInit names the fields of an ApiError (the client builds one per failed request). */
export interface ApiErrorInit {
  message: string;
  /** status is the HTTP status, 0 when the API could not be reached. */
  status: number;
  /** code is the API's error code (`not_found`, `network_error`, …). */
  code: string;
  request: { method: string; path: string; requestId?: string };
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** ApiError: the Access API answered an error or could not be reached (`status` 0). Never carries the token. */
export class ApiError extends AccessError {
  readonly status: number;
  readonly code: string;
  readonly request: { method: string; path: string; requestId?: string };
  readonly details?: Record<string, unknown>;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.request = init.request;
    this.details = init.details;
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

/** PROVIDER_ERROR_LABEL is what the dynamic-provider host prints before a failed check/diff/read/delete's message on stderr. */
export const PROVIDER_ERROR_LABEL = "antryk-access";

/**
 * ProviderError is what a Pulumi provider method throws to the host: `message` is the
 * whole user-facing text (provider/errors.ts renders it from the typed errors above).
 * `id` and `properties`, when set, tell the engine the resource exists but is not fully
 * applied (ErrorResourceInitFailed): it is kept in state and the next `up` converges it.
 * The host prints `${err}: ${err.stack}` for check, diff, read and delete failures, so
 * `toString()` is a label and `stack` is the message: one line, no frames.
 */
export class ProviderError extends Error {
  id?: string;
  properties?: Record<string, unknown>;
  reasons?: string[];
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderError";
    Object.defineProperty(this, "stack", { value: message, writable: true, configurable: true, enumerable: false });
  }
  override toString(): string {
    return PROVIDER_ERROR_LABEL;
  }
}
