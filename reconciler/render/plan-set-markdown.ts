import { isLocalTarget, type Change } from "../plan.js";
import { mdCode, mdText } from "./escape.js";
import { changeRow, holderRows, htmlText, MARKDOWN_LIMIT, planDetailLines, reviewSection, TABLE_HEAD, violationLine } from "./markdown.js";
import { Pager } from "./pager.js";
import { setRow, setSummaryLine, type WorkspaceOutcome } from "./plan-set.js";
import { blockedLine, compareForReview, fileOf, LOCAL_NOTE, reviewOrder, summaryLine } from "./words.js";

/**
 * renderSetMarkdownComments is a plan set as pull-request comments (docs/plan-format.md,
 * "Plan sets"), each at most MARKDOWN_LIMIT characters and starting with its marker line: the
 * set's title (saying LOCAL when any workspace is the embedded local one) and summary line, a
 * table with a row per workspace (people to invite · to update · to remove, role changes,
 * high risk, blocked), every rail that blocks any workspace, then "Review first": every
 * change that takes access away or is high risk in any workspace (a role edit with every
 * holder), in one review order across workspaces — never cut, continued in further comments
 * when it does not fit — then a folded section per workspace (blocked first, then those with
 * changes to review, then the rest) with what may be summarised: its policy findings,
 * warnings, gains, history and YAML diff, whole or as one line. Pure.
 */
export function renderSetMarkdownComments(outcomes: readonly WorkspaceOutcome[]): string[] {
  const p = new Pager(MARKDOWN_LIMIT, RESERVE);
  const n = outcomes.length;
  const local = outcomes.filter((o) => "plan" in o && isLocalTarget(o.plan.target));
  p.must(`### antryk-access plan for ${n} workspace${n === 1 ? "" : "s"}${local.length > 0 ? ` (LOCAL: ${local.length === n ? "every workspace" : `${local.length} of ${n}`})` : ""}`, "");
  p.must(`**${mdText(setSummaryLine(outcomes), "block")}**`, "");
  if (local.length > 0) p.must("> [!WARNING]", `> ${LOCAL_NOTE.replace("this plan is", local.length === n ? "these plans are" : `the plans of ${local.map((o) => o.workspace).join(", ")} are`)}`, "");
  const table = ["| Workspace | To invite | To update | To remove | Role changes | High risk | Blocked |", "|---|---:|---:|---:|---:|---:|---|"];
  for (const o of outcomes) {
    const r = setRow(o);
    const blocked = r.error !== undefined ? `error: ${mdText(r.error, "cell")}` : r.blocked > 0 ? `**blocked** (${r.blocked} rail${r.blocked === 1 ? "" : "s"})` : "no";
    table.push(`| ${mdCode(o.workspace, "cell")} | ${r.invite} | ${r.update} | ${r.remove} | ${r.roles} | ${r.highRisk > 0 ? `:warning: ${r.highRisk}` : "0"} | ${blocked} |`);
  }
  p.begin(table.slice(0, 2), ["#### Workspaces (continued)", "", ...table.slice(0, 2)]);
  for (const row of table.slice(2)) p.must(row);
  p.must("");
  p.end();

  const rails = outcomes.flatMap((o) => ("plan" in o ? o.plan.violations.map((v) => violationLine(v, `${mdCode(o.workspace, "block")}: `)) : []));
  if (rails.length > 0) {
    p.begin(["#### Blocked by safety rails", ""], ["#### Blocked by safety rails (continued)", ""]);
    for (const line of rails) p.must(line);
    p.must("");
    p.end();
  }

  const review = outcomes
    .flatMap((o) => ("plan" in o ? reviewOrder(o.plan.changes).review.map((c) => ({ workspace: o.workspace, c })) : []))
    .sort((a, b) => compareForReview(a.c, b.c) || (a.workspace < b.workspace ? -1 : a.workspace > b.workspace ? 1 : 0));
  const one = review.length === 1;
  reviewSection(
    review,
    p,
    ({ workspace, c }) => workspaceRows(workspace, c),
    `${review.length.toLocaleString("en-US")} change${one ? "" : "s"} across workspaces that take${one ? "s" : ""} access away or ${one ? "is" : "are"} high risk`,
    [`| Workspace ${TABLE_HEAD[0]}`, `|---${TABLE_HEAD[1]}`],
  );

  let folded = 0;
  const sections = [...outcomes].sort((a, b) => rank(a) - rank(b) || (a.workspace < b.workspace ? -1 : 1));
  for (const o of sections) {
    const whole = section(o, true);
    const short = section(o, false);
    if (p.fitsOptional(whole)) p.may(...whole);
    else if (p.fitsOptional(short)) p.may(...short);
    else folded += 1;
  }
  return p.finish(
    folded > 0 ? `_${folded.toLocaleString("en-US")} workspace section${folded === 1 ? " is" : "s are"} not shown for room (their changes to review and rails are all listed above): see \`antryk-access plan --format json\` or the job log._` : null,
  );
}

/** renderSetMarkdown is what `plan --format markdown` prints for a plan set: its comments one after the other. */
export function renderSetMarkdown(outcomes: readonly WorkspaceOutcome[]): string {
  return renderSetMarkdownComments(outcomes).join("");
}

/** RESERVE is room kept in the last comment for the closing notes. */
const RESERVE = 800;

/** workspaceRows is a change's row (and a role edit's holder rows) with the workspace's cell first. */
function workspaceRows(workspace: string, c: Change): string[] {
  return [changeRow(c), ...holderRows(c)].map((row) => `| ${mdCode(workspace, "cell")} ${row}`);
}

/** rank orders sections for review: errors and blocked plans, then plans with changes to review, then other changes, then none. */
function rank(o: WorkspaceOutcome): number {
  if (!("plan" in o)) return 0;
  if (o.plan.violations.length > 0) return 1;
  if (reviewOrder(o.plan.changes).review.length > 0) return 2;
  return o.plan.changes.length > 0 ? 3 : 4;
}

/** section is one workspace folded: `<details>` with the workspace, its file and its summary line; inside, its details (`whole`) or a line saying they are not shown. */
function section(o: WorkspaceOutcome, whole: boolean): string[] {
  const summary = "plan" in o ? `${summaryLine(o.plan.summary, o.plan.warnings, fileOf(o.plan))}${o.plan.violations.length > 0 ? ` ${blockedLine(o.plan)}` : ""}` : `Error: ${o.error}`;
  const open = ["<details>", `<summary><code>${htmlText(o.workspace)}</code> (<code>${htmlText(o.file)}</code>): ${htmlText(summary)}</summary>`, ""];
  let body: string[];
  if (!("plan" in o)) body = [`The workspace could not be planned: ${mdText(o.error, "block")}`];
  else if (!whole) body = ["_This workspace's gains, warnings and diff do not fit in the comment (its changes to review and rails are listed above): see `antryk-access plan --format json` or the job log._"];
  else {
    body = planDetailLines(o.plan, o.yamlDiff);
    while (body.at(-1) === "") body.pop();
    if (body.length === 0) body = ["Nothing more: its changes to review and rails, if any, are listed above."];
  }
  return [...open, ...body, "", "</details>", ""];
}
