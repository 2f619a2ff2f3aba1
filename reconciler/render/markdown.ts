import { ADMIN_PERMISSION } from "../../schema/catalog.js";
import { CHANGE_KIND_TABLE, KINDS_BY_ROW } from "../change-kinds.js";
import { assertNever, isLocalTarget, type Access, type Change, type LiveSince, type Plan } from "../plan.js";
import { sameAccess } from "../permissions.js";
import { mdCode, mdText, showInvisible, type MarkdownContext } from "./escape.js";
import { Pager } from "./pager.js";
import { policyMarkdownLines } from "./policy.js";
import { LOCAL_NOTE, accessText, expiryText, eventText, unexplainedText, blockedLine, changesByPhase, holderEffect, PHASE_TITLES, reviewOrder, fileOf, sponsoredLines, subjectOf, summaryLine, symbolOf, verbOf } from "./words.js";

/** MARKDOWN_LIMIT is the most characters renderMarkdown returns (GitHub refuses comments past 65,536). */
export const MARKDOWN_LIMIT = 60_000;

/** MarkdownOptions: `yamlDiff` is the plan's YAML-level diff (renderPlanYamlDiff) to append, folded; `limit` a smaller size bound per comment than MARKDOWN_LIMIT (tests). */
export interface MarkdownOptions {
  yamlDiff?: string;
  limit?: number;
}

/** FOLD_AFTER: past this many changes the change tables are folded in a <details> block. */
export const FOLD_AFTER = 50;

/** RESERVE keeps room in the last comment for the closing notice that says what was summarised. */
const RESERVE = 600;

/** Cut counts what optional parts of the comment were left out (only low-risk gains and context may be). */
export interface Cut {
  gains: number;
  warnings: number;
  diffLines: number;
  history: number;
}

/** newCut is a Cut with nothing left out. */
export function newCut(): Cut {
  return { gains: 0, warnings: 0, diffLines: 0, history: 0 };
}

/**
 * renderMarkdownComments is a plan as pull-request comments, in review order
 * (docs/plan-format.md): the summary line and a count table, what is blocked and why, the
 * "Policy" section, then "Review first": every high-risk change and every change that takes
 * access away (removals, revocations, demotions, lost permissions, role edits with every
 * holder's before/after effective permissions, pending invitations included), then warnings,
 * then the low-risk gains grouped by phase (folded in <details> past 50 changes), who set
 * each live value, and the YAML diff. Each comment is at most MARKDOWN_LIMIT characters and
 * starts with its marker line (`<!-- antryk-access comment N/M -->`); what must be read
 * never is cut but continues in the next comment, and only the optional parts (warnings,
 * gains, history, the diff) are summarised, the last comment saying how many and how to see
 * them. Every value from the file or the workspace is rendered inert (escape.ts).
 */
export function renderMarkdownComments(plan: Plan, options: MarkdownOptions = {}): string[] {
  const limit = Math.min(options.limit ?? MARKDOWN_LIMIT, MARKDOWN_LIMIT);
  const p = new Pager(limit, RESERVE);
  const cut = newCut();
  const blocked = plan.violations.length > 0;
  p.must(`### antryk-access plan for ${mdCode(plan.workspace, "block")}${isLocalTarget(plan.target) ? " (LOCAL)" : ""}`, "");
  p.must(`**${mdText(summaryLine(plan.summary, plan.warnings, fileOf(plan)), "block")}**${blocked ? ` **${blockedLine(plan)}**` : ""}`, "");
  if (isLocalTarget(plan.target)) p.must(`> [!WARNING]`, `> ${LOCAL_NOTE}`, "");
  p.must(`Mode ${mdCode(plan.mode, "block")} · target ${mdCode(plan.target, "block")} · revision ${plan.liveRevision} · read as ${mdCode(plan.caller, "block")} · live digest ${mdCode(plan.liveDigest.slice(0, 12), "block")}`, "");
  if (plan.changes.length > 0) summaryTable(plan, p);
  violationsSection(plan, p);
  policySection(plan, p);
  const { review, gains } = reviewOrder(plan.changes);
  reviewSection(review, p, (c) => [changeRow(c), ...holderRows(c)], `${count(review.length, "change")} that take${review.length === 1 ? "s" : ""} access away or ${review.length === 1 ? "is" : "are"} high risk`, TABLE_HEAD);
  optionalSections(plan, gains, review, options.yamlDiff, p, cut);
  return p.finish(cutNotice(cut));
}

/**
 * renderMarkdown is what `plan --format markdown` prints: renderMarkdownComments' comments
 * one after the other (split them again at their marker lines, splitComments).
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  return renderMarkdownComments(plan, options).join("");
}

/** violationsSection lists every rail that blocks the plan (never cut). */
function violationsSection(plan: Plan, p: Pager): void {
  if (plan.violations.length === 0) return;
  p.begin(["#### Blocked by safety rails", ""], ["#### Blocked by safety rails (continued)", ""]);
  for (const v of plan.violations) p.must(violationLine(v));
  p.must("");
  p.end();
}

/** violationLine is one rail that fired, with its override. */
export function violationLine(v: Plan["violations"][number], prefix = ""): string {
  return `- ${prefix}**${mdText(v.rail, "block")}**: ${mdText(v.message, "block")}.${v.override !== undefined ? ` Override: ${mdText(v.override, "block")}.` : " No override."}`;
}

function policySection(plan: Plan, p: Pager): void {
  const policy = policyMarkdownLines(plan);
  if (policy.head.length === 0) return;
  p.begin(policy.head, ["#### Policy (continued)", ""]);
  for (const line of policy.items) p.must(line);
  p.must("");
  p.end();
}

/**
 * reviewSection is "Review first": a table of every change to review, each with its rows
 * (a role edit's holders) kept whole where they fit and continued under a repeated heading
 * when they do not; nothing is ever left out.
 */
export function reviewSection<T>(items: readonly T[], p: Pager, rows: (item: T) => string[], title: string, head: readonly string[]): void {
  if (items.length === 0) return;
  p.begin([`#### Review first: ${title}`, "", ...head], ["#### Review first (continued)", "", ...head]);
  for (const item of items) {
    const lines = rows(item);
    // A row group that fits in a comment stays together; a longer one (a role with hundreds of holders) flows row by row.
    if (lines.reduce((n, l) => n + l.length + 1, 0) < MARKDOWN_LIMIT / 4) p.must(...lines);
    else for (const line of lines) p.must(line);
  }
  p.must("");
  p.end();
}

/**
 * planDetailLines is the part of a plan's comment a plan set folds under each workspace: its
 * policy findings, warnings, gains, who set each live value and the YAML diff (its changes to
 * review and its rails are in the set's own cross-workspace sections). Unbounded: the set
 * decides whether it fits.
 */
export function planDetailLines(plan: Plan, yamlDiff: string | undefined): string[] {
  const p = new Pager(Number.MAX_SAFE_INTEGER, 0);
  policySection(plan, p);
  const { review, gains } = reviewOrder(plan.changes);
  optionalSections(plan, gains, review, yamlDiff, p, newCut());
  return p.lines();
}

/** optionalSections writes what may be summarised when it does not fit: warnings, the gains, who set each live value, the YAML diff. */
function optionalSections(plan: Plan, gains: readonly Change[], review: readonly Change[], yamlDiff: string | undefined, p: Pager, cut: Cut): void {
  if (plan.warnings.length > 0) {
    p.may("#### Warnings", "");
    for (const x of plan.warnings) if (!p.may(`- ${mdCode(x.code, "block")} ${mdText(x.message, "block")}`)) cut.warnings += 1;
    p.may("");
  }
  if (gains.length > 0) {
    const fold = gains.length > FOLD_AFTER;
    const opened = p.may(`#### Gains: ${count(gains.length, "low-risk change")} that only add${gains.length === 1 ? "s" : ""} access`, "", ...(fold ? ["<details>", `<summary>All ${gains.length} gains, by phase</summary>`, ""] : []));
    if (!opened) cut.gains += gains.length;
    else {
      for (const [phase, changes] of changesByPhase(gains)) changeTable(PHASE_TITLES[phase], changes, p, cut);
      if (fold) p.force("", "</details>", "");
    }
  }
  liveSinceSection([...review, ...gains], p, cut);
  if (yamlDiff !== undefined && yamlDiff !== "") yamlDiffSection(yamlDiff, fileOf(plan), p, cut);
}

/** TABLE_HEAD heads a table of changeRow rows. */
export const TABLE_HEAD = ["| | Who | Access | Effective permissions | Why |", "|---|---|---|---|---|"];

function count(n: number, what: string): string {
  return `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
}

function summaryTable(plan: Plan, p: Pager): void {
  const s = plan.summary;
  const rows = KINDS_BY_ROW.filter((kind) => s[kind] > 0).map((kind) => `| ${CHANGE_KIND_TABLE[kind].label} | ${s[kind]} |`);
  p.must("| Change | Count |", "|---|---:|", ...rows, `| **Total** | **${s.total}** |`, ...(s.highRisk > 0 ? [`| :warning: High risk | ${s.highRisk} |`] : []), "");
}

/** accessCell is the Access column of a change's row: the access it moves from and to, or a role's description. */
function accessCell(c: Change): string {
  const access = (a: Access) => mdCode(accessText(a), "cell");
  switch (c.kind) {
    case "updateInvitation":
    case "updateMember":
      return `${sameAccess(c.before, c.after) ? access(c.after) : `${access(c.before)} → ${access(c.after)}`}${mdText(expiryText(c), "cell")}`;
    case "inviteMember":
      return `${access(c.after)}${mdText(expiryText(c), "cell")}`;
    case "resendInvitation":
      return access(c.after);
    case "revokeInvitation":
    case "removeMember":
      return `~~${access(c.before)}~~`;
    case "createRole":
      return mdText(c.after.description, "cell");
    case "updateRole":
      return c.before.description === c.after.description
        ? mdText(c.after.description, "cell")
        : `${mdText(c.before.description, "cell")} → ${mdText(c.after.description, "cell")}`;
    case "deleteRole":
      return `~~${mdText(c.before.description, "cell")}~~`;
    default:
      return assertNever(c);
  }
}

function effectCell(gained: readonly string[], lost: readonly string[]): string {
  const plus = gained.map((p) => `+${mdCode(p, "cell")}`);
  const minus = lost.map((p) => `−${mdCode(p, "cell")}`);
  return [...plus, ...minus].join(" ") || "none";
}

/** changeRow is a change as a row of TABLE_HEAD's table (plan sets prefix a workspace cell). */
export function changeRow(c: Change): string {
  const risk = c.risk === "high" ? " :warning: **high risk**" : "";
  const who = c.kind === "updateRole" ? `${mdCode(subjectOf(c), "cell")} (${count(c.holders?.length ?? 0, "holder")})` : mdCode(subjectOf(c), "cell");
  const why = [c.reason, ...sponsoredLines(c)].join("; ");
  return `| ${symbolOf(c)} ${verbOf(c)}${risk} | ${who} | ${accessCell(c)} | ${effectCell(c.gained, c.lost)} | ${mdText(why, "cell")} |`;
}

/**
 * liveSinceSection folds, under each person or role the plan changes, who set the live
 * value it changes (liveSince), when, through what client, and the request id; whole or
 * not at all. Nothing when the history was not read.
 */
function liveSinceSection(changes: readonly Change[], p: Pager, cut: Cut): void {
  const read = changes.filter((c) => c.liveSince !== undefined);
  if (read.length === 0) return;
  const item = (c: Change) => {
    const since = c.liveSince ? `${eventMarkdown(c.liveSince, "block")} (request ${mdCode(c.liveSince.requestId, "block")})` : unexplainedText(c);
    return `- ${mdCode(subjectOf(c), "block")} (${verbOf(c)}): ${since}`;
  };
  if (!p.may("#### Live since", "", "<details>", `<summary>Who set each live value this plan changes (${count(read.length, "change")})</summary>`, "", ...read.map(item), "", "</details>", "")) cut.history = read.length;
}

/** eventMarkdown is eventText with its values (actor, client version) as inert code spans (`context`: a table cell by default). */
export function eventMarkdown(e: LiveSince, context: MarkdownContext = "cell"): string {
  return eventText(e, (v) => mdCode(v, context));
}

/** holderRows names every holder of an edited role with their effective permissions before and after the edit. */
export function holderRows(c: Change): string[] {
  if (c.kind !== "updateRole") return [];
  const list = (ps: readonly string[]) => (ps.length === 0 ? "nothing" : mdCode(ps.join(", "), "cell"));
  return (c.holders ?? []).map((h) => {
    const d = holderEffect(h.before, h.after);
    const adminChange = d.lost.includes(ADMIN_PERMISSION) || d.gained.includes(ADMIN_PERMISSION) ? " :warning:" : "";
    return `| ↳ holder${adminChange} | ${mdCode(h.email, "cell")} (${h.state}) | ${list(h.before)} → ${list(h.after)} | ${effectCell(d.gained, d.lost)} | holds ${mdCode(c.name, "cell")} |`;
  });
}

function changeTable(title: string, changes: readonly Change[], p: Pager, cut: Cut): void {
  if (changes.length === 0 || p.isFull || !p.may(`**${title}**`, "", ...TABLE_HEAD, changeRow(changes[0] as Change))) {
    cut.gains += changes.length;
    return;
  }
  for (const c of changes.slice(1)) if (!p.may(changeRow(c))) cut.gains += 1;
  p.may("");
}

function yamlDiffSection(diff: string, file: string, p: Pager, cut: Cut): void {
  const lines = diff.trimEnd().split("\n").map(showInvisible);
  const longestTicks = Math.max(0, ...(diff.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestTicks + 1));
  const name = mdText(file, "block");
  const section = [`#### ${name} diff`, "", "<details>", `<summary>The workspace before and after this plan, as ${htmlText(file)} (${lines.length} lines of diff)</summary>`, "", `${fence}diff`, ...lines, fence, "", "</details>", ""];
  if (!p.may(...section)) cut.diffLines = lines.length;
}

/** cutNotice says what optional parts were left out (every loss of access is always listed), or null when nothing was. */
export function cutNotice(cut: Cut): string | null {
  const parts: string[] = [];
  if (cut.warnings > 0) parts.push(count(cut.warnings, "warning"));
  if (cut.gains > 0) parts.push(`${count(cut.gains, "low-risk gain")} (invitations, resends, promotions)`);
  if (cut.history > 0) parts.push(`who set the live value of ${count(cut.history, "change")}`);
  if (cut.diffLines > 0) parts.push(`the YAML diff (${count(cut.diffLines, "line")})`);
  if (parts.length === 0) return null;
  return `_Not shown, for room: ${parts.join(", ")}. Every change that takes access away or is high risk is listed above. See the whole plan with \`antryk-access plan --format json\`, or in the job log._`;
}

/**
 * htmlText makes a value inert inside raw HTML (a `<summary>` line is an HTML block, where
 * Markdown is not parsed): invisible characters shown escaped, then every character HTML or
 * GitHub's mention and reference filters could act on written as an entity.
 */
export function htmlText(value: string): string {
  return showInvisible(value).replace(/[&<>"'@#:`*_[\]|\\]/g, (c) => `&#${c.charCodeAt(0)};`);
}
