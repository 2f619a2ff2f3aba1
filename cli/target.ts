import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { ConfigError } from "../errors.js";

/**
 * Where a command reads and writes: a real Access API (`--api-url` / ANTRYK_API_URL with
 * a token from ANTRYK_TOKEN or `--token-file`) or, with neither, the embedded local
 * workspace under `.antryk/` (see embedded.ts) — except in CI, where that fallback would
 * quietly plan and apply against a throwaway file, so there it takes `--local`. A token
 * is never a flag value, and no function here prints or returns it in a message.
 */

/** TargetOptions are the commander options every command that talks to a workspace shares. */
export interface TargetOptions {
  apiUrl?: string;
  tokenFile?: string;
  /** local asks for the embedded local workspace explicitly (required in CI; may create a new workspace beside existing ones). */
  local?: boolean;
}

/**
 * TargetSpec is the resolved target: remote with its token, or the embedded local
 * workspace (`explicit`: asked for with --local rather than fallen back to).
 */
export type TargetSpec = { kind: "remote"; baseUrl: string; token: string } | { kind: "embedded"; explicit: boolean };

/** isCi tells whether the environment is a CI job: `CI` set to anything but empty, `false` or `0`. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/**
 * retriesFromEnv reads ANTRYK_RETRIES, the number of retries of a failed call (429,
 * 5xx, network errors) before giving up; undefined keeps the client's default. CI jobs
 * that prefer failing fast to riding out an outage set it low.
 */
export function retriesFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = nonEmpty(env.ANTRYK_RETRIES);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new ConfigError(`ANTRYK_RETRIES must be an integer from 0 to 20 (got "${raw}")`);
  return n;
}

/** addTargetOptions adds `--api-url` and `--token-file` to a command (the token itself is never a flag). */
export function addTargetOptions(command: Command): Command {
  return command
    .option("--api-url <url>", "base URL of the Access API (default: $ANTRYK_API_URL; none: the embedded local workspace, except in CI)")
    .option("--token-file <path>", "read the API token from this file (default: $ANTRYK_TOKEN)")
    .option("--local", "use the embedded local workspace under .antryk/ (required in CI, where no target is an error)");
}

/**
 * resolveTarget decides the target from options and environment, before anything is
 * read. An API URL without a token, or a token without an API URL, is a ConfigError:
 * silently falling back to the embedded workspace would plan against the wrong thing.
 * For the same reason, in CI (isCi) no target at all is a ConfigError unless `--local`
 * asks for the embedded workspace; `--local` with a remote target is one too.
 */
export async function resolveTarget(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): Promise<TargetSpec> {
  const apiUrl = nonEmpty(options.apiUrl) ?? nonEmpty(env.ANTRYK_API_URL);
  const token = options.tokenFile !== undefined ? await readTokenFile(options.tokenFile) : envToken(env);
  if (options.local === true) {
    if (apiUrl !== undefined || token !== undefined) {
      throw new ConfigError("--local uses the embedded local workspace: do not also set an API URL or token (ANTRYK_API_URL, ANTRYK_TOKEN, --api-url, --token-file)");
    }
    return { kind: "embedded", explicit: true };
  }
  if (apiUrl === undefined && token === undefined) {
    if (isCi(env)) {
      throw new ConfigError(
        "no target in CI: set ANTRYK_API_URL and ANTRYK_TOKEN to the workspace's API (or pass --local to use a throwaway embedded local workspace); nothing was read or changed",
      );
    }
    return { kind: "embedded", explicit: false };
  }
  if (apiUrl === undefined) {
    throw new ConfigError(
      "a token is set (ANTRYK_TOKEN or --token-file) but no API URL: set ANTRYK_API_URL or pass --api-url",
    );
  }
  if (token === undefined) {
    throw new ConfigError(`no API token for ${apiUrl}: set ANTRYK_TOKEN or pass --token-file`);
  }
  // The client validates the URL (https, or http to loopback only) before sending the token.
  return { kind: "remote", baseUrl: apiUrl, token };
}

/**
 * readTokenFile reads a token file; a failure names where the path was given (`file`:
 * `the token file --token-file names`, `the token file named at creds.yaml:2:1`), never
 * the path nor the content.
 */
export async function readTokenFile(path: string, file = "the token file --token-file names"): Promise<string> {
  // Messages name where the path was given, never the path: a token pasted in place of a
  // path (`--token-file $ANTRYK_TOKEN`) would otherwise be printed.
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ConfigError(`cannot read ${file} (${code}): give the path of a file holding the token, not the token`, [], { cause: err });
  }
  const token = text.trim();
  if (token === "") throw new ConfigError(`${file} is empty`);
  if (/\s/.test(token)) throw new ConfigError(`${file} must hold one token on one line`);
  if (!TOKEN_CHARS.test(token)) throw new ConfigError(`${file} holds a control or non-ASCII character: a token is printable ASCII`);
  return token;
}

/** TOKEN_CHARS: a token is printable ASCII with no white space (anything else cannot be an HTTP header value). */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/** envToken reads ANTRYK_TOKEN, or the variable `name` (trimmed; blank is unset); white space or a control character inside is a one-line error that never shows the value. */
export function envToken(env: NodeJS.ProcessEnv, name = "ANTRYK_TOKEN"): string | undefined {
  const token = nonEmpty(env[name]);
  if (token === undefined) return undefined;
  if (!TOKEN_CHARS.test(token)) {
    throw new ConfigError(`${name} holds white space, a control character or a non-ASCII character: set it to the token alone`);
  }
  return token;
}

/** nonEmpty is a trimmed value, or undefined when blank or unset. */
export function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === "" ? undefined : v;
}
