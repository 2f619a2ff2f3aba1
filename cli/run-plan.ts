import { ConfigError } from "../errors.js";
import { renderJson, renderMarkdownComments, renderPlanYamlDiff, renderText } from "../reconciler/render/index.js";
import { useColor } from "./confirm.js";
import { ExitCode } from "./errors.js";
import { ignoreClosedStdout, withNewline, writeComments, writeOutputFile } from "./output.js";
import { blockedError, isBlocked } from "../reconciler/guarantees/still-planned.js";
import { loadDesired, planAgainst, printWarnings, takingOver } from "./planning.js";
import { withSession } from "./session.js";
import { checkMultiTarget, resolveWorkspaceTarget } from "./credentials.js";
import type { TargetOptions } from "./target.js";
import type { DiagnosticFormat } from "./annotations.js";
import { DEFAULT_FILE, isMultiple } from "./workspaces.js";

/** PlanOptions are `plan`'s parsed options (cli/plan.ts declares them). */
export interface PlanOptions extends TargetOptions {
  /** The `-f` arguments (files or folders); none means access.yaml. */
  file?: string[];
  credentials?: string;
  format: "text" | "json" | "markdown";
  out?: string;
  /** savePlan: also save the plan as JSON here, whatever the format (for --format markdown, whose --out holds the comments). */
  savePlan?: string;
  detailedExitcode?: boolean;
  allowSelfChange?: boolean;
  /** takeOver: the `--take-over` managers (added to the file's safety.takeOver). */
  takeOver?: string[];
  diagnostics?: DiagnosticFormat;
  diff?: boolean;
}

/**
 * runPlan is `plan`: load, fetch, compute, render on stdout (and --out as JSON); several
 * workspaces (several `-f`, a folder, `--credentials`) go to runPlanSet. The
 * Markdown comments always carry the YAML diff (`--out` then writes the comments, not the JSON plan); text shows it with --diff. It
 * returns the exit code: 0, or 2 with --detailed-exitcode when there are changes; a
 * blocked plan is shown, then thrown as SafetyError (exit 1).
 */
export async function runPlan(options: PlanOptions): Promise<number> {
  const args = options.file ?? [DEFAULT_FILE];
  if (options.credentials !== undefined || (await isMultiple(args))) {
    if (options.savePlan !== undefined) throw new ConfigError("--save-plan saves the plan of one workspace; for several, use --format json --out PATH (a plan set)");
    const { runPlanSet } = await import("./run-plan-set.js");
    return runPlanSet(options, args);
  }
  const file = args[0]!;
  ignoreClosedStdout();
  const text = options.format === "text";
  const say = (line: string) => (text ? process.stdout : process.stderr).write(`${line}\n`);
  checkMultiTarget(options, process.env, true);
  const loaded = await loadDesired(file);
  const { warnings, accessFile } = loaded;
  const desired = takingOver(loaded.desired, options.takeOver);
  const { target, sourceLines } = await resolveWorkspaceTarget(options, desired.workspace);
  sourceLines.forEach(say);
  const { plan, live } = await withSession(
    { target, workspace: desired.workspace, owner: desired.owner, announce: say },
    async (session) => {
      printWarnings(warnings, options.diagnostics);
      return planAgainst(session, desired, { allowSelfChange: options.allowSelfChange === true, accessFile, attribute: true });
    },
  );

  if (options.out !== undefined && options.format !== "markdown") await writeOutputFile(options.out, renderJson(plan), "the plan");
  if (options.savePlan !== undefined) await writeOutputFile(options.savePlan, renderJson(plan), "the plan");
  switch (options.format) {
    case "text":
      process.stdout.write(withNewline(renderText(plan, { color: useColor(process.stdout) })));
      if (options.diff === true) process.stdout.write(withNewline(`\n${renderPlanYamlDiff(plan, live) || "The YAML diff is empty."}`));
      break;
    case "json":
      process.stdout.write(withNewline(renderJson(plan)));
      break;
    case "markdown":
      await writeComments(renderMarkdownComments(plan, { yamlDiff: renderPlanYamlDiff(plan, live) }), options.out);
      break;
  }
  if (isBlocked(plan)) throw blockedError(plan);
  if (options.detailedExitcode === true && plan.changes.length > 0) return ExitCode.changes;
  return ExitCode.ok;
}
