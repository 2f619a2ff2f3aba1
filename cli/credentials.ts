import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { ConfigError } from "../errors.js";
import { envToken, isCi, nonEmpty, readTokenFile, type TargetOptions } from "./target.js";

/**
 * The target of a command over several workspaces (docs/cli.md, "Credentials"): one API URL
 * (or the embedded local workspace, which holds every workspace in one database) and one
 * token per workspace, looked up in this order: the workspace's entry in `--credentials
 * creds.yaml` (workspace → token file, relative to creds.yaml), `ANTRYK_TOKEN_<WORKSPACE>`
 * (the name upper-cased, every other character `_`), `--token-file`, `ANTRYK_TOKEN`. A
 * missing token names the variable to set; no token is ever printed.
 */

/** MultiTargetOptions: the target options plus `--credentials`. */
export interface MultiTargetOptions extends TargetOptions {
  credentials?: string;
}

/** MultiTarget is the resolved target of several workspaces: remote with a token per workspace, or the embedded local workspace. */
export type MultiTarget = { kind: "remote"; baseUrl: string; tokens: Map<string, string> } | { kind: "embedded"; explicit: boolean };

/** tokenVariable is the environment variable holding `workspace`'s own token: ANTRYK_TOKEN_ACME_PROD for acme-prod. */
export function tokenVariable(workspace: string): string {
  return `ANTRYK_TOKEN_${workspace.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * checkMultiTarget refuses, before any file is read, what resolveTarget refuses: `--local`
 * with a remote target, and no target at all in CI. It returns the API URL, if any.
 */
export function checkMultiTarget(options: MultiTargetOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const apiUrl = nonEmpty(options.apiUrl) ?? nonEmpty(env.ANTRYK_API_URL);
  const tokenish = options.tokenFile !== undefined || options.credentials !== undefined || nonEmpty(env.ANTRYK_TOKEN) !== undefined;
  if (options.local === true && (apiUrl !== undefined || tokenish)) {
    throw new ConfigError("--local uses the embedded local workspace: do not also set an API URL or token (ANTRYK_API_URL, ANTRYK_TOKEN, --api-url, --token-file, --credentials)");
  }
  if (options.local !== true && apiUrl === undefined && !tokenish && isCi(env)) {
    throw new ConfigError(
      "no target in CI: set ANTRYK_API_URL and ANTRYK_TOKEN (or ANTRYK_TOKEN_<WORKSPACE> per workspace) to the workspaces' API (or pass --local to use a throwaway embedded local workspace); nothing was read or changed",
    );
  }
  return apiUrl;
}

/** resolveMultiTarget finds the token of every workspace (see the file comment); `workspaces` are the ones the files name. */
export async function resolveMultiTarget(options: MultiTargetOptions, workspaces: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<MultiTarget> {
  const apiUrl = checkMultiTarget(options, env);
  const perWorkspace = workspaces.some((w) => nonEmpty(env[tokenVariable(w)]) !== undefined);
  const tokenish = options.tokenFile !== undefined || options.credentials !== undefined || nonEmpty(env.ANTRYK_TOKEN) !== undefined || perWorkspace;
  if (options.local === true) {
    if (perWorkspace) throw new ConfigError("--local uses the embedded local workspace: unset the ANTRYK_TOKEN_<WORKSPACE> variables");
    return { kind: "embedded", explicit: true };
  }
  if (apiUrl === undefined) {
    if (tokenish) throw new ConfigError("a token is set (ANTRYK_TOKEN, ANTRYK_TOKEN_<WORKSPACE>, --token-file or --credentials) but no API URL: set ANTRYK_API_URL or pass --api-url");
    return { kind: "embedded", explicit: false };
  }
  const mapped = options.credentials !== undefined ? await readCredentials(options.credentials) : new Map<string, string>();
  const shared = options.tokenFile !== undefined ? await readTokenFile(options.tokenFile) : envToken(env);
  const tokens = new Map<string, string>();
  for (const workspace of workspaces) {
    const file = mapped.get(workspace);
    const token = (file !== undefined ? await readTokenFile(file) : undefined) ?? envToken(env, tokenVariable(workspace)) ?? shared;
    if (token === undefined) {
      throw new ConfigError(
        `no API token for workspace ${workspace} at ${apiUrl}: set ${tokenVariable(workspace)} (or ANTRYK_TOKEN for every workspace), or map it to a token file in --credentials; nothing was read or changed`,
      );
    }
    tokens.set(workspace, token);
  }
  return { kind: "remote", baseUrl: apiUrl, tokens };
}

/** readCredentials reads creds.yaml: a map of workspace → token file path (relative to creds.yaml). It holds paths, never tokens. */
export async function readCredentials(path: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the credentials file ${path} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`, [], { cause: err });
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    throw new ConfigError(`the credentials file ${path} is not YAML: it maps each workspace to a token file, e.g. "acme-prod: tokens/prod.token"`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`the credentials file ${path} must map each workspace to a token file, e.g. "acme-prod: tokens/prod.token"`);
  }
  const out = new Map<string, string>();
  for (const [workspace, file] of Object.entries(value)) {
    if (typeof file !== "string" || file.trim() === "") {
      throw new ConfigError(`the credentials file ${path}: ${workspace} must name a token file (a path), not a token or a value of another kind`);
    }
    out.set(workspace, resolve(dirname(path), file.trim()));
  }
  return out;
}
