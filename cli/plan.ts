import { writeFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import { renderJson, renderMarkdown, renderText } from "../reconciler/render/index.js";
import { useColor } from "./confirm.js";
import { ExitCode } from "./errors.js";
import { blockedError, isBlocked, loadDesired, planAgainst } from "./planning.js";
import { withSession } from "./session.js";
import { addTargetOptions, type TargetOptions } from "./target.js";

interface PlanOptions extends TargetOptions {
  file: string;
  format: "text" | "json" | "markdown";
  out?: string;
  detailedExitcode?: boolean;
  allowSelfChange?: boolean;
}

/** registerPlan adds `plan`: access.yaml against the live workspace, rendered; exit 0 / 2 (--detailed-exitcode) / 1. */
export function registerPlan(program: Command): void {
  const command = program
    .command("plan")
    .description("show what apply would change: access.yaml against the live workspace (reads only)")
    .option("-f, --file <path>", "the access file", "access.yaml")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .option("--out <path>", "also save the plan as JSON, to apply later with `apply <path>` (holds no secret)")
    .option("--detailed-exitcode", "exit 2 when the plan has changes (0: no changes, 1: error or blocked)")
    .option("--allow-self-change", "allow the plan to remove or demote the member whose token runs it");
  addTargetOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ antryk-access plan -f examples/access.yaml
  $ antryk-access plan --format markdown > plan.md          # a pull-request comment
  $ antryk-access plan --out plan.json && antryk-access apply plan.json
  $ antryk-access plan --detailed-exitcode                  # drift check: exit 2 on drift

Target: ANTRYK_API_URL (or --api-url) with ANTRYK_TOKEN (or --token-file); with
neither, the embedded local workspace under .antryk/ (announced on stderr for
--format json and markdown, so stdout stays machine-readable).`,
    )
    .action(async (options: PlanOptions) => {
      process.exitCode = await runPlan(options);
    });
}

async function runPlan(options: PlanOptions): Promise<number> {
  const text = options.format === "text";
  const say = (line: string) => (text ? process.stdout : process.stderr).write(`${line}\n`);
  const desired = await loadDesired(options.file, (line) => process.stderr.write(`${line}\n`));
  const plan = await withSession(
    { target: options, workspace: desired.workspace, owner: desired.owner, announce: say },
    async (session) => (await planAgainst(session, desired, { allowSelfChange: options.allowSelfChange === true })).plan,
  );

  if (options.out !== undefined) await writeFile(options.out, renderJson(plan));
  switch (options.format) {
    case "text":
      process.stdout.write(ensureNewline(renderText(plan, { color: useColor(process.stdout) })));
      break;
    case "json":
      process.stdout.write(ensureNewline(renderJson(plan)));
      break;
    case "markdown":
      process.stdout.write(ensureNewline(renderMarkdown(plan)));
      break;
  }
  if (isBlocked(plan)) throw blockedError(plan);
  if (options.detailedExitcode === true && plan.changes.length > 0) return ExitCode.changes;
  return ExitCode.ok;
}

function ensureNewline(s: string): string {
  return s.endsWith("\n") ? s : `${s}\n`;
}
