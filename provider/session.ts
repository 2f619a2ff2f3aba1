import { createClient, type AccessClient } from "../client/index.js";
import { describeError } from "../cli/errors.js";
import { ConfigError } from "../errors.js";

/**
 * Where the provider's engine calls go, and how failures reach the Pulumi engine.
 *
 * Credentials never come from resource inputs and never reach state: the token is read
 * from the provider's `configure` (stack config `antryk:token`, set with
 * `pulumi config set --secret antryk:token …`) or from ANTRYK_TOKEN, inside the method
 * that needs it, in the dynamic-provider host process. The API URL may also be a resource
 * input (`apiUrl`): it is not a secret.
 */

/** ProviderConfig is what `configure` read from the stack config (`antryk:apiUrl`, `antryk:token`); held only in the host process. */
export interface ProviderConfig {
  apiUrl?: string | undefined;
  token?: string | undefined;
}

/** Target is a resolved API URL and token. */
export interface Target {
  baseUrl: string;
  token: string;
}

/**
 * resolveTarget picks the API URL (resource input, then `antryk:apiUrl`, then
 * ANTRYK_API_URL) and the token (`antryk:token`, then ANTRYK_TOKEN). A missing one is a
 * ConfigError saying how to set it; the message never contains the token.
 */
export function resolveTarget(config: ProviderConfig, inputApiUrl: unknown, env: NodeJS.ProcessEnv = process.env): Target {
  const baseUrl = nonEmpty(inputApiUrl) ?? nonEmpty(config.apiUrl) ?? nonEmpty(env.ANTRYK_API_URL);
  if (baseUrl === undefined) {
    throw new ConfigError(
      "no Access API URL: set the resource's apiUrl, `pulumi config set antryk:apiUrl https://…`, or ANTRYK_API_URL",
    );
  }
  const token = nonEmpty(config.token) ?? nonEmpty(env.ANTRYK_TOKEN);
  if (token === undefined) {
    throw new ConfigError(`no API token for ${baseUrl}: run \`pulumi config set --secret antryk:token …\` or set ANTRYK_TOKEN`);
  }
  return { baseUrl, token };
}

/** withClient opens a client for one provider call and always closes it: no pool outlives the call. */
export async function withClient<T>(target: Target, body: (client: AccessClient) => Promise<T>): Promise<T> {
  const client = createClient({ baseUrl: target.baseUrl, token: target.token });
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

/**
 * ProviderError is what a provider method throws to the host: one message rendered once
 * from the typed error (the CLI's describeError, so both front doors say the same thing).
 * `id` and `properties`, when set, tell the engine the resource exists but is not
 * fully applied (a partial apply): it is kept in state and the next `up` converges it.
 */
export class ProviderError extends Error {
  id?: string;
  properties?: Record<string, unknown>;
  reasons?: string[];
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderError";
  }
}

/**
 * providerError renders any thrown value once for the engine (idempotent on a
 * ProviderError). The engine prefixes the message with `error:` itself, so the CLI's
 * own `error: ` prefix is dropped.
 */
export function providerError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const lines = describeError(err).map((line) => line.replace(/^error: /, ""));
  return new ProviderError(lines.join("\n"), { cause: err });
}

/** guard runs a provider operation and turns whatever it throws into one ProviderError. */
export async function guard<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw providerError(err);
  }
}

function nonEmpty(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const v = value.trim();
  return v === "" ? undefined : v;
}
