import { ADMIN_PERMISSION } from "../../schema/catalog.js";
import { CHANGE_KIND_TABLE, KINDS_BY_ROW } from "../change-kinds.js";
import { assertNever, isLocalTarget, type Access, type Change, type LiveSince, type Plan } from "../plan.js";
import { mdCode, mdText, showInvisible, type MarkdownContext } from "./escape.js";
import { policyMarkdownLines } from "./policy.js";
import { LOCAL_NOTE, accessText, eventText, unexplainedText, blockedLine, changesByPhase, holderEffect, PHASE_TITLES, reviewOrder, sponsoredLines, subjectOf, summaryLine, symbolOf, verbOf } from "./words.js";

/** MARKDOWN_LIMIT is the most characters renderMarkdown returns (GitHub refuses comments past 65,536). */
export const MARKDOWN_LIMIT = 60_000;

/** MarkdownOptions: `yamlDiff` is the plan's YAML-level diff (renderPlanYamlDiff) to append, folded; `limit` a smaller size bound than MARKDOWN_LIMIT (a plan set's section). */
export interface MarkdownOptions {
  yamlDiff?: string;
  limit?: number;
}

/** FOLD_AFTER: past this many changes the change tables are folded in a <details> block. */
export const FOLD_AFTER = 50;

/** Reserve keeps room for the closing notice that says what was cut. */
const RESERVE = 600;

/** Writer appends lines while they fit in the size limit and counts what it had to leave out. */
class Writer {
  readonly lines: string[] = [];
  private size = 0;
  private full = false;
  readonly cut = { review: 0, gains: 0, warnings: 0, violations: 0, policies: 0, diffLines: 0 };

  constructor(private readonly limit: number) {}

  /** isFull tells whether something has already been cut (nothing more will be added). */
  get isFull(): boolean {
    return this.full;
  }

  /** fits tells whether `lines` fit in what is left. */
  fits(lines: readonly string[]): boolean {
    return this.size + lines.reduce((n, l) => n + l.length + 1, 0) <= this.limit;
  }

  /** add appends lines if they all fit; once something did not fit, nothing more is added (the cut is contiguous). */
  add(...lines: string[]): boolean {
    if (this.full || !this.fits(lines)) {
      this.full = true;
      return false;
    }
    for (const l of lines) {
      this.lines.push(l);
      this.size += l.length + 1;
    }
    return true;
  }

  /** force appends lines regardless of the limit (the closing notice, within the reserve). */
  force(...lines: string[]): void {
    for (const l of lines) {
      this.lines.push(l);
      this.size += l.length + 1;
    }
  }
}

/**
 * renderMarkdown is a plan as a pull-request comment, in review order (docs/plan-format.md):
 * the summary line and a count table, what is blocked and why, the "Policy" section (when the
 * file has policies: every finding and how it relates to the live workspace), then "Review first": every
 * high-risk change and every change that takes access away (removals, revocations,
 * demotions, lost permissions, role edits with each holder's before/after effective
 * permissions), then warnings, then the low-risk gains grouped by phase (folded in
 * <details> past 50 changes). The result is never longer than MARKDOWN_LIMIT characters;
 * truncation drops gains (and what follows them) first, and the comment says how many and
 * how to see them. Every value from the file or the workspace is rendered inert (escape.ts).
 * `yamlDiff` (renderPlanYamlDiff's text), when given and not empty, closes the comment
 * folded in <details>, whole or not at all.
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const limit = Math.min(options.limit ?? MARKDOWN_LIMIT, MARKDOWN_LIMIT);
  const w = new Writer(limit - RESERVE);
  const blocked = plan.violations.length > 0;
  w.add(`### antryk-access plan for ${mdCode(plan.workspace, "block")}`, "");
  w.add(`**${mdText(summaryLine(plan.summary, plan.warnings), "block")}**${blocked ? ` **${blockedLine(plan)}**` : ""}`, "");
  if (isLocalTarget(plan.target)) w.add(`> [!WARNING]`, `> ${LOCAL_NOTE}`, "");
  w.add(`Mode ${mdCode(plan.mode, "block")} · target ${mdCode(plan.target, "block")} · revision ${plan.liveRevision} · read as ${mdCode(plan.caller, "block")} · live digest ${mdCode(plan.liveDigest.slice(0, 12), "block")}`, "");
  if (plan.changes.length > 0) summaryTable(plan, w);

  if (blocked) {
    w.add("#### Blocked by safety rails", "");
    plan.violations.forEach((v, i) => {
      const line = `- **${mdText(v.rail, "block")}**: ${mdText(v.message, "block")}.${v.override !== undefined ? ` Override: ${mdText(v.override, "block")}.` : " No override."}`;
      if (!w.add(line)) w.cut.violations += plan.violations.length - i;
    });
    w.add("");
  }

  const policy = policyMarkdownLines(plan);
  if (policy.head.length > 0) {
    w.add(...policy.head);
    policy.items.forEach((line, i) => {
      if (!w.add(line)) w.cut.policies += policy.items.length - i;
    });
    w.add("");
  }

  const { review, gains } = reviewOrder(plan.changes);
  if (review.length > 0) {
    w.add(`#### Review first: ${count(review.length, "change")} that take${review.length === 1 ? "s" : ""} access away or ${review.length === 1 ? "is" : "are"} high risk`, "");
    if (!w.add(...TABLE_HEAD)) w.cut.review += review.length;
    else {
      for (const c of review) {
        if (w.isFull || !w.add(changeRow(c), ...holderRows(c))) w.cut.review += 1;
      }
      w.add("");
    }
  }

  if (plan.warnings.length > 0) {
    w.add("#### Warnings", "");
    plan.warnings.forEach((x) => {
      if (!w.add(`- ${mdCode(x.code, "block")} ${mdText(x.message, "block")}`)) w.cut.warnings += 1;
    });
    w.add("");
  }

  if (gains.length > 0) {
    const fold = gains.length > FOLD_AFTER;
    w.add(`#### Gains: ${count(gains.length, "low-risk change")} that only add${gains.length === 1 ? "s" : ""} access`, "");
    if (fold) w.add("<details>", `<summary>All ${gains.length} gains, by phase</summary>`, "");
    for (const [phase, changes] of changesByPhase(gains)) changeTable(PHASE_TITLES[phase], changes, w);
    if (fold) w.force("", "</details>", "");
  }
  liveSinceSection([...review, ...gains], w);
  if (options.yamlDiff !== undefined && options.yamlDiff !== "") yamlDiffSection(options.yamlDiff, w);

  const notice = cutNotice(w.cut, limit);
  if (notice !== null) w.force(notice);
  const text = `${w.lines.join("\n").trimEnd()}\n`;
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}\n`;
}

/** TABLE_HEAD heads a table of changeRow rows. */
export const TABLE_HEAD = ["| | Who | Access | Effective permissions | Why |", "|---|---|---|---|---|"];

function count(n: number, what: string): string {
  return `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
}

function summaryTable(plan: Plan, w: Writer): void {
  const s = plan.summary;
  w.add("| Change | Count |", "|---|---:|");
  for (const kind of KINDS_BY_ROW) if (s[kind] > 0) w.add(`| ${CHANGE_KIND_TABLE[kind].label} | ${s[kind]} |`);
  w.add(`| **Total** | **${s.total}** |`);
  if (s.highRisk > 0) w.add(`| :warning: High risk | ${s.highRisk} |`);
  w.add("");
}

/** accessCell is the Access column of a change's row: the access it moves from and to, or a role's description. */
function accessCell(c: Change): string {
  const access = (a: Access) => mdCode(accessText(a), "cell");
  switch (c.kind) {
    case "updateInvitation":
    case "updateMember":
      return `${access(c.before)} → ${access(c.after)}`;
    case "inviteMember":
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
function liveSinceSection(changes: readonly Change[], w: Writer): void {
  const read = changes.filter((c) => c.liveSince !== undefined);
  if (read.length === 0) return;
  const item = (c: Change) => {
    const since = c.liveSince ? `${eventMarkdown(c.liveSince, "block")} (request ${mdCode(c.liveSince.requestId, "block")})` : unexplainedText(c);
    return `- ${mdCode(subjectOf(c), "block")} (${verbOf(c)}): ${since}`;
  };
  w.add("#### Live since", "", "<details>", `<summary>Who set each live value this plan changes (${count(read.length, "change")})</summary>`, "", ...read.map(item), "", "</details>", "");
}

/** eventMarkdown is eventText with its values (actor, client version) as inert code spans (`context`: a table cell by default). */
export function eventMarkdown(e: LiveSince, context: MarkdownContext = "cell"): string {
  return eventText(e, (v) => mdCode(v, context));
}

/** holderRows names every holder of an edited role with their effective permissions before and after the edit. */
function holderRows(c: Change): string[] {
  if (c.kind !== "updateRole") return [];
  const list = (ps: readonly string[]) => (ps.length === 0 ? "nothing" : mdCode(ps.join(", "), "cell"));
  return (c.holders ?? []).map((h) => {
    const d = holderEffect(h.before, h.after);
    const adminChange = d.lost.includes(ADMIN_PERMISSION) || d.gained.includes(ADMIN_PERMISSION) ? " :warning:" : "";
    return `| ↳ holder${adminChange} | ${mdCode(h.email, "cell")} (${h.state}) | ${list(h.before)} → ${list(h.after)} | ${effectCell(d.gained, d.lost)} | holds ${mdCode(c.name, "cell")} |`;
  });
}

function changeTable(title: string, changes: readonly Change[], w: Writer): void {
  if (changes.length === 0 || w.isFull || !w.add(`**${title}**`, "", ...TABLE_HEAD, changeRow(changes[0] as Change))) {
    w.cut.gains += changes.length;
    return;
  }
  for (const c of changes.slice(1)) if (w.isFull || !w.add(changeRow(c))) w.cut.gains += 1;
  w.add("");
}

function yamlDiffSection(diff: string, w: Writer): void {
  const lines = diff.trimEnd().split("\n").map(showInvisible);
  const longestTicks = Math.max(0, ...(diff.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestTicks + 1));
  const section = ["#### access.yaml diff", "", "<details>", `<summary>The workspace before and after this plan, as access.yaml (${lines.length} lines of diff)</summary>`, "", `${fence}diff`, ...lines, fence, "", "</details>", ""];
  if (!w.add(...section)) w.cut.diffLines = lines.length;
}

function cutNotice(cut: Writer["cut"], limit: number): string | null {
  const parts: string[] = [];
  const n = (k: number, what: string) => `${k.toLocaleString("en-US")} ${what}${k === 1 ? "" : "s"}`;
  if (cut.violations > 0) parts.push(n(cut.violations, "safety violation"));
  if (cut.policies > 0) parts.push(n(cut.policies, "policy finding"));
  if (cut.review > 0) parts.push(n(cut.review, "change to review first"));
  if (cut.warnings > 0) parts.push(n(cut.warnings, "warning"));
  if (cut.gains > 0) parts.push(`${n(cut.gains, "low-risk gain")} (invitations, resends, promotions)`);
  if (cut.diffLines > 0) parts.push(`the access.yaml diff (${n(cut.diffLines, "line")})`);
  if (parts.length === 0) return null;
  const complete = cut.violations === 0 && cut.review === 0 ? " Every change that takes access away or is high risk is listed above." : "";
  const what = limit === MARKDOWN_LIMIT ? "comment" : "section";
  return `_This ${what} stops at ${limit.toLocaleString("en-US")} characters: ${parts.join(", ")} not shown.${complete} See the whole plan with \`antryk-access plan --format json\`, or in the job log._`;
}
