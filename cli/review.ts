import { InvalidArgumentError, Option, type Command } from "commander";
import type { ReviewOptions } from "./run-review.js";
import { addTargetOptions } from "./target.js";

/** registerReview adds `review`: who has what in the live workspace, since when, who changed it (reads only). */
export function registerReview(program: Command): void {
  const command = program
    .command("review")
    .description("report who has what in the live workspace, since when and who changed it (Markdown, CSV, JSON; reads only)")
    .option("-f, --file <path>", "compare with this access file: where it grants each person access, expiries, drift")
    .option("--workspace <name>", "the workspace to review without -f (default: $ANTRYK_WORKSPACE, or the only embedded one)")
    .addOption(new Option("--format <format>", "output format").choices(["markdown", "csv", "json"]).default("markdown"))
    .option("--out <path>", "write the report to this file instead of stdout")
    .option("--internal-domain <domain>", "a company domain (repeatable); people outside them are listed", collect, [])
    .option("--stale-after <days>", "invitations open longer than this many days are stale", days, 14)
    .option("--inactive-after <days>", "members who have not used their access for longer than this many days are listed as inactive, with the file entry to remove", days, 90)
    .option("--as-of <time>", "compute days left and invitation ages at this ISO time instead of now (reproducible reports)", instant);
  addTargetOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ antryk-access review -f access.yaml --internal-domain acme.io > review.md
  $ antryk-access review --workspace acme-prod --format csv --out review.csv
  $ antryk-access review -f access.yaml --format json | jq '.summary'
  $ antryk-access review -f access.yaml --inactive-after 90   # who has not used their access in 90 days

Reads: the workspace lists and up to 60 pages of the access history, never one request per
person (docs/review.md).`,
    )
    .action(async (options: ReviewOptions) => {
      // Loaded on use, so other commands do not pay for the engine.
      const { runReview } = await import("./run-review.js");
      process.exitCode = await runReview(options);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function days(value: string): number {
  if (!/^\d{1,5}$/.test(value)) throw new InvalidArgumentError("a whole number of days, e.g. 14");
  return Number(value);
}

function instant(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) throw new InvalidArgumentError("an ISO time, e.g. 2026-11-30T09:00:00Z");
  return at;
}
