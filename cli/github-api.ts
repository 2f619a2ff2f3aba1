import { ConfigError } from "../errors.js";

/**
 * The few calls of GitHub's REST API the `ci` subcommands make, with GITHUB_TOKEN (never
 * printed). GITHUB_API_URL is https://api.github.com unless set; plain http is allowed to
 * loopback only (the tests' stub).
 */

/** GitHubApi calls one repository's REST API: `call` for one request, `all` for every page of a list. */
export interface GitHubApi {
  repo: string;
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  all<T>(path: string, pick?: (page: unknown) => T[]): Promise<T[]>;
}

/** gitHubApi reads the token, repository and API URL from the environment (`repo` overrides GITHUB_REPOSITORY); `what` names the command in errors. */
export function gitHubApi(what: string, env: NodeJS.ProcessEnv, repoOption?: string): GitHubApi {
  const token = env.GITHUB_TOKEN;
  if (token === undefined || token === "") throw new ConfigError(`${what} needs GITHUB_TOKEN in the environment (the workflow's token)`);
  const repo = repoOption ?? env.GITHUB_REPOSITORY;
  if (repo === undefined || !/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new ConfigError(`${what} needs --repo OWNER/NAME (or GITHUB_REPOSITORY)`);
  const api = new URL(env.GITHUB_API_URL ?? "https://api.github.com");
  if (api.protocol !== "https:" && !["127.0.0.1", "[::1]", "localhost"].includes(api.hostname)) {
    throw new ConfigError(`GITHUB_API_URL must be https:// (got ${api.protocol}//${api.host}); plain http is allowed to loopback only`);
  }
  const base = `${api.origin}${api.pathname.replace(/\/$/, "")}/repos/${repo}`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      redirect: "error",
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "antryk-access-ci",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new ConfigError(`GitHub answered ${response.status} to ${method} ${path.replace(/\?.*$/, "")}: ${(await response.text()).slice(0, 200)}`);
    return response.status === 204 ? null : response.json();
  };
  return {
    repo,
    call,
    async all<T>(path: string, pick: (page: unknown) => T[] = (page) => page as T[]): Promise<T[]> {
      const found: T[] = [];
      const sep = path.includes("?") ? "&" : "?";
      for (let page = 1; ; page++) {
        const batch = pick(await call("GET", `${path}${sep}per_page=100&page=${page}`));
        found.push(...batch);
        if (batch.length < 100) return found;
      }
    },
  };
}

/** GitHubUser is the author of an issue or comment, as GitHub returns it. */
export interface GitHubUser {
  login?: string;
  type?: string;
}

/** BOT is the author of issues and comments made with the workflow's GITHUB_TOKEN. */
export const BOT = "github-actions[bot]";

/** isBot says whether `user` is the bot `login` (type Bot: a user account can take any login-like name). */
export function isBot(user: GitHubUser | null | undefined, login: string = BOT): boolean {
  return user?.login === login && user.type === "Bot";
}
