import type { Change } from "../plan.js";
import { mdCode, mdText, showInvisible } from "./escape.js";
import { changeRow, MARKDOWN_LIMIT, renderMarkdown, TABLE_HEAD } from "./markdown.js";
import { setRow, setSummaryLine, type WorkspaceOutcome } from "./plan-set.js";
import { blockedLine, compareForReview, reviewOrder, summaryLine } from "./words.js";

/**
 * renderSetMarkdown is a plan set as one pull-request comment (docs/plan-format.md, "Plan
 * sets"), never longer than MARKDOWN_LIMIT: the set's summary line, a table with a row per
 * workspace (people to invite · to update · to remove, role changes, high risk, blocked), then "Review first":
 * every change that takes access away or is high risk in any workspace, in one review order
 * across workspaces (a removal anywhere before any gain), then a folded section per workspace
 * (blocked first, then those with changes to review, then the rest), each its plan as
 * renderMarkdown writes it, within a share of what is left of the budget. Pure.
 */
export function renderSetMarkdown(outcomes: readonly WorkspaceOutcome[]): string {
  const head: string[] = [];
  const n = outcomes.length;
  head.push(`### antryk-access plan for ${n} workspace${n === 1 ? "" : "s"}`, "", `**${mdText(setSummaryLine(outcomes), "block")}**`, "");
  head.push("| Workspace | To invite | To update | To remove | Role changes | High risk | Blocked |", "|---|---:|---:|---:|---:|---:|---|");
  for (const o of outcomes) {
    const r = setRow(o);
    const blocked = r.error !== undefined ? `error: ${mdText(r.error, "cell")}` : r.blocked > 0 ? `**blocked** (${r.blocked} rail${r.blocked === 1 ? "" : "s"})` : "no";
    head.push(`| ${mdCode(o.workspace, "cell")} | ${r.invite} | ${r.update} | ${r.remove} | ${r.roles} | ${r.highRisk > 0 ? `:warning: ${r.highRisk}` : "0"} | ${blocked} |`);
  }
  head.push("");

  // Review first, across workspaces: at most REVIEW_SHARE of the budget; the rest is counted.
  const review = outcomes
    .flatMap((o) => ("plan" in o ? reviewOrder(o.plan.changes).review.map((c) => ({ workspace: o.workspace, c })) : []))
    .sort((a, b) => compareForReview(a.c, b.c) || (a.workspace < b.workspace ? -1 : a.workspace > b.workspace ? 1 : 0));
  const reviewLines: string[] = [];
  if (review.length > 0) {
    const budget = Math.floor(MARKDOWN_LIMIT * REVIEW_SHARE);
    const one = review.length === 1;
    reviewLines.push(`#### Review first: ${review.length} change${one ? "" : "s"} across workspaces that take${one ? "s" : ""} access away or ${one ? "is" : "are"} high risk`, "");
    reviewLines.push(`| Workspace ${TABLE_HEAD[0]}`, `|---${TABLE_HEAD[1]}`);
    let size = 0;
    let shown = 0;
    for (const { workspace, c } of review) {
      const row = workspaceRow(workspace, c);
      if (size + row.length + 1 > budget) break;
      reviewLines.push(row);
      size += row.length + 1;
      shown += 1;
    }
    reviewLines.push("");
    if (shown < review.length) reviewLines.push(`_${review.length - shown} more to review first are listed in the workspaces' sections below._`, "");
  }

  const sections = [...outcomes].sort((a, b) => rank(a) - rank(b) || (a.workspace < b.workspace ? -1 : 1));
  const fixed = [...head, ...reviewLines].join("\n").length + 1;
  const bodies = allot(sections, MARKDOWN_LIMIT - fixed - CLOSING);
  const text = `${[...head, ...reviewLines, ...bodies].join("\n").trimEnd()}\n`;
  return text.length <= MARKDOWN_LIMIT ? text : `${text.slice(0, MARKDOWN_LIMIT - 1)}\n`;
}

/** REVIEW_SHARE is the share of the comment the cross-workspace review table may take. */
const REVIEW_SHARE = 0.4;
/** CLOSING is room kept for the last lines. */
const CLOSING = 200;
/** MIN_SECTION: a workspace's share below this shows its summary only (a plan section needs room for its head and cut notice). */
const MIN_SECTION = 2000;

function workspaceRow(workspace: string, c: Change): string {
  return `| ${mdCode(workspace, "cell")} ${changeRow(c)}`;
}

/** rank orders sections for review: errors and blocked plans, then plans with changes to review, then other changes, then none. */
function rank(o: WorkspaceOutcome): number {
  if (!("plan" in o)) return 0;
  if (o.plan.violations.length > 0) return 1;
  if (reviewOrder(o.plan.changes).review.length > 0) return 2;
  return o.plan.changes.length > 0 ? 3 : 4;
}

/**
 * allot renders each section within `budget`: sections that fit whole keep their size, and
 * what is left is shared equally among the larger ones (water filling), each rendered again
 * within its share.
 */
function allot(sections: readonly WorkspaceOutcome[], budget: number): string[] {
  const whole = sections.map((o) => section(o, MARKDOWN_LIMIT));
  const order = whole.map((s, i) => ({ i, size: s.length + 1 })).sort((a, b) => a.size - b.size);
  const share = new Array<number>(sections.length).fill(0);
  let left = Math.max(0, budget);
  order.forEach(({ i, size }, k) => {
    const fair = Math.floor(left / (order.length - k));
    share[i] = Math.min(size, fair);
    left -= share[i]!;
  });
  return sections.map((o, i) => (share[i]! >= whole[i]!.length + 1 ? whole[i]! : section(o, share[i]!)));
}

/** section is one workspace folded: `<details>` with the workspace and its summary line, its plan inside (within `limit` characters in all). */
function section(o: WorkspaceOutcome, limit: number): string {
  const summary = "plan" in o ? `${summaryLine(o.plan.summary, o.plan.warnings)}${o.plan.violations.length > 0 ? ` ${blockedLine(o.plan)}` : ""}` : `Error: ${o.error}`;
  const open = ["<details>", `<summary><code>${htmlText(o.workspace)}</code> (<code>${htmlText(o.file)}</code>): ${htmlText(summary)}</summary>`, ""];
  const close = ["", "</details>", ""];
  const frame = [...open, ...close].join("\n").length + 2;
  let body: string;
  if (!("plan" in o)) body = `The workspace could not be planned: ${mdText(o.error, "block")}`;
  else if (limit - frame < MIN_SECTION) body = `_This workspace's changes do not fit in the comment: see \`antryk-access plan --format json\` or the job log._`;
  else body = renderMarkdown(o.plan, { ...(o.yamlDiff !== undefined ? { yamlDiff: o.yamlDiff } : {}), limit: limit - frame }).trimEnd();
  return [...open, body, ...close].join("\n");
}

/**
 * htmlText makes a value inert inside raw HTML (a `<summary>` line is an HTML block, where
 * Markdown is not parsed): invisible characters shown escaped, then every character HTML or
 * GitHub's mention and reference filters could act on written as an entity.
 */
function htmlText(value: string): string {
  return showInvisible(value).replace(/[&<>"'@#:`*_[\]|\\]/g, (c) => `&#${c.charCodeAt(0)};`);
}
