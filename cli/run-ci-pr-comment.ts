import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { ConfigError } from "../errors.js";
import { ExitCode } from "./errors.js";
import { gitHubApi, isBot, type GitHubUser } from "./github-api.js";
import { commentBody, commentNumber, markStale, retiredBody, splitComments, type PlanComment, type Stamp } from "./pr-comments.js";

/** PrCommentOptions are `ci pr-comment`'s flags; the GitHub token comes from GITHUB_TOKEN only. */
export interface PrCommentOptions {
  pr: string;
  repo?: string;
  sha: string;
  body?: string;
  stale?: string;
  bot: string;
}

/** GitHubComment is the part of an issue comment `ci pr-comment` reads. */
interface GitHubComment {
  id: number;
  body?: string | null;
  user?: GitHubUser | null;
}

/**
 * runPrComment keeps the plan comments of pull request `pr`: with `--body FILE` it posts or
 * updates one comment per number of the plan's Markdown (FILE, then FILE.2.md … as
 * `plan --out` writes them, or every comment in FILE), and retires comments numbered past
 * the last; with `--stale WHY` it marks the comments already there as stale. Only comments
 * by `bot` that start with our marker are touched. Returns the exit code.
 */
export async function runPrComment(options: PrCommentOptions, env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): Promise<number> {
  const github = gitHub(options, env);
  const stamp: Stamp = { sha: options.sha, at: now() };
  const ours = (await github.comments()).flatMap((c) => {
    const n = isBot(c.user, options.bot) ? commentNumber(c.body ?? "") : null;
    return n === null ? [] : [{ n, comment: c }];
  });
  if (options.stale !== undefined) {
    for (const { comment } of ours) await github.update(comment.id, markStale(comment.body ?? "", options.sha, options.stale));
    process.stdout.write(`Marked ${ours.length} plan comment${ours.length === 1 ? "" : "s"} of #${options.pr} as stale.\n`);
    return ExitCode.ok;
  }
  if (options.body === undefined) throw new ConfigError("ci pr-comment needs --body FILE (the plan's Markdown) or --stale REASON");
  const comments = readComments(options.body);
  const byNumber = new Map<number, GitHubComment>();
  for (const { n, comment } of ours) if (!byNumber.has(n)) byNumber.set(n, comment);
  let created = 0;
  let updated = 0;
  for (const c of comments) {
    const existing = byNumber.get(c.index);
    if (existing === undefined) {
      await github.create(commentBody(c, stamp));
      created += 1;
    } else {
      await github.update(existing.id, commentBody(c, stamp));
      updated += 1;
    }
  }
  for (const [n, comment] of byNumber) if (n > comments.length) await github.update(comment.id, retiredBody(n, comments.length, stamp));
  process.stdout.write(`Plan comments of #${options.pr}: ${created} created, ${updated} updated (${comments.length} in all).\n`);
  return ExitCode.ok;
}

/** readComments reads the plan's Markdown: FILE holds comment 1 (or all of them); FILE.N.ext the rest, as `plan --out FILE` writes them. */
function readComments(file: string): PlanComment[] {
  if (!existsSync(file)) throw new ConfigError(`${file}: no such file (the plan's Markdown, from plan --format markdown --out ${file})`);
  const first = splitComments(readFileSync(file, "utf8"), true);
  const total = first[0]!.total;
  if (first.length === total) return first;
  const ext = extname(file);
  const base = file.slice(0, file.length - ext.length);
  const text = [readFileSync(file, "utf8")];
  for (let n = first.length + 1; n <= total; n++) {
    const part = `${base}.${n}${ext}`;
    if (!existsSync(part)) throw new ConfigError(`${file} is comment 1 of ${total}, but ${part} is missing`);
    text.push(readFileSync(part, "utf8"));
  }
  return splitComments(text.join("\n"));
}

/** gitHub is the pull request's comments through the REST API (github-api.ts). */
function gitHub(options: PrCommentOptions, env: NodeJS.ProcessEnv) {
  if (!/^\d+$/.test(options.pr)) throw new ConfigError(`--pr must be a pull request number (got "${options.pr}")`);
  const api = gitHubApi("ci pr-comment", env, options.repo);
  return {
    comments: () => api.all<GitHubComment>(`/issues/${options.pr}/comments`),
    create: (body: string) => api.call("POST", `/issues/${options.pr}/comments`, { body }),
    update: (id: number, body: string) => api.call("PATCH", `/issues/comments/${id}`, { body }),
  };
}
