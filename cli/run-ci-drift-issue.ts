import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import type { Plan } from "../reconciler/plan.js";
import { parsePlan } from "../reconciler/plan-schema.js";
import { parseApplyReport, type ApplyReport } from "./apply-report.js";
import { code, judge, MARKER, renderReport, reportTitle, type Stage } from "./drift-report.js";
import { ExitCode } from "./errors.js";
import { gitHubApi, isBot, type GitHubApi, type GitHubUser } from "./github-api.js";

/** DriftIssueOptions are `ci drift-issue`'s flags; the GitHub token comes from GITHUB_TOKEN only. */
export interface DriftIssueOptions {
  stage: Stage;
  exit: string;
  mode: string;
  plan: string;
  planErr: string;
  apply: string;
  applyErr: string;
  repo?: string;
  bot: string;
}

/** IssueUpdate is what one run does to the drift issue: report (title, body, the night's date; transient: the tool did not run to its end) or close. */
export type IssueUpdate = { title: string; body: string; date: string; transient: boolean } | { closeWith: string };

interface GitHubIssue {
  number: number;
  body?: string | null;
  user?: GitHubUser | null;
  pull_request?: unknown;
}

/**
 * runDriftIssue is `ci drift-issue`: read the run's files, judge, keep the one drift issue
 * (upsertIssue) and append the report to the job summary (GITHUB_STEP_SUMMARY). Returns
 * the exit code: 0 once the issue says what the run found, whatever it found.
 */
export async function runDriftIssue(options: DriftIssueOptions, env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): Promise<number> {
  if (options.stage !== "detect" && options.stage !== "correct") throw new ConfigError(`--stage must be detect or correct (got "${String(options.stage)}")`);
  const api = gitHubApi("ci drift-issue", env, options.repo);
  const notes: string[] = [];
  const plan = readJson(options.plan, (text) => parsePlan(text, options.plan), notes);
  const apply = readJson(options.apply, (text) => parseApplyReport(text, options.apply), notes);
  const outcome = judge({ stage: options.stage, exit: options.exit, plan, planErr: readText(options.planErr), apply, applyErr: readText(options.applyErr) });
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  const run = { workspace: plan?.workspace ?? "the workspace", url: `${server}/${api.repo}/actions/runs/${env.GITHUB_RUN_ID ?? "0"}`, mode: options.mode };
  let done: string;
  if (outcome.status === "clean") {
    done = await upsertIssue(api, options.bot, { closeWith: `No drift: ${code(run.workspace)} matches access.yaml again. [The run](${run.url})` });
  } else {
    if (outcome.status === "error") outcome.lines.push(...notes);
    const body = renderReport(outcome, run);
    done = await upsertIssue(api, options.bot, { title: reportTitle(outcome, run), body, date: now().toISOString().slice(0, 10), transient: outcome.status === "error" });
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${body}\n`);
  }
  process.stdout.write(`antryk-access drift issue: ${done}\n`);
  return ExitCode.ok;
}

/**
 * upsertIssue keeps the one drift issue: an open issue by `bot` whose body starts with
 * MARKER gets each run's report as a comment headed by its date (the log of every night,
 * never overwritten), and its title and body become the latest report, except after a
 * transient failure, which leaves them as the last real report said; a clean run comments
 * and closes it; one is created for a dirty run when none is open; a clean run with none
 * open does nothing. Returns what it did.
 */
export async function upsertIssue(api: GitHubApi, bot: string, update: IssueUpdate): Promise<string> {
  // Every open issue, filtered here: the author check must not depend on how the API spells a bot's login in a query.
  const open = await api.all<GitHubIssue>("/issues?state=open");
  const mine = open.find((i) => i.pull_request === undefined && isBot(i.user, bot) && typeof i.body === "string" && i.body.startsWith(MARKER));
  if ("closeWith" in update) {
    if (mine === undefined) return "nothing to close";
    await api.call("POST", `/issues/${mine.number}/comments`, { body: update.closeWith });
    await api.call("PATCH", `/issues/${mine.number}`, { state: "closed", state_reason: "completed" });
    return `closed #${mine.number}`;
  }
  if (mine !== undefined) {
    const report = update.body.startsWith(MARKER) ? update.body.slice(MARKER.length).replace(/^\n/, "") : update.body;
    const heading = `### ${update.date}: ${update.title}${update.transient ? " (the issue above is unchanged)" : ""}`;
    await api.call("POST", `/issues/${mine.number}/comments`, { body: `${heading}\n\n${report}` });
    if (update.transient) return `logged on #${mine.number}`;
    await api.call("PATCH", `/issues/${mine.number}`, { title: update.title, body: update.body });
    return `updated #${mine.number}`;
  }
  const created = (await api.call("POST", "/issues", { title: update.title, body: update.body })) as { number: number };
  return `opened #${created.number}`;
}

/** readText is a file's text, or "" when the step before wrote none. */
function readText(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/**
 * readJson reads a report a step wrote: null when missing, empty or not JSON (the tool
 * failed before writing it; its stderr says why); JSON of the wrong shape is null too, with
 * a note naming the field at fault for the report.
 */
function readJson<T extends Plan | ApplyReport>(path: string, parse: (text: string) => T, notes: string[]): T | null {
  const text = readText(path);
  if (text.trim() === "") return null;
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  try {
    return parse(text);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    notes.push(err.message);
    return null;
  }
}
