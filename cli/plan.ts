import { Option, type Command } from "commander";
import { diagnosticsOption } from "./annotations.js";
import { collectManager } from "./planning.js";
import type { PlanOptions } from "./run-plan.js";
import { addTargetOptions } from "./target.js";
import { collectFiles } from "./workspaces.js";

/** registerPlan adds `plan`: access.yaml against the live workspace, rendered; exit 0 / 2 (--detailed-exitcode) / 1. */
export function registerPlan(program: Command): void {
  const command = program
    .command("plan")
    .description("show what apply would change: access.yaml against the live workspace (reads only)")
    .option("-f, --file <path>", "the access file, or a folder of workspace files; repeat for several workspaces (default: access.yaml)", collectFiles)
    .option("--credentials <path>", "a YAML file mapping each workspace to its token file (several workspaces)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .option("--out <path>", "also save the plan as JSON, to apply later with `apply <path>` (holds no secret); with --format markdown, the comments (comment N to <path> with .N before its extension)")
    .option("--save-plan <path>", "also save the plan as JSON, to apply later with `apply <path>`, whatever --format (one workspace; holds no secret)")
    .option("--detailed-exitcode", "exit 2 when the plan has changes (0: no changes, 1: error or blocked)")
    .option("--diff", "with --format text, also show the plan as a diff of access.yaml (live → after the plan)")
    .option("--allow-self-change", "allow the plan to remove or demote the member whose token runs it")
    .option("--take-over <manager>", "change what another manager (its managedBy id) manages; repeat for several (as safety.takeOver in the file)", collectManager)
    .addOption(diagnosticsOption());
  addTargetOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ antryk-access plan -f examples/access.yaml
  $ antryk-access plan --format markdown > plan.md          # a pull-request comment
  $ antryk-access plan --diff                               # also as an access.yaml diff
  $ antryk-access plan --out plan.json && antryk-access apply plan.json
  $ antryk-access plan --format markdown --out plan.md --save-plan plan.json   # CI: comment + reviewed plan
  $ antryk-access plan --detailed-exitcode                  # drift check: exit 2 on drift
  $ antryk-access plan -f access/                           # every workspace file in a folder: one plan set

Target: ANTRYK_API_URL (or --api-url) with ANTRYK_TOKEN (or --token-file); with
neither, the embedded local workspace under .antryk/ (announced on stderr for
--format json and markdown, so stdout stays machine-readable). Several workspaces:
ANTRYK_TOKEN_<WORKSPACE> per workspace, or --credentials (see docs/cli.md).`,
    )
    .action(async (options: PlanOptions) => {
      // Loaded on use, so other commands (validate, serve, --help) do not pay for the engine.
      const { runPlan } = await import("./run-plan.js");
      process.exitCode = await runPlan(options);
    });
}
