/**
 * The apply result posted back on the merged pull request, as data: what `apply plan.json`
 * of the reviewed plan did (applied and verified, refused as out of date, or what failed).
 * Pure: exit code, report and stderr in, Markdown out. `ci apply-result` posts it.
 */
import { assertNever, type Change } from "../reconciler/plan.js";
import type { ApplyReport } from "./apply-report.js";
import { code, fence, lines, reportLines } from "./drift-report.js";

/** APPLY_MARKER starts the apply-result comment; only a comment by the bot that starts with it is ours. */
export const APPLY_MARKER = "<!-- antryk-access apply -->";

/** ApplyRun is one apply of a reviewed plan: its exit code (apply --detailed-exitcode), its JSON report (null: none) and stderr, the reviewed plan's changes. */
export interface ApplyRun {
  exit: string;
  sha: string;
  report: ApplyReport | null;
  err: string;
  plan: Change[];
  /** replanned: the refused plan was planned again and posted in the plan comments for review. */
  replanned: boolean;
}

/** ApplyVerdict is how an apply of a reviewed plan ended, a closed union. */
export type ApplyVerdict = "applied" | "unchanged" | "refused" | "failed" | "error";

/** verdictOf reads apply --detailed-exitcode: 2 applied and verified, 0 nothing to change, 4 refused as out of date, 1 with a report failed, else error. */
export function verdictOf(run: Pick<ApplyRun, "exit" | "report">): ApplyVerdict {
  if (run.exit === "2") return "applied";
  if (run.exit === "0") return "unchanged";
  if (run.exit === "4") return "refused";
  if (run.exit === "1" && run.report !== null) return "failed";
  return "error";
}

/** applyResultBody is the comment: the marker, a headline naming the merge commit, then the details of the verdict. */
export function applyResultBody(run: ApplyRun, url: string): string {
  const sha = code(run.sha.slice(0, 7));
  const verdict = verdictOf(run);
  const out = [APPLY_MARKER];
  switch (verdict) {
    case "applied":
      out.push(`### antryk-access: applied the reviewed plan at ${sha}`, "", "Every change was made and the workspace was verified to match access.yaml.", "", ...reportLines(run.report!, run.plan));
      break;
    case "unchanged":
      out.push(`### antryk-access: nothing to apply at ${sha}`, "", "The workspace already matched access.yaml.");
      break;
    case "refused":
      out.push(
        `### antryk-access: not applied at ${sha}: the reviewed plan is out of date`,
        "",
        "The workspace or access.yaml changed after this plan was reviewed, so **nothing was changed**.",
        run.replanned
          ? "The plan of the merged commit is in the plan comments above, stamped with its commit: review it, then re-run the workflow's apply (or push again) to make it."
          : "Plan again, review the plan, then re-run the workflow's apply.",
        "",
        fence(lines(run.err)),
      );
      break;
    case "failed":
      out.push(`### antryk-access: the apply at ${sha} did not finish`, "", "The workspace may differ from access.yaml. Read the run's log, then re-run the workflow.", "", ...reportLines(run.report!, run.plan));
      if (run.err.trim() !== "") out.push(fence(lines(run.err)));
      break;
    case "error":
      out.push(`### antryk-access: the apply at ${sha} failed (exit ${code(run.exit || "unknown")})`, "", "Nothing may have been changed; read the run's log.", "");
      if (run.err.trim() !== "") out.push(fence(lines(run.err)));
      break;
    default:
      assertNever(verdict);
  }
  return `${out.join("\n").trimEnd()}\n\n[The run](${url})`;
}
