import { execFile } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { CLI, ROOT } from "../e2e/harness.js";

/**
 * Runs action.yml's steps as a runner does, in order: each step's `if:` and `${{ }}` are
 * evaluated (a small evaluator of the expression forms the action uses), `run:` steps run
 * under bash -e with `npx antryk-access` reaching the built CLI, and the three `uses:`
 * steps are stood in for: setup-node does nothing, upload-artifact and download-artifact
 * copy through a folder of artifacts. Outputs go through GITHUB_OUTPUT as on a runner.
 */

/** ActionStep is one step of action.yml. */
export interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

/** Action is action.yml as parsed. */
export interface Action {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/** ACTION is the repository's action.yml. */
export const ACTION_TEXT = readFileSync(join(ROOT, "action.yml"), "utf8");
export const ACTION = parse(ACTION_TEXT) as Action;

/** Value is what an expression evaluates to. */
type Value = string | boolean | null | number | Record<string, unknown>;

/** Context is what expressions read: inputs, github, runner, steps, and the job's status. */
export interface Context {
  inputs: Record<string, string>;
  github: Record<string, unknown>;
  runner: { temp: string };
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  failed: boolean;
}

/** evaluate evaluates a GitHub expression (without `${{ }}`) of the forms the action uses. */
export function evaluate(expression: string, context: Context): Value {
  const tokens = [...expression.matchAll(/\s*('(?:[^']|'')*'|==|!=|&&|\|\||!|\(|\)|[A-Za-z_][\w.-]*(?:\(\))?)/gy)].map((m) => m[1]!);
  if (tokens.join("").replace(/\s/g, "") !== expression.replace(/\s/g, "")) throw new Error(`cannot read the expression: ${expression}`);
  let at = 0;
  const truthy = (v: Value) => v !== "" && v !== false && v !== null && v !== 0;
  const equal = (a: Value, b: Value) => (typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : (a ?? "") === (b ?? ""));
  const primary = (): Value => {
    const t = tokens[at++]!;
    if (t === "(") {
      const v = or();
      at++;
      return v;
    }
    if (t === "!") return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === "always()") return true;
    if (t === "success()") return !context.failed;
    if (t === "failure()") return context.failed;
    if (t === "true" || t === "false") return t === "true";
    let v: unknown = context;
    for (const part of t.split(".")) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
    if (v === undefined && !/^(steps|github)\./.test(t)) throw new Error(`unknown name in expression: ${t}`);
    return (v ?? "") as Value;
  };
  const comparison = (): Value => {
    let left = primary();
    while (tokens[at] === "==" || tokens[at] === "!=") {
      const op = tokens[at++];
      const right = primary();
      left = op === "==" ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (tokens[at] === "&&") {
      at++;
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): Value => {
    let left = and();
    while (tokens[at] === "||") {
      at++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  return or();
}

/** interpolate replaces every `${{ expr }}` in `text`. */
export function interpolate(text: string, context: Context): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => String(evaluate(expr, context)));
}

/** RunResult is what a run of the action did: each step that ran (name and exit), the job's status, the outputs, stdout and stderr. */
export interface RunResult {
  ran: { step: string; code: number }[];
  failed: boolean;
  outputs: Record<string, string>;
  log: string;
  summary: string;
}

/** RunOptions: the inputs given (`with:`), the event (github context), where it runs, the artifact folder, the environment. */
export interface RunOptions {
  with: Record<string, string>;
  github: Record<string, unknown>;
  cwd: string;
  artifacts: string;
  env: Record<string, string>;
  /** cli replaces the built CLI that `npx antryk-access` reaches (a stand-in script run by node). */
  cli?: string;
}

/** runAction runs action.yml's steps for `options` and reports what happened. */
export async function runAction(options: RunOptions): Promise<RunResult> {
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(ACTION.inputs)) {
    inputs[name] = options.with[name] ?? (input.default?.includes("${{") ? "" : (input.default ?? ""));
  }
  for (const name of Object.keys(options.with)) if (!(name in ACTION.inputs)) throw new Error(`action.yml has no input ${name}`);
  const temp = mkdtempSync(join(options.cwd, ".runner-"));
  const context: Context = { inputs, github: options.github, runner: { temp }, steps: {}, failed: false };
  if (inputs["github-token"] === "") inputs["github-token"] = String(options.github.token ?? "");
  const bin = join(temp, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "npx"), `#!/bin/sh\n[ "$1" = antryk-access ] || exit 127\nshift\nexec "${process.execPath}" "${options.cli ?? CLI}" "$@"\n`);
  chmodSync(join(bin, "npx"), 0o755);
  const summary = join(temp, "summary");
  writeFileSync(summary, "");
  const result: RunResult = { ran: [], failed: false, outputs: {}, log: "", summary: "" };
  for (const [i, step] of ACTION.runs.steps.entries()) {
    const condition = step.if ?? "success()";
    const run = /\b(always|failure|success)\(\)/.test(condition) ? evaluate(condition, context) : !context.failed && evaluate(condition, context);
    if (run === "" || run === false || run === null) continue;
    const name = step.name ?? step.uses ?? `step ${i}`;
    const outputFile = join(temp, `output-${i}`);
    writeFileSync(outputFile, "");
    let code = 0;
    if (step.uses !== undefined) code = standIn(step, context, options.artifacts, options.cwd);
    else {
      const env: Record<string, string> = {
        PATH: `${bin}:${process.env.PATH}`,
        CI: "true",
        NO_COLOR: "1",
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_SHA: String(options.github.sha ?? ""),
        RUNNER_TEMP: temp,
        ...options.env,
      };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = interpolate(v, context);
      const r = await bash(interpolate(step.run!, context), options.cwd, env);
      code = r.code;
      result.log += `--- ${name} (exit ${code})\n${r.stdout}${r.stderr}`;
    }
    const outputs = Object.fromEntries(
      readFileSync(outputFile, "utf8")
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    if (step.id !== undefined) context.steps[step.id] = { outputs, outcome: code === 0 ? "success" : "failure" };
    result.ran.push({ step: name, code });
    if (code !== 0) context.failed = true;
  }
  result.failed = context.failed;
  for (const [name, output] of Object.entries(ACTION.outputs)) result.outputs[name] = interpolate(output.value, context);
  result.summary = readFileSync(summary, "utf8");
  return result;
}

/** standIn does what a `uses:` step of the action does, on the test's folders; its exit code. */
function standIn(step: ActionStep, context: Context, artifacts: string, cwd: string): number {
  const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]));
  if (w.path !== undefined) w.path = resolve(cwd, w.path);
  if (step.uses!.startsWith("actions/setup-node@")) return 0;
  if (step.uses!.startsWith("actions/upload-artifact@")) {
    if (!existsSync(w.path!)) return 1; // if-no-files-found: error
    mkdirSync(join(artifacts, w.name!), { recursive: true });
    copyFileSync(w.path!, join(artifacts, w.name!, "plan.json"));
    return 0;
  }
  if (step.uses!.startsWith("actions/download-artifact@")) {
    if (!existsSync(join(artifacts, w.name!))) return 1;
    mkdirSync(w.path!, { recursive: true });
    copyFileSync(join(artifacts, w.name!, "plan.json"), join(w.path!, "plan.json"));
    return 0;
  }
  throw new Error(`no stand-in for ${step.uses}`);
}

function bash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
