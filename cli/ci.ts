import { Option, type Command } from "commander";
import type { ApplyResultOptions } from "./run-ci-apply-result.js";
import type { DriftIssueOptions } from "./run-ci-drift-issue.js";
import type { FindPlanOptions } from "./run-ci-find-plan.js";
import type { PrCommentOptions } from "./run-ci-pr-comment.js";

const TOKEN_HELP = "Needs GITHUB_TOKEN (never printed); GITHUB_API_URL is https://api.github.com unless set.";

/** registerCi adds `ci`: the steps of the GitHub workflow and action (docs/ci.md), each keeping one thing on GitHub. */
export function registerCi(program: Command): void {
  const ci = program.command("ci").description("steps of the GitHub workflow and action (docs/ci.md)");
  ci.command("pr-comment")
    .description("post or update the plan comments of a pull request (one per <!-- antryk-access comment N/M -->), or mark them stale")
    .requiredOption("--pr <number>", "the pull request number")
    .requiredOption("--sha <sha>", "the commit the plan is of (the pull request's head), shown in each comment")
    .option("--body <file>", "the plan's Markdown (plan --format markdown --out FILE; FILE.2.md … are read too)")
    .option("--stale <reason>", "instead of posting: mark the comments already there as stale, saying why this commit has no plan")
    .option("--repo <owner/name>", "the repository (default: $GITHUB_REPOSITORY)")
    .option("--bot <login>", "the author of the workflow's comments", "github-actions[bot]")
    .addHelpText(
      "after",
      `
${TOKEN_HELP}

Examples:
  $ antryk-access ci pr-comment --pr 12 --sha "$HEAD_SHA" --body plan.md
  $ antryk-access ci pr-comment --pr 12 --sha "$HEAD_SHA" --stale "validate failed"`,
    )
    .action(async (options: PrCommentOptions) => {
      const { runPrComment } = await import("./run-ci-pr-comment.js");
      process.exitCode = await runPrComment(options);
    });

  ci.command("drift-issue")
    .description("keep the one drift issue: open or update it with the night's report (a dated comment each run), or close it when clean")
    .addOption(new Option("--stage <stage>", "which step ran: detect (plan --detailed-exitcode) or correct (apply --detailed-exitcode)").choices(["detect", "correct"]).makeOptionMandatory())
    .requiredOption("--exit <code>", "that step's exit code")
    .addOption(new Option("--mode <mode>", "the drift mode: correct (a correction follows) or detect (report only)").choices(["correct", "detect"]).default("correct"))
    .option("--plan <file>", "the plan --format json the step wrote", "plan.json")
    .option("--plan-err <file>", "the plan's stderr", "plan.err")
    .option("--apply <file>", "the apply --format json report (correct stage)", "apply.json")
    .option("--apply-err <file>", "the apply's stderr", "apply.err")
    .option("--repo <owner/name>", "the repository (default: $GITHUB_REPOSITORY)")
    .option("--bot <login>", "the author of the workflow's issues", "github-actions[bot]")
    .addHelpText(
      "after",
      `
${TOKEN_HELP} The run is linked from $GITHUB_SERVER_URL, $GITHUB_RUN_ID; the report is
appended to $GITHUB_STEP_SUMMARY when set. A run that could not judge the workspace is
logged on the issue without overwriting its last real report.

Examples:
  $ antryk-access ci drift-issue --stage detect --exit "$code" --mode correct
  $ antryk-access ci drift-issue --stage correct --exit "$code"`,
    )
    .action(async (options: DriftIssueOptions) => {
      const { runDriftIssue } = await import("./run-ci-drift-issue.js");
      process.exitCode = await runDriftIssue(options);
    });

  ci.command("find-plan")
    .description("find the reviewed plan of a merge commit: its pull request, head SHA, and the artifact the plan job saved (written to $GITHUB_OUTPUT)")
    .requiredOption("--sha <sha>", "the merge commit (on main: $GITHUB_SHA)")
    .option("--repo <owner/name>", "the repository (default: $GITHUB_REPOSITORY)")
    .addHelpText("after", `\n${TOKEN_HELP} Outputs: found (true|false), pr, head-sha, artifact, run-id.`)
    .action(async (options: FindPlanOptions) => {
      const { runFindPlan } = await import("./run-ci-find-plan.js");
      process.exitCode = await runFindPlan(options);
    });

  ci.command("apply-result")
    .description("post the result of applying the reviewed plan on the merged pull request (one comment, <!-- antryk-access apply -->)")
    .requiredOption("--pr <number>", "the merged pull request")
    .requiredOption("--sha <sha>", "the merge commit that was applied")
    .requiredOption("--exit <code>", "apply --detailed-exitcode's exit code (2 applied, 0 nothing to do, 4 refused as out of date, 1 failed)")
    .option("--report <file>", "apply --format json's report", "apply.json")
    .option("--err <file>", "apply's stderr", "apply.err")
    .option("--plan <file>", "the reviewed plan (names each change in the comment)")
    .option("--replan <file>", "when refused: the plan of the merged commit (plan --format markdown --out FILE), posted as the plan comments for review")
    .option("--repo <owner/name>", "the repository (default: $GITHUB_REPOSITORY)")
    .option("--bot <login>", "the author of the workflow's comments", "github-actions[bot]")
    .addHelpText(
      "after",
      `
${TOKEN_HELP}

Example:
  $ antryk-access ci apply-result --pr 12 --sha "$GITHUB_SHA" --exit "$code" --plan plan.json --replan replan.md`,
    )
    .action(async (options: ApplyResultOptions) => {
      const { runApplyResult } = await import("./run-ci-apply-result.js");
      process.exitCode = await runApplyResult(options);
    });
}
