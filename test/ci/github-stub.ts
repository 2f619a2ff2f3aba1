import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for GitHub's REST API on 127.0.0.1 (port 0), holding one repository's issues,
 * their comments, the pull requests merged as each commit, and the plan artifacts; every
 * call is recorded. It answers only what the `ci` subcommands call, with the token checked.
 */

/** StubUser is an author as GitHub returns it. */
export interface StubUser {
  login: string;
  type: string;
}

/** StubIssue is an issue or pull request of the stub repository, with its comments. */
export interface StubIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  user: StubUser;
  pull_request?: object;
  comments: { id: number; body: string; user: StubUser }[];
}

/** GitHubStub is the running stub: its URL, its state (change it freely between steps), the calls it answered, and close. */
export interface GitHubStub {
  url: string;
  token: string;
  repo: string;
  issues: StubIssue[];
  /** pulls maps a merge commit SHA to the pull request merged as it. */
  pulls: Map<string, { number: number; headSha: string }>;
  /** artifacts are the saved plans: name → the run that uploaded it. */
  artifacts: Map<string, { runId: number; expired?: boolean }>;
  calls: string[];
  /** env is what a step needs to reach the stub: GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_SERVER_URL, GITHUB_RUN_ID. */
  env(): Record<string, string>;
  /** ours is the bot's comments on issue `n`. */
  ours(n: number): string[];
  close(): Promise<void>;
}

/** BOT_USER is the author of what the workflow's token writes. */
export const BOT_USER: StubUser = { login: "github-actions[bot]", type: "Bot" };

/** startGitHubStub starts the stub for repository `acme/access`; `token` is the only one it accepts. */
export async function startGitHubStub(token = "ghs_stubTokenNeverPrinted"): Promise<GitHubStub> {
  const repo = "acme/access";
  let nextId = 1000;
  const stub: GitHubStub = {
    url: "",
    token,
    repo,
    issues: [],
    pulls: new Map(),
    artifacts: new Map(),
    calls: [],
    env: () => ({ GITHUB_TOKEN: token, GITHUB_API_URL: stub.url, GITHUB_REPOSITORY: repo, GITHUB_SERVER_URL: "https://github.com", GITHUB_RUN_ID: "77" }),
    ours: (n) => issue(n)?.comments.filter((c) => c.user.login === BOT_USER.login).map((c) => c.body) ?? [],
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const issue = (n: number) => stub.issues.find((i) => i.number === n);
  const page = <T>(url: URL, all: T[]) => {
    const p = Number(url.searchParams.get("page") ?? "1");
    const per = Number(url.searchParams.get("per_page") ?? "30");
    return all.slice((p - 1) * per, p * per);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, "http://stub");
    stub.calls.push(`${req.method} ${url.pathname}`);
    const json = (status: number, value: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (req.headers.authorization !== `Bearer ${token}`) return json(401, { message: "Bad credentials" });
    let text = "";
    for await (const chunk of req) text += String(chunk);
    const body = (text === "" ? {} : JSON.parse(text)) as Record<string, string>;
    const base = `/repos/${repo}`;
    if (!url.pathname.startsWith(base)) return json(404, {});
    const path = url.pathname.slice(base.length);
    let m: RegExpExecArray | null;
    if (req.method === "GET" && path === "/issues") {
      const open = stub.issues.filter((i) => i.state === (url.searchParams.get("state") ?? "open"));
      return json(200, page(url, open.map(({ comments: _c, ...i }) => i)));
    }
    if (req.method === "POST" && path === "/issues") {
      const created: StubIssue = { number: Math.max(0, ...stub.issues.map((i) => i.number)) + 1, title: body.title!, body: body.body!, state: "open", user: BOT_USER, comments: [] };
      stub.issues.push(created);
      return json(201, created);
    }
    if ((m = /^\/issues\/(\d+)$/.exec(path)) && req.method === "PATCH" && issue(Number(m[1]))) {
      const target = issue(Number(m[1]))!;
      if (body.title !== undefined) target.title = body.title;
      if (body.body !== undefined) target.body = body.body;
      if (body.state !== undefined) target.state = body.state as "open" | "closed";
      return json(200, target);
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(path)) && issue(Number(m[1]))) {
      const target = issue(Number(m[1]))!;
      if (req.method === "GET") return json(200, page(url, target.comments));
      const c = { id: nextId++, body: body.body!, user: BOT_USER };
      target.comments.push(c);
      return json(201, c);
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(path)) && req.method === "PATCH") {
      const c = stub.issues.flatMap((i) => i.comments).find((x) => x.id === Number(m![1]));
      if (c === undefined) return json(404, {});
      c.body = body.body!;
      return json(200, c);
    }
    if ((m = /^\/commits\/([0-9a-f]+)\/pulls$/.exec(path)) && req.method === "GET") {
      const pr = stub.pulls.get(m[1]!);
      return json(200, pr === undefined ? [] : [{ number: pr.number, merged_at: "2026-12-08T00:00:00Z", merge_commit_sha: m[1], head: { sha: pr.headSha } }]);
    }
    if (path === "/actions/artifacts" && req.method === "GET") {
      const name = url.searchParams.get("name") ?? "";
      const found = stub.artifacts.get(name);
      const list = found === undefined ? [] : [{ id: 5, name, expired: found.expired ?? false, workflow_run: { id: found.runId } }];
      return json(200, { total_count: list.length, artifacts: page(url, list) });
    }
    return json(404, { message: "Not Found" });
  };
  const server = createServer((req, res) => void handle(req, res).catch((err: unknown) => res.writeHead(500).end(String(err))));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

/** openPullRequest adds pull request `number` (a user's) to the stub, for its comments. */
export function openPullRequest(stub: GitHubStub, number: number): StubIssue {
  const pr: StubIssue = { number, title: `PR ${number}`, body: "", state: "open", user: { login: "dev", type: "User" }, pull_request: {}, comments: [] };
  stub.issues.push(pr);
  return pr;
}
