import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { ConfigError } from "../errors.js";
import { suggest } from "../schema/suggest.js";
import { envToken, isCi, nonEmpty, readTokenFile, type TargetOptions, type TargetSpec } from "./target.js";

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

/**
 * MultiTarget is the resolved target of several workspaces: remote with a token per workspace
 * and where each came from (`sources`: `--credentials creds.yaml:3:1`, `ANTRYK_TOKEN_ACME_PROD`,
 * `--token-file`, `ANTRYK_TOKEN`; never the token), or the embedded local workspace.
 */
export type MultiTarget = { kind: "remote"; baseUrl: string; tokens: Map<string, string>; sources: Map<string, string> } | { kind: "embedded"; explicit: boolean };

/** tokenSourceLines says which source each workspace's token came from (plan and apply print them), nothing for the embedded workspace. */
export function tokenSourceLines(target: MultiTarget): string[] {
  if (target.kind !== "remote") return [];
  return [...target.sources].map(([workspace, source]) => `Token for ${workspace}: ${source}.`);
}

/** assertDistinctVariables refuses workspace names that map to one ANTRYK_TOKEN_<WORKSPACE> variable (m-prod, m_prod, M-PROD), naming both. */
export function assertDistinctVariables(workspaces: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const w of workspaces) {
    const variable = tokenVariable(w);
    const other = seen.get(variable);
    if (other !== undefined && other !== w) {
      throw new ConfigError(`the workspaces ${other} and ${w} both take their token from ${variable}: rename one, so each workspace has its own token; nothing was read or changed`);
    }
    seen.set(variable, w);
  }
}

/** tokenVariable is the environment variable holding `workspace`'s own token: ANTRYK_TOKEN_ACME_PROD for acme-prod. */
export function tokenVariable(workspace: string): string {
  return `ANTRYK_TOKEN_${workspace.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * checkMultiTarget refuses, before any file is read, what resolveTarget refuses: `--local`
 * with a remote target, and no target at all in CI (`one`: worded for a single workspace). It returns the API URL, if any.
 */
export function checkMultiTarget(options: MultiTargetOptions, env: NodeJS.ProcessEnv = process.env, one = false): string | undefined {
  const apiUrl = nonEmpty(options.apiUrl) ?? nonEmpty(env.ANTRYK_API_URL);
  const tokenish = options.tokenFile !== undefined || options.credentials !== undefined || nonEmpty(env.ANTRYK_TOKEN) !== undefined;
  if (options.local === true && (apiUrl !== undefined || tokenish)) {
    throw new ConfigError("--local uses the embedded local workspace: do not also set an API URL or token (ANTRYK_API_URL, ANTRYK_TOKEN, --api-url, --token-file, --credentials)");
  }
  if (options.local !== true && apiUrl === undefined && !tokenish && isCi(env)) {
    throw new ConfigError(
      one
        ? "no target in CI: set ANTRYK_API_URL and ANTRYK_TOKEN to the workspace's API (or pass --local to use a throwaway embedded local workspace); nothing was read or changed"
        : "no target in CI: set ANTRYK_API_URL and ANTRYK_TOKEN (or ANTRYK_TOKEN_<WORKSPACE> per workspace) to the workspaces' API (or pass --local to use a throwaway embedded local workspace); nothing was read or changed",
    );
  }
  if (options.local !== true && apiUrl === undefined && tokenish) {
    throw new ConfigError("a token is set (ANTRYK_TOKEN, --token-file or --credentials) but no API URL: set ANTRYK_API_URL or pass --api-url");
  }
  const perWorkspace = Object.keys(env).some((name) => name.startsWith("ANTRYK_TOKEN_") && nonEmpty(env[name]) !== undefined);
  if (options.local !== true && apiUrl !== undefined && !tokenish && !perWorkspace) {
    throw new ConfigError(`no API token for ${apiUrl}: set ANTRYK_TOKEN (or ANTRYK_TOKEN_<WORKSPACE>) or pass --token-file or --credentials`);
  }
  return apiUrl;
}

/** resolveMultiTarget finds the token of every workspace (see the file comment); `workspaces` are the ones the files name. */
export async function resolveMultiTarget(options: MultiTargetOptions, workspaces: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<MultiTarget> {
  const apiUrl = checkMultiTarget(options, env, workspaces.length === 1);
  assertDistinctVariables(workspaces);
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
  const entries = options.credentials !== undefined ? await readCredentials(options.credentials) : [];
  const mapped = new Map(entries.filter((e) => workspaces.includes(e.workspace)).map((e) => [e.workspace, e]));
  // Entries for other workspaces are fine (one creds.yaml may serve every workspace), but
  // one that looks like a misspelling of a workspace without an entry of its own is
  // refused: that workspace would otherwise quietly take the shared token.
  const others = entries.filter((e) => !workspaces.includes(e.workspace));
  for (const workspace of workspaces.filter((w) => !mapped.has(w))) {
    const typo = others.find((e) => e.workspace === suggest(workspace, others.map((o) => o.workspace)));
    if (typo !== undefined) {
      throw new ConfigError(
        `${typo.at}: "${typo.workspace}" is not a workspace being planned; did you mean "${workspace}"? (it has no entry of its own, so it would take the shared token)`,
      );
    }
  }
  const shared = options.tokenFile !== undefined ? await readTokenFile(options.tokenFile) : envToken(env);
  const sharedSource = options.tokenFile !== undefined ? "--token-file" : "ANTRYK_TOKEN";
  const tokens = new Map<string, string>();
  const sources = new Map<string, string>();
  for (const workspace of workspaces) {
    const entry = mapped.get(workspace);
    const fromFile = entry !== undefined ? await readTokenFile(entry.file, `the token file named at ${entry.at}`) : undefined;
    const fromVariable = fromFile === undefined ? envToken(env, tokenVariable(workspace)) : undefined;
    const token = fromFile ?? fromVariable ?? shared;
    sources.set(workspace, fromFile !== undefined ? `--credentials ${entry!.at}` : fromVariable !== undefined ? tokenVariable(workspace) : sharedSource);
    if (token === undefined) {
      throw new ConfigError(
        `no API token for workspace ${workspace} at ${apiUrl}: set ${tokenVariable(workspace)} (or ANTRYK_TOKEN for every workspace), or map it to a token file in --credentials; nothing was read or changed`,
      );
    }
    tokens.set(workspace, token);
  }
  return { kind: "remote", baseUrl: apiUrl, tokens, sources };
}

/**
 * resolveWorkspaceTarget is one workspace's target by the same resolver as several (the one
 * order: --credentials, ANTRYK_TOKEN_<WORKSPACE>, --token-file, ANTRYK_TOKEN), so a file
 * planned alone takes the same token as in its folder; `source` says where it came from.
 */
export async function resolveWorkspaceTarget(
  options: MultiTargetOptions,
  workspace: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ target: TargetSpec; sourceLines: string[] }> {
  const multi = await resolveMultiTarget(options, [workspace], env);
  if (multi.kind === "embedded") return { target: multi, sourceLines: [] };
  return { target: { kind: "remote", baseUrl: multi.baseUrl, token: multi.tokens.get(workspace)! }, sourceLines: tokenSourceLines(multi) };
}

/** CredentialEntry is one line of creds.yaml: a workspace, its token file (resolved against creds.yaml's folder) and where it is written (`creds.yaml:3:1`). */
export interface CredentialEntry {
  workspace: string;
  file: string;
  at: string;
}

/**
 * readCredentials reads creds.yaml: a map of workspace → token file path (relative to
 * creds.yaml). It holds paths, never tokens. Every refusal names `file:line:column`.
 */
export async function readCredentials(path: string): Promise<CredentialEntry[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the credentials file ${path} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`, [], { cause: err });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    const { line, col } = lines.linePos(offset ?? 0);
    return `${path}:${line}:${col}`;
  };
  const example = 'it maps each workspace to a token file, e.g. "acme-prod: tokens/prod.token"';
  const [error] = doc.errors;
  if (error !== undefined) throw new ConfigError(`${at(error.pos[0])}: the credentials file is not valid YAML (${error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}); ${example}`);
  if (!isMap(doc.contents)) throw new ConfigError(`${at(doc.contents?.range?.[0])}: the credentials file must be a map; ${example}`);
  const out: CredentialEntry[] = [];
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? pair.key : undefined;
    const where = at(key?.range?.[0]);
    if (key === undefined || typeof key.value !== "string") throw new ConfigError(`${where}: a workspace name must be a plain string; ${example}`);
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof value !== "string" || value.trim() === "") {
      throw new ConfigError(`${at(isScalar(pair.value) ? pair.value.range?.[0] : key.range?.[0])}: ${key.value} must name a token file (a path), not a token or a value of another kind`);
    }
    out.push({ workspace: key.value, file: resolve(dirname(path), value.trim()), at: where });
  }
  return out;
}
