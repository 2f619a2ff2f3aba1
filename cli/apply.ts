import { InvalidArgumentError, Option, type Command } from "commander";
import { DEFAULT_CONCURRENCY } from "../reconciler/apply/index.js";
import { diagnosticsOption } from "./annotations.js";
import { collectManager } from "./planning.js";
import type { ApplyOptions } from "./run-apply.js";
import { addTargetOptions } from "./target.js";
import { collectFiles } from "./workspaces.js";

/** registerApply adds `apply`: make the plan's changes, after confirmation; exit 0 only when every change applied. */
export function registerApply(program: Command): void {
  const command = program
    .command("apply")
    .description("make the live workspace match access.yaml (or a saved plan), after showing the plan and asking")
    .argument("[plan]", "a plan saved by `plan --out`: apply exactly it (refused as stale if the workspace changed since)")
    .option("-f, --file <path>", "the access file, or a folder of workspace files; repeat for several (default: access.yaml; a saved plan names its own)", collectFiles)
    .option("--credentials <path>", "a YAML file mapping each workspace to its token file (several workspaces)")
    .option("--auto-approve", "apply without asking (required when not on a terminal)")
    .option("--concurrency <n>", "change calls in flight at once, 1 to 64", parseConcurrency, DEFAULT_CONCURRENCY)
    .addOption(new Option("--format <format>", "output format of the result").choices(["text", "json"]).default("text"))
    .option("--allow-self-change", "allow removing or demoting the member whose token runs the apply")
    .option("--take-over <manager>", "change what another manager (its managedBy id) manages; repeat for several (as safety.takeOver in the file)", collectManager)
    .option("--detailed-exitcode", "exit 2 when changes were applied and verified (0: nothing needed changing, 1: any failure or block, 4: a saved plan refused as out of date)")
    .addOption(diagnosticsOption());
  addTargetOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ antryk-access apply -f examples/access.yaml                 # shows the plan, asks 'yes'
  $ antryk-access apply -f access.yaml --auto-approve           # CI: no terminal, no question
  $ antryk-access plan --out plan.json && antryk-access apply plan.json --auto-approve
  $ antryk-access apply -f access/ --auto-approve               # every workspace of a folder

Several workspaces: nothing is applied if any workspace's plan is blocked or cannot be
made; otherwise each workspace is applied and verified on its own, one after another,
and the report is per workspace and in total.

--format json prints { "planId", "applied", "failed", "skipped", "notAttempted",
"verification" } on stdout. After its last change, apply reads the workspace back and
verifies it matches the file. Exit 0 only when every change applied and was verified (2
instead with --detailed-exitcode when anything was changed); 1 on any failure, a blocked,
stale or edited saved plan (4 instead with --detailed-exitcode when a saved plan is refused
as out of date), or a workspace that still differs; 3 when the answer at the
prompt was not yes (declined: nothing was changed); 130 when interrupted.`,
    )
    .action(async (planPath: string | undefined, options: ApplyOptions) => {
      // Loaded on use, so other commands (validate, serve, --help) do not pay for the engine.
      const { runApply } = await import("./run-apply.js");
      process.exitCode = await runApply(planPath, options);
    });
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError("must be an integer from 1 to 64");
  return n;
}
