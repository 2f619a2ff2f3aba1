/**
 * The pull request's plan comments, as data: `plan --format markdown` writes one or more
 * comments, each starting `<!-- antryk-access comment N/M -->`; `ci pr-comment` keeps one
 * GitHub comment per number, stamped with the head SHA and the time, and marks them stale
 * when a later push could not be planned. Pure: text in, text out.
 */
import { ConfigError } from "../errors.js";

/** COMMENT_MARKER matches the first line of comment N of M. */
export const COMMENT_MARKER = /^<!-- antryk-access comment (\d+)\/(\d+) -->$/;

/** LEGACY_MARKER starts the single plan comment of workflows before continuation comments; it is taken over as comment 1. */
export const LEGACY_MARKER = "<!-- antryk-access plan -->";

/** STALE_START and STALE_END enclose the stale banner, so marking again replaces it. */
const STALE_START = "<!-- antryk-access stale -->";
const STALE_END = "<!-- antryk-access stale end -->";
const STAMP = /^<sub>antryk-access plan of .*<\/sub>$/;

/** PlanComment is comment `index` (1-based) of `total`, its body without the marker line. */
export interface PlanComment {
  index: number;
  total: number;
  body: string;
}

/**
 * splitComments reads the Markdown plan as `plan --format markdown` printed it: comments
 * each led by their marker line. Text without any marker is one comment (1/1). Throws
 * ConfigError on markers that are not 1..M in order, or fewer than M unless `partial` (the
 * first of several files), so a truncated or mixed input is never posted.
 */
export function splitComments(markdown: string, partial = false): PlanComment[] {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  if (!lines.some((l) => COMMENT_MARKER.test(l))) return [{ index: 1, total: 1, body: markdown.trimEnd() }];
  const comments: PlanComment[] = [];
  for (const line of lines) {
    const m = COMMENT_MARKER.exec(line);
    if (m !== null) comments.push({ index: Number(m[1]), total: Number(m[2]), body: "" });
    else if (comments.length > 0) comments.at(-1)!.body += `${comments.at(-1)!.body === "" ? "" : "\n"}${line}`;
    else if (line.trim() !== "") throw new ConfigError("the plan's Markdown has text before its first <!-- antryk-access comment 1/M --> line");
  }
  const total = comments[0]!.total;
  comments.forEach((c, i) => {
    if (c.index !== i + 1 || c.total !== total) throw new ConfigError(`the plan's Markdown has comment ${c.index}/${c.total} where ${i + 1}/${total} belongs`);
    c.body = c.body.trimEnd();
  });
  if (comments.length !== total && !(partial && comments.length < total)) throw new ConfigError(`the plan's Markdown holds ${comments.length} of its ${total} comments`);
  return comments;
}

/** Stamp is what each posted comment says about the plan: the head commit and when it was planned. */
export interface Stamp {
  sha: string;
  at: Date;
}

/** commentBody is the GitHub comment for `comment`: its marker line, the stamp line, then the plan. */
export function commentBody(comment: PlanComment, stamp: Stamp): string {
  const at = `${stamp.at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return [`<!-- antryk-access comment ${comment.index}/${comment.total} -->`, `<sub>antryk-access plan of \`${shortSha(stamp.sha)}\`, ${at}</sub>`, "", comment.body].join("\n");
}

/** retiredBody is what a comment numbered past the new plan's last says: the plan now needs fewer comments. */
export function retiredBody(index: number, total: number, stamp: Stamp): string {
  return `<!-- antryk-access comment ${index}/${total} -->\n<sub>antryk-access plan of \`${shortSha(stamp.sha)}\`</sub>\n\nThe plan of this commit fits in the comments above; this one is no longer used.`;
}

/**
 * markStale puts (or replaces) a banner after the marker and stamp lines of one of our
 * comments: the plan below is of an older commit, and `sha` could not be planned (`why`).
 */
export function markStale(body: string, sha: string, why: string): string {
  const lines = unstale(body).split("\n");
  const head = lines.findIndex((l, i) => i > 0 && !STAMP.test(l));
  const at = head === -1 ? lines.length : head;
  const banner = [STALE_START, `> **Stale:** this plan is of an earlier commit. \`${shortSha(sha)}\` could not be planned (${why}); see its checks.`, STALE_END];
  return [...lines.slice(0, at), ...banner, ...lines.slice(at)].join("\n");
}

/** commentNumber says whether a comment's body is one of ours and which number it is (legacy single comments are number 1). */
export function commentNumber(body: string): number | null {
  const first = body.split("\n", 1)[0]!.trim();
  if (first === LEGACY_MARKER) return 1;
  const m = COMMENT_MARKER.exec(first);
  return m === null ? null : Number(m[1]);
}

function unstale(body: string): string {
  let inside = false;
  return body
    .split("\n")
    .filter((line) => {
      if (line === STALE_START) inside = true;
      const keep = !inside;
      if (line === STALE_END) inside = false;
      return keep;
    })
    .join("\n");
}

function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha.replace(/[^0-9A-Za-z._-]/g, "");
}
