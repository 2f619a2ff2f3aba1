import { AccessError, SafetyError } from "../errors.js";
import type { Plan } from "../reconciler/plan.js";
import { planWorkspaces, type PlannedWorkspace } from "../reconciler/plan-many.js";
import { renderJson, renderMarkdownComments, renderPlanYamlDiff, renderSetJson, renderSetMarkdownComments, renderSetText, renderText, type WorkspaceOutcome } from "../reconciler/render/index.js";
import { useColor } from "./confirm.js";
import { checkMultiTarget, resolveMultiTarget, tokenSourceLines, type MultiTargetOptions } from "./credentials.js";
import { ExitCode } from "./errors.js";
import { ignoreClosedStdout, withNewline, writeComments, writeOutputFile } from "./output.js";
import { printWarnings, takingOver } from "./planning.js";
import type { PlanOptions } from "./run-plan.js";
import { openSessions, type SessionSet } from "./workspace-sessions.js";
import { findFiles, ignoredLine, loadWorkspaceFiles, uniqueDiagnostics, type WorkspaceFile } from "./workspaces.js";

/**
 * `plan` over several workspaces (several `-f`, a folder, or `--credentials`): every
 * workspace fetched and planned concurrently (at most WORKSPACE_CONCURRENCY at once,
 * reconciler/plan-many.ts), then rendered together as a plan set. Exit: 1 when any
 * workspace could not be planned or is blocked (after the set is shown), else 2 with
 * --detailed-exitcode when any has changes, else 0.
 */

/**
 * planSessions plans every file against its session's client (reconciler/plan-many.ts),
 * WORKSPACE_CONCURRENCY workspaces at a time.
 */
export function planSessions(
  sessions: SessionSet,
  files: readonly WorkspaceFile[],
  options: { allowSelfChange: boolean; planIds?: Map<string, string> },
): Promise<PlannedWorkspace[]> {
  const targets = files.map((file) => {
    const session = sessions.sessions.get(file.desired.workspace)!;
    return { file, client: session.client, target: session.target };
  });
  return planWorkspaces(targets, options);
}

/** outcomeOf is what the renderers show of a planned workspace. */
export function outcomeOf(p: PlannedWorkspace, yamlDiff: boolean): WorkspaceOutcome {
  const base = { workspace: p.file.desired.workspace, file: p.file.accessFile.path };
  if ("error" in p) return { ...base, error: p.error.message };
  return yamlDiff ? { ...base, plan: p.plan, yamlDiff: renderPlanYamlDiff(p.plan, p.live) } : { ...base, plan: p.plan };
}

/** setError is the error a set ends in when a workspace could not be planned (AccessError) or is blocked (SafetyError naming each workspace's rails); null otherwise. */
export function setError(planned: readonly PlannedWorkspace[], verb: "planned" | "applied"): AccessError | null {
  const failed = planned.filter((p): p is Extract<PlannedWorkspace, { error: AccessError }> => "error" in p);
  if (failed.length > 0) {
    const list = failed.map((p) => `${p.file.desired.workspace}: ${p.error.message}`).join("; ");
    return new AccessError(`${failed.length} of ${planned.length} workspaces could not be ${verb === "planned" ? "planned" : "planned, so none was applied"}: ${list}`);
  }
  const blocked = planned.filter((p): p is Extract<PlannedWorkspace, { plan: Plan }> => "plan" in p && p.plan.violations.length > 0);
  if (blocked.length === 0) return null;
  const violations = blocked.flatMap((p) =>
    p.plan.violations.map((v) => ({ rail: v.rail, message: `${p.plan.workspace}: ${v.message}`, ...(v.override ? { override: v.override } : {}) })),
  );
  const names = blocked.map((p) => p.plan.workspace).join(", ");
  return new SafetyError(
    `the plan set is blocked: ${blocked.length} of ${planned.length} workspaces (${names}) hit safety rails; nothing was changed in any workspace`,
    violations,
  );
}

/** loadSet finds and loads the workspace files of `-f` arguments and resolves their target (refusing a missing CI target before reading anything), saying where each token came from. */
export async function loadSet(args: readonly string[], options: MultiTargetOptions & { takeOver?: string[] }, say: (line: string) => void) {
  checkMultiTarget(options);
  const found = await findFiles(args);
  for (const line of ignoredLine(found.ignored)) process.stderr.write(`${line}\n`);
  const files = (await loadWorkspaceFiles(found)).map((f) => ({ ...f, desired: takingOver(f.desired, options.takeOver) }));
  const target = await resolveMultiTarget(options, files.map((f) => f.desired.workspace));
  tokenSourceLines(target).forEach(say);
  return { files, target };
}

/** runPlanSet is `plan` over several workspaces (see the file comment). */
export async function runPlanSet(options: PlanOptions & MultiTargetOptions, args: readonly string[]): Promise<number> {
  ignoreClosedStdout();
  const text = options.format === "text";
  const say = (line: string) => (text ? process.stdout : process.stderr).write(`${line}\n`);
  const { files, target } = await loadSet(args, options, say);
  const sessions = await openSessions({ target, files: files.map((f) => ({ workspace: f.desired.workspace, owner: f.desired.owner })), announce: say });
  let planned: PlannedWorkspace[];
  try {
    printWarnings(uniqueDiagnostics(files.flatMap((f) => f.warnings)), options.diagnostics);
    planned = await planSessions(sessions, files, { allowSelfChange: options.allowSelfChange === true });
  } finally {
    await sessions.close();
  }
  const plans = planned.flatMap((p) => ("plan" in p ? [p.plan] : []));
  const single = planned.length === 1 && "plan" in planned[0]! ? planned[0] : undefined;
  const error = setError(planned, "planned");

  if (options.out !== undefined && options.format !== "markdown") {
    if (planned.some((p) => "error" in p)) process.stderr.write(`The plan set was not saved to ${options.out}: a workspace could not be planned.\n`);
    else await writeOutputFile(options.out, single ? renderJson(single.plan) : renderSetJson(plans), "the plan");
  }
  const withDiff = options.format === "markdown" || options.diff === true;
  const outcomes = planned.map((p) => outcomeOf(p, withDiff));
  switch (options.format) {
    case "text": {
      const color = useColor(process.stdout);
      process.stdout.write(withNewline(single ? renderText(single.plan, { color }) : renderSetText(outcomes, { color })));
      if (options.diff === true) {
        for (const o of outcomes) if ("plan" in o) process.stdout.write(withNewline(`\n${single ? "" : `=== ${o.workspace}: access.yaml diff ===\n`}${o.yamlDiff || "The YAML diff is empty."}`));
      }
      break;
    }
    case "json":
      process.stdout.write(withNewline(single ? renderJson(single.plan) : renderSetJson(plans)));
      break;
    case "markdown": {
      const first = outcomes[0];
      await writeComments(single && first && "plan" in first ? renderMarkdownComments(first.plan, { yamlDiff: first.yamlDiff ?? "" }) : renderSetMarkdownComments(outcomes), options.out);
      break;
    }
  }
  if (error !== null) throw error;
  if (options.detailedExitcode === true && plans.some((p) => p.changes.length > 0)) return ExitCode.changes;
  return ExitCode.ok;
}
