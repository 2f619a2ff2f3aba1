import type { Command } from "commander";
import type { PrCommentOptions } from "./run-ci-pr-comment.js";

/** registerCi adds `ci pr-comment`: the pull request's plan comments, kept by the workflow (docs/ci.md). */
export function registerCi(program: Command): void {
  const ci = program.command("ci").description("steps of the GitHub workflow (docs/ci.md)");
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
Needs GITHUB_TOKEN (never printed); GITHUB_API_URL is https://api.github.com unless set.

Examples:
  $ antryk-access ci pr-comment --pr 12 --sha "$HEAD_SHA" --body plan.md
  $ antryk-access ci pr-comment --pr 12 --sha "$HEAD_SHA" --stale "validate failed"`,
    )
    .action(async (options: PrCommentOptions) => {
      const { runPrComment } = await import("./run-ci-pr-comment.js");
      process.exitCode = await runPrComment(options);
    });
}
