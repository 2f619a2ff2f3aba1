import { existsSync, readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import type { Change } from "../reconciler/plan.js";
import { parsePlan } from "../reconciler/plan-schema.js";
import { APPLY_MARKER, applyResultBody, verdictOf } from "./apply-result.js";
import { parseApplyReport } from "./apply-report.js";
import { ExitCode } from "./errors.js";
import { gitHubApi, isBot, type GitHubUser } from "./github-api.js";
import { runPrComment } from "./run-ci-pr-comment.js";

/** ApplyResultOptions are `ci apply-result`'s flags; the GitHub token comes from GITHUB_TOKEN only. */
export interface ApplyResultOptions {
  pr: string;
  sha: string;
  exit: string;
  report: string;
  err: string;
  plan?: string;
  replan?: string;
  repo?: string;
  bot: string;
}

/**
 * runApplyResult is `ci apply-result`: posts (or updates) the one apply-result comment of
 * the merged pull request `pr`, saying what `apply plan.json` did at commit `sha`; when
 * the apply was refused as out of date and `--replan FILE` holds the new plan's Markdown,
 * that plan replaces the plan comments first (stamped with `sha`), so the comment can ask
 * for its review. Returns 0 once posted: the workflow's step decides the job's outcome.
 */
export async function runApplyResult(options: ApplyResultOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!/^\d+$/.test(options.pr)) throw new ConfigError(`--pr must be a pull request number (got "${options.pr}")`);
  const api = gitHubApi("ci apply-result", env, options.repo);
  const text = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");
  const reportText = text(options.report);
  const report = reportText.trim() === "" ? null : parseApplyReport(reportText, options.report);
  const plan: Change[] = options.plan !== undefined && existsSync(options.plan) ? parsePlan(text(options.plan), options.plan).changes : [];
  const refused = verdictOf({ exit: options.exit, report }) === "refused";
  const replanned = refused && options.replan !== undefined && existsSync(options.replan);
  if (replanned) await runPrComment({ pr: options.pr, sha: options.sha, body: options.replan, repo: api.repo, bot: options.bot }, env);
  const url = `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${api.repo}/actions/runs/${env.GITHUB_RUN_ID ?? "0"}`;
  const body = applyResultBody({ exit: options.exit, sha: options.sha, report, err: text(options.err), plan, replanned }, url);
  const comments = await api.all<{ id: number; body?: string | null; user?: GitHubUser | null }>(`/issues/${options.pr}/comments`);
  const mine = comments.find((c) => isBot(c.user, options.bot) && (c.body ?? "").startsWith(APPLY_MARKER));
  if (mine === undefined) await api.call("POST", `/issues/${options.pr}/comments`, { body });
  else await api.call("PATCH", `/issues/comments/${mine.id}`, { body });
  process.stdout.write(`Apply result of #${options.pr} ${mine === undefined ? "posted" : "updated"}: ${verdictOf({ exit: options.exit, report })}.\n`);
  return ExitCode.ok;
}
