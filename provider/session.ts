import { createClient, type AccessClient } from "../client/index.js";
import { ConfigError } from "../errors.js";

/**
 * Where the provider's engine calls go: credentials, each bound to the API URL configured
 * with it, and one client per provider call.
 *
 * Credentials never come from resource inputs and never reach state. A resource names
 * which credential it uses, never the token itself:
 * - by default `antryk:token` (or ANTRYK_TOKEN), sent only to `antryk:apiUrl` (or ANTRYK_API_URL);
 * - with `tokenConfig: "antryk:<name>Token"`, the token in that stack config key, sent only
 *   to `antryk:<name>ApiUrl` (or, when that key is not set, to `antryk:apiUrl` / ANTRYK_API_URL).
 * A resource's `apiUrl` input is an assertion, not a destination: when it differs from its
 * credential's URL the call is refused before any request, so no input can carry a token
 * to another server.
 */

/**
 * ProviderConfig is what `configure` read from the stack config, held only in the host
 * process. `apiUrl`/`token` are `antryk:apiUrl`/`antryk:token` (the only fields the
 * provider text of the previous version passes); `get` reads any stack config key.
 */
export interface ProviderConfig {
  apiUrl?: string | undefined;
  token?: string | undefined;
  get?: ((key: string) => unknown) | undefined;
}

/** Target is a resolved API URL and the token bound to it. */
export interface Target {
  baseUrl: string;
  token: string;
}

/** TOKEN_CONFIG_PATTERN: a named credential is a stack config key of the antryk namespace ending in `Token`. */
export const TOKEN_CONFIG_PATTERN = /^antryk:([a-z][A-Za-z0-9]*)Token$/;

/** credentialName says in words which credential inputs select (for messages: never the token). */
export function credentialName(tokenConfig: unknown): string {
  return typeof tokenConfig === "string" ? tokenConfig : "antryk:token";
}

/** checkTokenConfig is the check-time failure for a malformed `tokenConfig`, or null. */
export function checkTokenConfig(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || !TOKEN_CONFIG_PATTERN.test(value)) {
    return 'tokenConfig names the stack config key holding this resource\'s token, like "antryk:sandboxToken" (never the token itself)';
  }
  return null;
}

/**
 * resolveTarget picks the credential the inputs name (`tokenConfig`, else the default)
 * and its bound URL, and refuses an `apiUrl` input that differs from that URL. A missing
 * URL or token is a ConfigError saying how to set it; no message contains a token.
 */
export function resolveTarget(config: ProviderConfig, inputs: { apiUrl?: unknown; tokenConfig?: unknown }, env: NodeJS.ProcessEnv = process.env): Target {
  const stackUrl = nonEmpty(config.apiUrl) ?? nonEmpty(config.get?.("antryk:apiUrl"));
  const defaultUrl = stackUrl ?? nonEmpty(env.ANTRYK_API_URL);
  let baseUrl: string | undefined;
  let token: string | undefined;
  let how: string;
  if (inputs.tokenConfig === undefined || inputs.tokenConfig === null) {
    baseUrl = defaultUrl;
    token = nonEmpty(config.token) ?? nonEmpty(config.get?.("antryk:token")) ?? nonEmpty(env.ANTRYK_TOKEN);
    how = "`pulumi config set --secret antryk:token …` or set ANTRYK_TOKEN";
  } else {
    const key = String(inputs.tokenConfig);
    const match = TOKEN_CONFIG_PATTERN.exec(key);
    if (match === null) throw new ConfigError(checkTokenConfig(key) ?? "invalid tokenConfig");
    baseUrl = nonEmpty(config.get?.(`antryk:${match[1]}ApiUrl`)) ?? defaultUrl;
    token = nonEmpty(config.get?.(key));
    how = `\`pulumi config set --secret ${key} …\``;
  }
  if (baseUrl === undefined) {
    throw new ConfigError("no Access API URL: `pulumi config set antryk:apiUrl https://…` or set ANTRYK_API_URL");
  }
  const asserted = nonEmpty(inputs.apiUrl);
  if (asserted !== undefined && sameUrl(asserted, baseUrl) === false) {
    throw new ConfigError(
      `apiUrl ${asserted} is not the URL configured for ${credentialName(inputs.tokenConfig)} (${baseUrl}); a token is only sent to the URL configured with it, so nothing was sent`,
    );
  }
  if (token === undefined) throw new ConfigError(`no API token for ${baseUrl}: run ${how}`);
  return { baseUrl, token };
}

/** sameUrl compares two API URLs as origins plus paths, ignoring a trailing slash and letter case of the host. */
function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const url = new URL(u);
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
    } catch {
      return u.replace(/\/+$/, "");
    }
  };
  return norm(a) === norm(b);
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

function nonEmpty(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const v = value.trim();
  return v === "" ? undefined : v;
}
