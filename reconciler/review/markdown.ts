import { mdCode, mdText } from "../render/escape.js";
import { eventMarkdown, MARKDOWN_LIMIT } from "../render/markdown.js";
import { accessText, minuteUtc } from "../render/words.js";
import { fileWords } from "./file-words.js";
import type { FileGrant, Review, ReviewPerson } from "./model.js";

export { fileWords };

/** FOLD_PEOPLE_AFTER: past this many people the people table is folded in a <details> block. */
export const FOLD_PEOPLE_AFTER = 50;

/** INACTIVE_SHOWN: the inactive section lists at most this many people (longest inactive first); the rest are counted (the CSV has every row). */
export const INACTIVE_SHOWN = 100;

/** Room kept for the closing notice that says what was cut. */
const RESERVE = 600;

/**
 * renderReviewMarkdown is the review as an issue or pull-request comment: counts, then the
 * sections (admins, outside the internal domains, expiring access, stale invitations with
 * the call that revokes them, drift, the file's policies), then one row per person, folded past 50. Never longer
 * than MARKDOWN_LIMIT characters; when rows had to be cut it says how many. Text is escaped
 * exactly as the plan's Markdown escapes it (`cell`, `code`).
 */
export function renderReviewMarkdown(review: Review): string {
  const out = new Budget(MARKDOWN_LIMIT - RESERVE);
  const s = review.summary;
  out.add(`### Access review of ${code(review.workspace)}`, "");
  const file = review.accessFile === null ? "no access.yaml given (no file locations, expiries or drift)" : `compared with ${code(review.accessFile)}`;
  out.add(`Generated ${minuteUtc(review.generatedAt)} · target ${code(review.target)} · revision ${review.revision} · ${file}`, "");
  out.add(historyLine(review), "");

  const rows: [string, number | null, string][] = [
    ["People", s.people, ""],
    ["Active members", s.active, ""],
    ["Pending invitations", s.pending, ""],
    ["Expired invitations", s.expired, ""],
    ["Admins (`access:manage`)", s.admins, ""],
    ["Holding a high-risk permission", s.highRisk, ""],
    [`Outside ${review.internalDomains.map(code).join(", ") || "the internal domains"}`, s.outside, "no `--internal-domain` given"],
    [`Access expiring within ${review.expiringWithinDays} days`, s.expiring, "needs access.yaml"],
    [`Invitations older than ${review.staleAfterDays} days`, s.stale, ""],
    ["Not managed by any file", s.notManaged, ""],
    [`Inactive for ${review.inactiveAfterDays} days`, s.inactive, ""],
    ["Not in access.yaml", s.notInFile, "needs access.yaml"],
    ["Drift (changes `plan` would make)", s.drift, "needs access.yaml"],
  ];
  out.add("| | Count |", "|---|---:|");
  for (const [label, n, unknown] of rows) out.add(`| ${label} | ${n === null ? `not checked: ${unknown}` : n} |`);
  out.add("");

  const byEmail = new Map(review.people.map((p) => [p.email, p]));
  const person = (email: string) => byEmail.get(email) as ReviewPerson;

  out.add("#### Admins", "");
  for (const email of review.admins) out.add(`- ${code(email)} ${statusWords(person(email))} — ${lastChangeWords(person(email))}`);
  out.add("");

  if (review.outside !== null) {
    out.add(`#### Outside ${review.internalDomains.map(code).join(", ")}`, "");
    if (review.outside.length === 0) out.add("Nobody.");
    for (const email of review.outside) out.add(`- ${code(email)} ${statusWords(person(email))}${highRiskWords(person(email))}`);
    out.add("");
  }

  if (review.expiring !== null) {
    out.add(`#### Access expiring within ${review.expiringWithinDays} days`, "");
    if (review.expiring.length === 0) out.add("Nothing expires soon.");
    for (const email of review.expiring) {
      const p = person(email);
      out.add(`- ${code(email)} expires ${p.expires} (${daysWords(p.daysLeft as number)}) — ${fileCell(p.inFile)}`);
    }
    out.add("");
  }

  out.add(`#### Invitations older than ${review.staleAfterDays} days`, "");
  if (review.stale.length === 0) out.add("None.");
  for (const st of review.stale) {
    const named = person(st.email).inFile ? `; access.yaml names them (${fileCell(person(st.email).inFile)}): remove them there too, or \`apply\` invites them again` : "";
    out.add(`- ${code(st.email)} ${st.status}, invited ${minuteUtc(st.invitedAt)} by ${code(st.invitedBy)} (${st.ageDays} days ago)${named}. Revoke:`, "", "  ```sh", `  ${st.command}`, "  ```");
  }
  out.add("");

  out.add(`#### Inactive for ${review.inactiveAfterDays} days`, "");
  if (review.inactive.length === 0) out.add("Nobody: every member used their access within that time.");
  for (const p of review.inactive.slice(0, INACTIVE_SHOWN)) {
    const where = p.inFile === undefined ? "" : p.inFile === null ? " — **not in access.yaml**" : ` — remove their entry: ${fileCell(p.inFile)}`;
    out.add(`- ${code(p.email)} ${cell(p.role)}, ${activityWords(p)}${where}`);
  }
  if (review.inactive.length > INACTIVE_SHOWN) out.add(`- … and ${review.inactive.length - INACTIVE_SHOWN} more: \`--format csv\` has every row (column \`inactive\`).`);
  out.add("");

  if (review.drift !== null) {
    out.add("#### Drift: the live workspace differs from access.yaml", "");
    if (review.drift.length === 0) out.add("None: the workspace matches access.yaml.");
    for (const d of review.drift) {
      const p = byEmail.get(d.subject);
      const since = p?.lastChange ? ` — live since: ${eventMarkdown(p.lastChange)}` : "";
      out.add(`- ${cell(d.text)} (${cell(d.reason)})${since}`);
    }
    out.add("");
  }

  if (review.policies !== undefined) {
    out.add("#### Policy: the live workspace judged by access.yaml's policies", "");
    if (review.policies.length === 0) out.add("Every policy holds.");
    for (const f of review.policies) out.add(`- **${f.severity}** ${code(`policy:${f.policy}`)} ${cell(`${f.subject} ${f.message}`)}`);
    out.add("");
  }

  if (review.lookAlikes !== undefined) {
    out.add("#### Look-alike addresses (UTS #39)", "");
    for (const w of review.lookAlikes) out.add(`- **warning** ${code(w.code)} ${cell(w.message)}`);
    out.add("");
  }

  out.add("#### People", "");
  const fold = review.people.length > FOLD_PEOPLE_AFTER;
  if (fold) out.add("<details>", `<summary>All ${review.people.length} people</summary>`, "");
  out.add("| Person | Status | Access | High risk | access.yaml | Managed by | Since | Last active | Last change | Expires |", "|---|---|---|---|---|---|---|---|---|---|");
  let cut = 0;
  for (const p of review.people) if (!out.add(personRow(p, review.accessFile !== null))) cut += 1;
  if (fold) out.force("", "</details>");
  if (cut > 0) {
    out.force(
      "",
      `_This comment stops at ${MARKDOWN_LIMIT.toLocaleString("en-US")} characters: ${cut} ${cut === 1 ? "person" : "people"} not shown. Run \`antryk-access review --format csv\` for every row._`,
    );
  }
  const text = `${out.lines.join("\n").trimEnd()}\n`;
  return text.length <= MARKDOWN_LIMIT ? text : `${text.slice(0, MARKDOWN_LIMIT - 1)}\n`;
}

/** cell renders free text inert inside a table cell or a list item, as the plan's Markdown does (render/escape.ts). */
function cell(text: string): string {
  return mdText(text, "cell");
}

/** code renders a value (an email, a path, a permission) as an inert code span. */
function code(text: string): string {
  return mdCode(text, "cell");
}

/** Budget appends lines while they fit; once something did not fit, nothing more is added. */
class Budget {
  readonly lines: string[] = [];
  private size = 0;
  private full = false;
  constructor(private readonly limit: number) {}

  add(...lines: string[]): boolean {
    const n = lines.reduce((sum, l) => sum + l.length + 1, 0);
    if (this.full || this.size + n > this.limit) {
      this.full = true;
      return false;
    }
    this.lines.push(...lines);
    this.size += n;
    return true;
  }

  force(...lines: string[]): void {
    this.lines.push(...lines);
    this.size += lines.reduce((sum, l) => sum + l.length + 1, 0);
  }
}

function historyLine(review: Review): string {
  const h = review.history;
  if (!h.readable) return "_Access history: not readable with this token (it needs `access:manage`), so last changes are not shown._";
  const read = `${h.pagesRead} page${h.pagesRead === 1 ? "" : "s"} (${h.eventsRead} events)`;
  return h.complete
    ? `Access history: read ${read}; every last change shown is the newest.`
    : `_Access history: stopped at the cap after ${read}; people marked "not in the history read" may have older changes._`;
}

function personRow(p: ReviewPerson, withFile: boolean): string {
  const access = code(accessText({ role: p.role, permissions: p.permissions }));
  const risk = p.highRisk.length === 0 ? "" : `:warning: ${p.highRisk.map(code).join(" ")}`;
  const file = p.owner ? "owner" : withFile ? fileCell(p.inFile) : "";
  const since = `${p.status === "active" ? "joined" : "invited"} ${minuteUtc(p.since)}${p.invitedBy ? ` by ${code(p.invitedBy)}` : ""}`;
  const expires = p.expires === null ? "" : `${p.expires} (${daysWords(p.daysLeft as number)})`;
  const active = p.status !== "active" ? "" : p.lastActiveAt === null ? "never" : `${minuteUtc(p.lastActiveAt)} ${viaWords(p.lastActiveVia)}`;
  return `| ${code(p.email)} | ${p.status} | ${access} | ${risk} | ${file} | ${managerCell(p)} | ${since} | ${active} | ${lastChangeWords(p)} | ${expires} |`;
}

/** managerCell names who manages a person, or says that no file or stack does (the owner is nobody's to manage). */
function managerCell(p: ReviewPerson): string {
  if (p.owner) return "";
  return p.managedBy === null ? "**not managed by any file**" : code(p.managedBy);
}

/** activityWords: `last active 2026-08-01 09:00 UTC in the dashboard, 121 days ago` or `never active since joining …, 182 days ago`. */
function activityWords(p: { lastActiveAt: string | null; lastActiveVia: ReviewPerson["lastActiveVia"]; inactiveDays: number }): string {
  const ago = `${p.inactiveDays} day${p.inactiveDays === 1 ? "" : "s"} ago`;
  return p.lastActiveAt === null ? `never active since joining (${ago})` : `last active ${minuteUtc(p.lastActiveAt)} ${viaWords(p.lastActiveVia)} (${ago})`;
}

/** viaWords names the client of the last activity as the history names clients. */
function viaWords(via: ReviewPerson["lastActiveVia"]): string {
  switch (via) {
    case "dashboard":
      return "in the dashboard";
    case "antryk-access":
      return "with antryk-access";
    case "api":
      return "through the API";
    case null:
      return "";
  }
}

function statusWords(p: ReviewPerson): string {
  return `${p.owner ? "owner" : p.status === "active" ? p.role : `${p.status} invitation as ${p.role}`}`;
}

function highRiskWords(p: ReviewPerson): string {
  return p.highRisk.length === 0 ? "" : ` — :warning: ${p.highRisk.map(code).join(", ")}`;
}

function lastChangeWords(p: ReviewPerson): string {
  return p.lastChange === null ? "not in the history read" : eventMarkdown(p.lastChange);
}

/** fileCell is fileWords in Markdown: the location escaped, or **not in access.yaml** in bold. */
function fileCell(grant: FileGrant | null | undefined): string {
  return grant === null ? "**not in access.yaml**" : cell(fileWords(grant));
}


function daysWords(days: number): string {
  if (days < 0) return `${-days} day${days === -1 ? "" : "s"} ago`;
  if (days === 0) return "last day";
  return `${days} day${days === 1 ? "" : "s"} left`;
}
