import { HIGH_RISK_PERMISSIONS } from "../../schema/catalog.js";
import { assertNever, isLocalTarget, type Change, type Plan } from "../plan.js";
import { LOCAL_NOTE, accessText, liveSinceText, blockedLine, changesByPhase, PHASE_TITLES, subjectOf, summaryLine, symbolOf, verbOf } from "./words.js";

/** MARKDOWN_LIMIT is the most characters renderMarkdown returns (GitHub refuses comments past 65,536). */
export const MARKDOWN_LIMIT = 60_000;

/** MarkdownOptions: `yamlDiff` is the plan's YAML-level diff (renderPlanYamlDiff) to append, folded. */
export interface MarkdownOptions {
  yamlDiff?: string;
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
  readonly cut = { changes: 0, warnings: 0, attention: 0, violations: 0, diffLines: 0 };

  constructor(private readonly limit: number) {}

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

/** cell makes text safe inside a Markdown table cell (the review's Markdown uses it too). */
export function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");
}

/** code shows text as inline code (the review's Markdown uses it too). */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/**
 * renderMarkdown is a plan as a pull-request comment: the summary line and a count
 * table, what is blocked and why, a "Needs attention" section (high-risk changes and
 * warnings), then every change with the effective permissions each person gains and
 * loses, grouped by phase and folded in <details> past 50 changes. The result is never
 * longer than MARKDOWN_LIMIT characters; when something had to be cut, the comment says
 * what and how much. `yamlDiff` (renderPlanYamlDiff's text), when given and not empty,
 * closes the comment folded in <details>, whole or not at all.
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const w = new Writer(MARKDOWN_LIMIT - RESERVE);
  const blocked = plan.violations.length > 0;
  w.add(`### antryk-access plan for ${code(plan.workspace)}`, "");
  w.add(`**${summaryLine(plan.summary)}**${blocked ? ` **${blockedLine(plan)}**` : ""}`, "");
  if (isLocalTarget(plan.target)) w.add(`> [!WARNING]`, `> ${LOCAL_NOTE}`, "");
  w.add(`Mode ${code(plan.mode)} · target ${code(plan.target)} · revision ${plan.liveRevision} · read as ${code(plan.caller)} · live digest ${code(plan.liveDigest.slice(0, 12))}`, "");
  if (plan.changes.length > 0) summaryTable(plan, w);

  if (blocked) {
    w.add("#### Blocked by safety rails", "");
    plan.violations.forEach((v, i) => {
      const line = `- **${v.rail}**: ${cell(v.message)}.${v.override !== undefined ? ` Override: ${cell(v.override)}.` : " No override."}`;
      if (!w.add(line)) w.cut.violations += plan.violations.length - i;
    });
    w.add("");
  }

  const risky = plan.changes.filter((c) => c.risk === "high");
  if (risky.length > 0 || plan.warnings.length > 0) {
    w.add("#### Needs attention", "");
    risky.forEach((c) => {
      if (!w.add(`- :warning: **high risk** ${verbOf(c)} ${code(subjectOf(c))}${stateText(c)} — ${riskText(c)}`)) w.cut.attention += 1;
    });
    plan.warnings.forEach((x) => {
      if (!w.add(`- ${code(x.code)} ${cell(x.message)}`)) w.cut.warnings += 1;
    });
    w.add("");
  }

  if (plan.changes.length > 0) {
    const fold = plan.changes.length > FOLD_AFTER;
    w.add("#### Changes", "");
    if (fold) w.add("<details>", `<summary>All ${plan.changes.length} changes, by phase</summary>`, "");
    for (const [phase, changes] of changesByPhase(plan.changes)) changeTable(PHASE_TITLES[phase], changes, w);
    if (fold) w.force("", "</details>", "");
  }
  if (options.yamlDiff !== undefined && options.yamlDiff !== "") yamlDiffSection(options.yamlDiff, w);

  const notice = cutNotice(w.cut);
  if (notice !== null) w.force(notice);
  const text = `${w.lines.join("\n").trimEnd()}\n`;
  return text.length <= MARKDOWN_LIMIT ? text : `${text.slice(0, MARKDOWN_LIMIT - 1)}\n`;
}

function summaryTable(plan: Plan, w: Writer): void {
  const s = plan.summary;
  const rows: [string, number][] = [
    ["Invite", s.inviteMember],
    ["Resend invitation", s.resendInvitation],
    ["Update invitation", s.updateInvitation],
    ["Update member", s.updateMember],
    ["Remove member", s.removeMember],
    ["Revoke invitation", s.revokeInvitation],
    ["Create role", s.createRole],
    ["Update role", s.updateRole],
    ["Delete role", s.deleteRole],
  ];
  w.add("| Change | Count |", "|---|---:|");
  for (const [label, n] of rows) if (n > 0) w.add(`| ${label} | ${n} |`);
  w.add(`| **Total** | **${s.total}** |`);
  if (s.highRisk > 0) w.add(`| :warning: High risk | ${s.highRisk} |`);
  w.add("");
}

function stateText(c: Change): string {
  switch (c.kind) {
    case "updateInvitation":
    case "updateMember":
      return `: ${code(accessText(c.before))} → ${code(accessText(c.after))}`;
    case "inviteMember":
    case "resendInvitation":
      return ` as ${code(accessText(c.after))}`;
    default:
      return "";
  }
}

/** riskText says why a change is high risk: the sensitive permissions it grants, or a new admin. */
function riskText(c: Change): string {
  const sensitive = c.gained.filter((p) => (HIGH_RISK_PERMISSIONS as readonly string[]).includes(p));
  const who = c.kind === "createRole" || c.kind === "updateRole" ? "holders gain" : "gains";
  const parts = sensitive.length > 0 ? [`${who} ${sensitive.map(code).join(", ")}`] : [];
  if ("after" in c && c.after !== null && "role" in c.after && c.after.role === "account-admin") parts.push("becomes an account-admin");
  return parts.join("; ");
}

function accessCell(c: Change): string {
  switch (c.kind) {
    case "updateInvitation":
    case "updateMember":
      return `${code(accessText(c.before))} → ${code(accessText(c.after))}`;
    case "inviteMember":
    case "resendInvitation":
      return code(accessText(c.after));
    case "revokeInvitation":
    case "removeMember":
      return `~~${code(accessText(c.before))}~~`;
    case "createRole":
    case "updateRole":
      return c.before === null || c.before.description === c.after.description ? cell(c.after.description) : `${cell(c.before.description)} → ${cell(c.after.description)}`;
    case "deleteRole":
      return `~~${cell(c.before.description)}~~`;
    default:
      return assertNever(c);
  }
}

function effectCell(c: Change): string {
  const plus = c.gained.map((p) => `+${code(p)}`);
  const minus = c.lost.map((p) => `−${code(p)}`);
  return [...plus, ...minus].join(" ") || "none";
}

function changeTable(title: string, changes: readonly Change[], w: Writer): void {
  const head = [`**${title}**`, "", "| | Who | Access | Effective permissions | Why |", "|---|---|---|---|---|"];
  const rows = changes.map((c) => {
    const risk = c.risk === "high" ? " :warning:" : "";
    return `| ${symbolOf(c)} ${verbOf(c)}${risk} | ${code(subjectOf(c))} | ${accessCell(c)} | ${effectCell(c)} | ${cell(c.reason)}${sinceFold(c)} |`;
  });
  if (rows.length === 0 || !w.add(...head, rows[0] as string)) {
    w.cut.changes += rows.length;
    return;
  }
  for (const row of rows.slice(1)) if (!w.add(row)) w.cut.changes += 1;
  w.add("");
}

/** sinceFold folds the history behind a change into its row: who set the live value, when, through what. */
function sinceFold(c: Change): string {
  const since = liveSinceText(c);
  if (since === null) return "";
  const request = c.liveSince ? ` (request ${code(c.liveSince.requestId)})` : "";
  return ` <details><summary>live since</summary>${cell(since)}${request}</details>`;
}

function yamlDiffSection(diff: string, w: Writer): void {
  const lines = diff.trimEnd().split("\n");
  const longestTicks = Math.max(0, ...(diff.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestTicks + 1));
  const section = ["#### access.yaml diff", "", "<details>", `<summary>The workspace before and after this plan, as access.yaml (${lines.length} lines of diff)</summary>`, "", `${fence}diff`, ...lines, fence, "", "</details>", ""];
  if (!w.add(...section)) w.cut.diffLines = lines.length;
}

function cutNotice(cut: Writer["cut"]): string | null {
  const parts: string[] = [];
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? "" : "s"}`;
  if (cut.violations > 0) parts.push(n(cut.violations, "safety violation"));
  if (cut.attention > 0) parts.push(n(cut.attention, "high-risk item"));
  if (cut.warnings > 0) parts.push(n(cut.warnings, "warning"));
  if (cut.changes > 0) parts.push(n(cut.changes, "change"));
  if (cut.diffLines > 0) parts.push(`the access.yaml diff (${n(cut.diffLines, "line")})`);
  if (parts.length === 0) return null;
  return `_This comment stops at ${MARKDOWN_LIMIT.toLocaleString("en-US")} characters: ${parts.join(", ")} not shown. Run \`antryk-access plan\` for the full plan._`;
}
