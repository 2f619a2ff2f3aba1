/**
 * The drift issue's report, as data: what one nightly run found (judge) and the issue body
 * that says so (renderReport). Pure: the run's exit code and files in, Markdown out; every
 * value from the workspace is a code span, so no e-mail or role name can inject Markdown or
 * mention anyone. `ci drift-issue` (run-ci-drift-issue.ts) reads the files and keeps the issue.
 */
import { assertNever, type Change, type LiveSince, type Plan, type SafetyViolation } from "../reconciler/plan.js";
import type { ApplyReport } from "./apply-report.js";

/** MARKER starts the body of the drift issue; only an issue by the bot that starts with it is ours. */
export const MARKER = "<!-- antryk-access drift -->";

/** MAX_BODY keeps the issue body under GitHub's 65,536-character limit. */
export const MAX_BODY = 60_000;

/** Entry is one change in an apply report's lists, whichever list. */
type Entry = { key: string; kind: string; email?: string; name?: string; liveSince?: LiveSince | null; error?: { message: string }; reason?: string };

/** Outcome is what one drift run found, a closed union on `status`. */
export type Outcome =
  | { status: "clean" }
  | { status: "drift"; changes: Change[] }
  | { status: "corrected"; applied: Entry[]; plan: Change[] }
  | { status: "blocked"; violations: SafetyViolation[]; lines: string[] }
  | { status: "failed"; report: ApplyReport; plan: Change[]; lines: string[] }
  | { status: "error"; exit: string; lines: string[] };

/** Stage is which job ran: `detect` (plan --detailed-exitcode) or `correct` (apply --detailed-exitcode). */
export type Stage = "detect" | "correct";

/** RunFiles is one run's exit code and what its steps wrote: the plan and apply reports (null: missing or unreadable) and their stderr. */
export interface RunFiles {
  stage: Stage;
  exit: string;
  plan: Plan | null;
  planErr: string;
  apply: ApplyReport | null;
  applyErr: string;
}

/** RunInfo is what the report says about the run: the workspace, the run's URL, and the mode (`correct` or `detect`). */
export interface RunInfo {
  workspace: string;
  url: string;
  mode: string;
}

/**
 * judge turns a run's exit code and files into its Outcome. `detect`: the drift job's
 * `plan --detailed-exitcode` (0 clean, 2 drift, 1 with violations blocked); `correct`: the
 * correction job's `apply --detailed-exitcode` (0 clean, 2 corrected and verified, 1 blocked
 * or failed). Anything else (a missing token, an unreachable server, a killed tool) is `error`.
 */
export function judge(run: RunFiles): Outcome {
  const planChanges = run.plan?.changes ?? [];
  const violations = run.plan?.violations ?? [];
  const errLines = lines(run.stage === "detect" ? run.planErr : run.applyErr);
  if (run.exit === "0") return { status: "clean" };
  if (run.exit === "2") {
    return run.stage === "detect" ? { status: "drift", changes: planChanges } : { status: "corrected", applied: run.apply?.applied ?? [], plan: planChanges };
  }
  if (run.exit === "1") {
    // Blocked: the plan names the rails that fired (a blocked plan is printed, then refused), or apply says so.
    if (violations.length > 0 && run.apply === null) return { status: "blocked", violations, lines: errLines };
    if (run.apply === null && errLines.some((l) => /\bblocked\b/.test(l))) return { status: "blocked", violations: [], lines: errLines };
    if (run.stage === "correct" && run.apply !== null) return { status: "failed", report: run.apply, plan: planChanges, lines: errLines };
  }
  return { status: "error", exit: run.exit === "" ? "unknown" : run.exit, lines: errLines };
}

/** Dirty is an Outcome worth an issue: anything but `clean`. */
export type Dirty = Exclude<Outcome, { status: "clean" }>;

/** renderReport is the issue body (Markdown, starting with MARKER, at most MAX_BODY characters) for a Dirty outcome. */
export function renderReport(outcome: Dirty, run: RunInfo): string {
  const out = [MARKER, `## ${reportTitle(outcome, run)}`, ""];
  switch (outcome.status) {
    case "drift":
      out.push(
        run.mode === "correct"
          ? `The workspace ${code(run.workspace)} differs from access.yaml. A correction that puts it back is waiting for approval (the \`correct\` job, environment \`antryk-production\`); nothing was changed yet. To keep a hand change instead, merge it into access.yaml and reject the correction.`
          : `The workspace ${code(run.workspace)} differs from access.yaml. Nothing was changed (mode ${code(run.mode)}): merge a change to access.yaml that keeps what should stay, or run the workflow with mode \`correct\` to put the workspace back.`,
        "",
        ...outcome.changes.map((c) => `- ${describe(c)}${attribution(c.liveSince)}`),
      );
      break;
    case "corrected": {
      const byKey = new Map(outcome.plan.map((c) => [c.key, c]));
      out.push(
        `The workspace ${code(run.workspace)} differed from access.yaml. These changes put it back, and it was verified to match the file:`,
        "",
        ...outcome.applied.map((e) => {
          const change = byKey.get(e.key);
          return `- ${change ? describe(change) : describeEntry(e)}${attribution(e.liveSince !== undefined ? e.liveSince : change?.liveSince)}`;
        }),
      );
      break;
    }
    case "blocked":
      out.push(
        "Putting the workspace back would break a safety rail, so **nothing was changed** and the job failed. A blocked correction is never forced: decide whether the hand change should stay (then write it into access.yaml, or `preserve` the person) or undo it on purpose (then change `safety` in a reviewed pull request).",
        "",
        ...(outcome.violations.length > 0
          ? outcome.violations.map((v) => `- ${code(v.rail)}: ${code(v.message)}${v.override ? ` (override: ${code(v.override)})` : ""}`)
          : [fence(outcome.lines)]),
      );
      break;
    case "failed":
      out.push("The correction did not finish: the workspace may still differ from access.yaml. Read the run's log, then re-run the workflow.", "", ...reportLines(outcome.report, outcome.plan));
      if (outcome.lines.length > 0) out.push(fence(outcome.lines));
      break;
    case "error":
      out.push(`The drift run could not judge the workspace (exit ${code(outcome.exit)}); the workspace may differ from access.yaml. Fix the cause and re-run the workflow.`, "");
      if (outcome.lines.length > 0) out.push(fence(outcome.lines));
      break;
    default:
      assertNever(outcome);
  }
  const tail = `\n[The run](${run.url})`;
  let body = out.join("\n");
  if (body.length + tail.length > MAX_BODY) body = `${body.slice(0, MAX_BODY - 200)}\n\n… (cut: the full report is in the run's log)`;
  return `${body}\n${tail}`;
}

/** reportLines are an apply report's lists as Markdown (Applied, Failed with why, Not made) and a verification other than verified; `plan` explains each entry. */
export function reportLines(r: ApplyReport, plan: Change[]): string[] {
  const byKey = new Map(plan.map((c) => [c.key, c]));
  const entry = (e: Entry) => {
    const change = byKey.get(e.key);
    return `- ${change ? describe(change) : describeEntry(e)}`;
  };
  const out: string[] = [];
  if (r.applied.length > 0) out.push("Applied:", "", ...r.applied.map(entry), "");
  if (r.failed.length > 0) out.push("Failed:", "", ...r.failed.map((e) => `${entry(e)}: ${code(e.error.message)}`), "");
  const notDone: Entry[] = [...r.skipped, ...r.notAttempted];
  if (notDone.length > 0) out.push("Not made:", "", ...notDone.map((e) => `${entry(e)}${e.reason ? `: ${code(e.reason)}` : ""}`), "");
  if (r.verification.status !== "verified") out.push(`Verification: ${code(r.verification.status)}${r.verification.reason ? ` (${code(r.verification.reason)})` : ""}`, "");
  return out;
}

/** reportTitle is the issue title for a Dirty outcome of `run`. */
export function reportTitle(outcome: Dirty, run: Pick<RunInfo, "workspace" | "mode">): string {
  const ws = run.workspace.replace(/[\r\n]/g, " ");
  switch (outcome.status) {
    case "drift":
      return run.mode === "correct" ? `Access drift in ${ws}: a correction waits for approval` : `Access drift in ${ws}: not corrected (detect mode)`;
    case "corrected":
      return `Access drift in ${ws}: corrected`;
    case "blocked":
      return `Access drift in ${ws}: correction blocked by a safety rail`;
    case "failed":
      return `Access drift in ${ws}: correction failed`;
    case "error":
      return `Access drift check for ${ws} failed`;
    default:
      return assertNever(outcome);
  }
}

/** describe is one change as a reviewer reads it (whom, what it was, what it becomes). */
export function describe(c: Change): string {
  switch (c.kind) {
    case "inviteMember":
      return `${code(c.email)}: invited again as ${access(c.after)}`;
    case "updateInvitation":
    case "updateMember":
      return `${code(c.email)}: ${access(c.before)} → ${access(c.after)}`;
    case "updateRole":
      return `role ${code(c.name)}: ${permissions(c.before.permissions)} → ${permissions(c.after.permissions)}`;
    case "resendInvitation":
      return `${code(c.email)}: invitation resent (${access(c.after)})`;
    case "revokeInvitation":
      return `${code(c.email)}: invitation revoked (was ${access(c.before)})`;
    case "removeMember":
      return `${code(c.email)}: removed (was ${access(c.before)})`;
    case "createRole":
      return `role ${code(c.name)}: created again (${permissions(c.after.permissions)})`;
    case "deleteRole":
      return `role ${code(c.name)}: deleted (was ${permissions(c.before.permissions)})`;
    default:
      return assertNever(c);
  }
}

function access(a: { role: string; permissions: string[] }): string {
  return `${code(a.role)}${a.permissions.length > 0 ? ` + ${a.permissions.map(code).join(", ")}` : ""}`;
}

function permissions(list: string[]): string {
  return list.map(code).join(", ") || "no permissions";
}

/** describeEntry is an apply entry with no plan change to explain it. */
function describeEntry(e: Entry): string {
  return `${code(e.email ?? e.name ?? e.key)}: ${code(e.kind)}`;
}

/**
 * attribution is who set the live value a change undid, from its `liveSince` (docs/plan-format.md):
 * absent when the history was not read, null when it holds no such event.
 */
function attribution(since: LiveSince | null | undefined): string {
  if (since === undefined) return "";
  if (since === null) return " (no access-history event explains the live value)";
  const client = since.client === "antryk-access" ? `antryk-access${since.clientVersion ? ` ${since.clientVersion}` : ""}` : since.client;
  const through = ({ dashboard: "the dashboard", api: "the API", server: "the server", unknown: "an unknown client" } as Record<string, string>)[client] ?? client;
  // Made for another manager (a Pulumi stack, another file): two tools fighting over the person, not a hand edit.
  const fight = since.otherManager === true && since.manager ? ` for another manager, ${code(since.manager)}: a fight between tools, not a hand edit` : "";
  return ` — changed by ${code(since.actor || "unknown")} through ${through === client ? code(through) : through}${fight}${since.at ? `, ${code(since.at)}` : ""}`;
}

/** code is `s` as a Markdown code span whatever it holds (backticks, pipes, @mentions, line breaks). */
export function code(s: string): string {
  const flat = s.replace(/[\r\n\u2028\u2029]+/g, " ");
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** fence is lines of a tool's output as a code block no line can close (the last 40). */
export function fence(ls: string[]): string {
  const longest = Math.max(2, ...ls.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const f = "`".repeat(longest + 1);
  return [f, ...ls.slice(-40), f].join("\n");
}

/** lines are the non-empty lines of a tool's stderr, workflow commands (`::error …::`) without their prefix. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^::\w+[^:]*::/, ""))
    .filter((l) => l.trim() !== "");
}
