import { AccessError, ApiError, ConfigError, SafetyError } from "../errors.js";
import { formatDiagnostic } from "../schema/diagnostics.js";

/**
 * How provider failures reach the Pulumi engine: one message, rendered once from the
 * typed error, never a stack frame. (The provider's own rendering, so the provider does
 * not depend on the CLI; the wording matches the CLI's.)
 */

/** HOST_LABEL is what the dynamic-provider host prints before a failed check/diff/read/delete's message on stderr. */
const HOST_LABEL = "antryk-access";

/**
 * ProviderError is what a provider method throws to the host: `message` is the whole
 * user-facing text. `id` and `properties`, when set, tell the engine the resource exists
 * but is not fully applied (ErrorResourceInitFailed): it is kept in state and the next
 * `up` converges it. The host prints `${err}: ${err.stack}` for check, diff, read and
 * delete failures, so `toString()` is a label and `stack` is the message: one line, no frames.
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
    return HOST_LABEL;
  }
}

/** describeProviderError renders any thrown value as the lines a Pulumi user reads (no `error:` prefix: the engine adds its own). */
export function describeProviderError(err: unknown): string[] {
  if (err instanceof ConfigError) return [...err.diagnostics.map(formatDiagnostic), err.message];
  if (err instanceof SafetyError) {
    return [err.message, ...err.violations.map((v) => `  ${v.rail}: ${v.message}${v.override ? ` (override: ${v.override})` : ""}`)];
  }
  if (err instanceof ApiError && err.status === 401) return [`${err.message}; check the token this resource uses (antryk:token, its tokenConfig, or ANTRYK_TOKEN)`];
  if (err instanceof AccessError) return [err.message];
  const message = err instanceof Error ? err.message : String(err);
  return [`internal error (a bug in antryk-access, please report it): ${message}`];
}

/** providerError renders any thrown value once for the engine (idempotent on a ProviderError). */
export function providerError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  return new ProviderError(describeProviderError(err).join("\n"), { cause: err });
}

/** guard runs a provider operation and turns whatever it throws into one ProviderError. */
export async function guard<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw providerError(err);
  }
}
