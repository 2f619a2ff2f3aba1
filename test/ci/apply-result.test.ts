import { readFileSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { applyResultBody, verdictOf } from "../../cli/apply-result.js";
import type { ApplyReport } from "../../cli/apply-report.js";
import { accessYaml, assertBuilt, runCli, startTestServer, tempDir, writeAccessFile } from "../e2e/harness.js";
import { openPullRequest, startGitHubStub, type GitHubStub } from "./github-stub.js";

/**
 * The merge's side of "apply what was reviewed": apply --detailed-exitcode tells a saved plan
 * refused as out of date (4) from other failures; `ci find-plan` finds the merged pull
 * request's saved plan; `ci apply-result` keeps one result comment on it. Through the real
 * CLI, GitHub stubbed on 127.0.0.1.
 */

const MERGE = "3333333ccccccccccccccccccccccccccccccccc";
const HEAD = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
let github: GitHubStub;
beforeAll(async () => {
  assertBuilt();
  github = await startGitHubStub();
});
afterAll(async () => github.close());
afterEach(() => {
  github.issues.splice(0);
  github.pulls.clear();
  github.artifacts.clear();
});

const report: ApplyReport = { planId: "p", applied: [{ key: "inviteMember:a@x.io", kind: "inviteMember", phase: "grants", email: "a@x.io" }], failed: [], skipped: [], notAttempted: [], verification: { status: "verified" } };

describe("the apply result comment", () => {
  const failedReport: ApplyReport = { ...report, applied: [], failed: [{ ...report.applied[0]!, error: { status: 412, code: "c", message: "changed concurrently" } }] };
  it.each<[string, ApplyReport | null, string, string]>([
    ["2", report, "applied", "applied the reviewed plan at `3333333`"],
    ["0", report, "unchanged", "nothing to apply at `3333333`"],
    ["4", null, "refused", "not applied at `3333333`: the reviewed plan is out of date"],
    ["1", failedReport, "failed", "Failed:\n\n- `a@x.io`: `inviteMember`: `changed concurrently`"],
    ["1", null, "error", "failed (exit `1`)"],
    ["137", null, "error", "failed (exit `137`)"],
  ])("exit %s", (exit, r, verdict, text) => {
    expect(verdictOf({ exit, report: r })).toBe(verdict);
    const body = applyResultBody({ exit, sha: MERGE, report: r, err: "error: something", plan: [], replanned: false }, "https://github.com/acme/access/actions/runs/1");
    expect(body.startsWith("<!-- antryk-access apply -->\n")).toBe(true);
    expect(body).toContain(text);
    expect(body.endsWith("[The run](https://github.com/acme/access/actions/runs/1)")).toBe(true);
  });
});

describe("ci find-plan", () => {
  const find = async () => {
    const dir = await tempDir();
    const output = join(dir, "output");
    writeFileSync(output, "");
    const r = await runCli(["ci", "find-plan", "--sha", MERGE], { cwd: dir, env: { ...github.env(), GITHUB_OUTPUT: output } });
    expect(r.code, r.stderr).toBe(0);
    return { stdout: r.stdout, output: readFileSync(output, "utf8") };
  };

  it.each([
    ["not the merge of a pull request", () => {}, "found=false\npr=\nhead-sha=\nartifact=\nrun-id=\n", "is not the merge of a pull request"],
    ["a merge whose plan was never saved", () => github.pulls.set(MERGE, { number: 12, headSha: HEAD }), `found=false\npr=12\nhead-sha=${HEAD}\nartifact=antryk-plan-${HEAD}\nrun-id=\n`, "no plan of its head 1111111 was saved"],
    [
      "a merge whose plan expired",
      () => (github.pulls.set(MERGE, { number: 12, headSha: HEAD }), github.artifacts.set(`antryk-plan-${HEAD}`, { runId: 8, expired: true })),
      `found=false\npr=12\nhead-sha=${HEAD}\nartifact=antryk-plan-${HEAD}\nrun-id=\n`,
      "or it expired",
    ],
    [
      "a merge with its saved plan",
      () => (github.pulls.set(MERGE, { number: 12, headSha: HEAD }), github.artifacts.set(`antryk-plan-${HEAD}`, { runId: 8 })),
      `found=true\npr=12\nhead-sha=${HEAD}\nartifact=antryk-plan-${HEAD}\nrun-id=8\n`,
      "the reviewed plan of 1111111 is antryk-plan-",
    ],
  ])("%s", async (_name, arrange, output, said) => {
    arrange();
    const r = await find();
    expect(r.output).toBe(output);
    expect(r.stdout).toContain(said);
  });
});

describe("ci apply-result", () => {
  it("keeps one result comment on the pull request, updated by a re-run; nobody else's is touched", async () => {
    const pr = openPullRequest(github, 12);
    pr.comments.push({ id: 1, body: "<!-- antryk-access apply -->\nmine", user: { login: "mallory", type: "User" } });
    const dir = await tempDir();
    await writeFile(join(dir, "apply.err"), "error: a.yaml changed since the saved plan\n");
    const post = (exit: string) => runCli(["ci", "apply-result", "--pr", "12", "--sha", MERGE, "--exit", exit], { cwd: dir, env: github.env() });
    expect((await post("4")).stdout).toBe("Apply result of #12 posted: refused.\n");
    await writeFile(join(dir, "apply.json"), JSON.stringify(report));
    const second = await post("2");
    expect(second.stdout, second.stderr).toBe("Apply result of #12 updated: applied.\n");
    expect(github.ours(12)).toHaveLength(1);
    expect(github.ours(12)[0]).toContain("applied the reviewed plan at `3333333`");
    expect(pr.comments[0]!.body).toBe("<!-- antryk-access apply -->\nmine");
  });

  it("refuses a report of the wrong shape, naming the field, and posts nothing", async () => {
    openPullRequest(github, 12);
    const dir = await tempDir();
    await writeFile(join(dir, "apply.json"), JSON.stringify({ ...report, applied: [{ key: "k" }] }));
    const r = await runCli(["ci", "apply-result", "--pr", "12", "--sha", MERGE, "--exit", "2"], { cwd: dir, env: github.env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("apply.json is not an apply report: applied.0.kind");
    expect(github.ours(12)).toEqual([]);
  });
});

describe("apply --detailed-exitcode of a saved plan", () => {
  it("exits 4 when the access file changed since the plan (1 without --detailed-exitcode); nothing is changed", async () => {
    const server = await startTestServer();
    try {
      await writeAccessFile(server.dir, "access.yaml", accessYaml({ owner: server.owner, members: [{ email: "new@acme.io", role: "developer" }] }));
      expect((await runCli(["plan", "--out", "plan.json"], { cwd: server.dir, env: server.env() })).code).toBe(0);
      await writeAccessFile(server.dir, "access.yaml", accessYaml({ owner: server.owner, members: [{ email: "other@acme.io", role: "developer" }] }));
      const detailed = await runCli(["apply", "plan.json", "--auto-approve", "--detailed-exitcode"], { cwd: server.dir, env: server.env() });
      expect(detailed.code, detailed.stderr).toBe(4);
      expect(detailed.stderr).toContain("changed since the saved plan");
      expect((await runCli(["apply", "plan.json", "--auto-approve"], { cwd: server.dir, env: server.env() })).code).toBe(1);
      expect(await server.owner$.listInvitations(server.workspace)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe("plan --save-plan", () => {
  it("saves the plan of one workspace only: several are refused before anything is read", async () => {
    const dir = await tempDir();
    const r = await runCli(["plan", "-f", "a.yaml", "-f", "b.yaml", "--format", "markdown", "--save-plan", "plan.json"], { cwd: dir, env: { ANTRYK_API_URL: "http://127.0.0.1:9", ANTRYK_TOKEN: "t" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--save-plan saves the plan of one workspace");
  });
});
