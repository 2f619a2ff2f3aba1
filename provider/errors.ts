import { describeError } from "../describe-error.js";
import { ProviderError } from "../errors.js";
import { formatDiagnostic } from "../schema/diagnostics.js";

/**
 * How provider failures reach the Pulumi engine: one message, rendered once from the
 * typed error by the describeError the CLI also uses (describe-error.ts), never a stack
 * frame. ProviderError itself lives with the other typed errors in errors.ts.
 */

/** describeProviderError renders any thrown value as the lines a Pulumi user reads: describeError in the provider's style (no `error:` prefix: the engine adds its own; no stack frames). */
export function describeProviderError(err: unknown): string[] {
  return describeError(err, {
    prefix: "",
    diagnostic: formatDiagnostic,
    tokenHint: "the token this resource uses (antryk:token, its tokenConfig, or ANTRYK_TOKEN)",
    stack: false,
  });
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
