import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { acceptAll, accessYaml, assertBuilt, auditCount, runCli, startTestServer, writeAccessFile, type TestServer } from "../e2e/harness.js";
import { runAction, type RunResult } from "./action-runner.js";
import { openPullRequest, startGitHubStub, type GitHubStub } from "./github-stub.js";

/**
 * action.yml end to end: its steps run as a runner runs them (action-runner.ts) through the
 * real built CLI against the real reference server, with GitHub stubbed on 127.0.0.1
 * (github-stub.ts). A pull request is planned, commented with its head SHA and its plan
 * saved; the merge applies that saved plan and posts the result; a workspace changed in
 * between is refused and planned again for review; Dependabot validates only; a failing
 * later push marks the old comment stale; a nightly drift is in the issue before the
 * correction waits for approval.
 */

const OWNER = "founder@acme.io";
const TEAM = [
  { email: "ops@acme.io", role: "account-admin" },
  { email: "bob@acme.io", role: "developer" },
];
const HEAD = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const HEAD2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const MERGE = "3333333ccccccccccccccccccccccccccccccccc";
const PR = 12;

let github: GitHubStub;
let server: TestServer | undefined;
beforeAll(async () => {
  assertBuilt();
  github = await startGitHubStub();
});
afterAll(async () => github.close());
afterEach(async () => {
  await server?.close();
  server = undefined;
  github.issues.splice(0);
  github.pulls.clear();
  github.artifacts.clear();
  github.calls.splice(0);
});

/** converged is a workspace that matches TEAM, all accepted; `safety` goes into the file. */
async function converged(safety: string[] = ["maxRemovals: 100%"]) {
  server = await startTestServer({ owner: OWNER });
  const s = server;
  await writeAccessFile(s.dir, "access.yaml", accessYaml({ owner: OWNER, safety, members: TEAM }));
  expect((await runCli(["apply", "-f", "access.yaml", "--auto-approve"], { env: s.env(), cwd: s.dir })).code).toBe(0);
  await acceptAll(s, TEAM.map((m) => m.email));
  return s;
}

/** checkout is a fresh folder holding access.yaml with `members` (as a job's checkout of a commit). */
async function checkout(s: TestServer, members: { email: string; role: string }[], name: string) {
  const dir = mkdtempSync(join(s.dir, `${name}-`));
  await writeAccessFile(dir, "access.yaml", accessYaml({ owner: OWNER, safety: ["maxRemovals: 100%"], members }));
  return dir;
}

function run(s: TestServer, cwd: string, inputs: Record<string, string>, github$: Record<string, unknown>, token = s.ownerToken): Promise<RunResult> {
  const artifacts = join(s.dir, "artifacts");
  mkdirSync(artifacts, { recursive: true });
  return runAction({
    with: { install: "false", "api-url": s.url, token, ...inputs },
    github: { token: github.token, ...github$ },
    cwd,
    artifacts,
    env: github.env(),
  }).then((r) => {
    expect(r.log).not.toContain(s.ownerToken);
    expect(r.log).not.toContain(github.token);
    return r;
  });
}

const pullRequest = (head: string) => ({ event_name: "pull_request", sha: "9999999999999999999999999999999999999999", event: { pull_request: { number: PR, head: { sha: head } } } });
const push = (sha: string) => ({ event_name: "push", sha, event: {} });
const ran = (r: RunResult) => r.ran.map((s) => s.step);

/** merged records on the stub that `MERGE` is the merge of PR with head `head`, its plan saved by run 5 (as the plan job's upload did). */
function merged(s: TestServer, head: string) {
  github.pulls.set(MERGE, { number: PR, headSha: head });
  expect(readdirSync(join(s.dir, "artifacts"))).toContain(`antryk-plan-${head}`);
  github.artifacts.set(`antryk-plan-${head}`, { runId: 5 });
}

describe("action.yml, end to end", () => {
  it("PR → plan comment with the head SHA and the plan saved → merge → the saved plan applied → the result on the PR", async () => {
    const s = await converged();
    openPullRequest(github, PR);
    const wanted = [...TEAM, { email: "new@acme.io", role: "developer" }];
    const pr = await run(s, await checkout(s, wanted, "pr"), { command: "plan" }, pullRequest(HEAD));
    expect(pr.failed, pr.log).toBe(false);
    expect(pr.outputs.exitcode).toBe("2");
    expect(github.ours(PR)).toHaveLength(1);
    expect(github.ours(PR)[0]).toMatch(/^<!-- antryk-access comment 1\/1 -->\n<sub>antryk-access plan of `1111111`, \d{4}-\d\d-\d\d \d\d:\d\d UTC<\/sub>/);
    expect(github.ours(PR)[0]).toContain("new@acme.io");
    expect(ran(pr)).toContain("Save the reviewed plan");
    const saved = JSON.parse(readFileSync(join(s.dir, "artifacts", `antryk-plan-${HEAD}`, "plan.json"), "utf8")) as { planId: string; changes: { email?: string }[] };
    expect(saved.changes.map((c) => c.email)).toEqual(["new@acme.io"]);

    merged(s, HEAD);
    const mainDir = await checkout(s, wanted, "main");
    const main = await run(s, mainDir, { command: "apply" }, push(MERGE));
    expect(main.failed, main.log).toBe(false);
    expect(main.outputs.exitcode).toBe("2");
    expect(ran(main)).toEqual(expect.arrayContaining(["Find the reviewed plan of the merge", "Fetch the reviewed plan", "Apply the reviewed plan", "Post the apply result on the pull request"]));
    expect((await s.owner$.listInvitations(s.workspace)).map((i) => i.email)).toContain("new@acme.io");
    const result = github.ours(PR).find((b) => b.startsWith("<!-- antryk-access apply -->"))!;
    expect(result).toContain("### antryk-access: applied the reviewed plan at `3333333`");
    expect(result).toContain("verified to match access.yaml");
    expect(result).toMatch(/^- `new@acme\.io`: invited again as `developer`$/m);
    // What was applied is the reviewed plan itself (its planId), not a plan made after the merge.
    expect(main.log).toContain(`the reviewed plan of 1111111 is antryk-plan-${HEAD}`);
    expect((JSON.parse(readFileSync(join(mainDir, "apply.json"), "utf8")) as { planId: string }).planId).toBe(saved.planId);
  }, 240_000);

  it("a workspace changed after the review: the saved plan is refused, nothing applied, planned again and asked for review on the PR", async () => {
    const s = await converged();
    openPullRequest(github, PR);
    const wanted = [...TEAM, { email: "new@acme.io", role: "developer" }];
    expect((await run(s, await checkout(s, wanted, "pr"), { command: "plan" }, pullRequest(HEAD))).outputs.exitcode).toBe("2");
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });
    const before = await auditCount(s);

    merged(s, HEAD);
    const main = await run(s, await checkout(s, wanted, "main"), { command: "apply" }, push(MERGE));
    expect(main.failed).toBe(true);
    expect(main.outputs.exitcode).toBe("4");
    expect(await auditCount(s)).toBe(before);
    expect((await s.owner$.listInvitations(s.workspace)).map((i) => i.email)).not.toContain("new@acme.io");
    const comments = github.ours(PR);
    const result = comments.find((b) => b.startsWith("<!-- antryk-access apply -->"))!;
    expect(result).toContain("not applied at `3333333`: the reviewed plan is out of date");
    expect(result).toContain("**nothing was changed**");
    expect(result).toContain("The plan of the merged commit is in the plan comments above");
    // The plan comment now shows the plan of the merge: stamped with it, the hand change in it.
    const plan = comments.find((b) => b.startsWith("<!-- antryk-access comment 1/"))!;
    expect(plan).toContain("plan of `3333333`");
    expect(plan).toContain("walk-in@acme.io");
  }, 240_000);

  it("Dependabot (no secrets): validate only, a notice, never a failure; no plan, nothing saved", async () => {
    const s = await converged();
    openPullRequest(github, PR);
    const dir = await checkout(s, [...TEAM, { email: "new@acme.io", role: "developer" }], "dependabot");
    const r = await run(s, dir, { command: "plan" }, pullRequest(HEAD), "");
    expect(r.failed, r.log).toBe(false);
    expect(ran(r)).toEqual(["Check the inputs", "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020", "Validate", "Plan skipped without a token"]);
    expect(r.log).toContain("::notice title=antryk-access::plan skipped: this run has no API token");
    expect(r.summary).toContain("access.yaml was validated");
    expect(readdirSync(join(s.dir, "artifacts"))).toEqual([]);

    // An earlier plan comment, and this run's GitHub token read-only (GitHub refuses the write): a notice, still no failure.
    github.issues[0]!.comments.push({ id: 1, body: "<!-- antryk-access comment 1/1 -->\nold plan", user: { login: "github-actions[bot]", type: "Bot" } });
    const readOnly = await run(s, dir, { command: "plan" }, { ...pullRequest(HEAD2), token: "ghs_readOnlyToken" }, "");
    expect(readOnly.failed, readOnly.log).toBe(false);
    expect(readOnly.log).toContain("::notice title=antryk-access::the earlier plan comments could not be marked stale (read-only token)");
    expect(github.ours(PR)).toEqual(["<!-- antryk-access comment 1/1 -->\nold plan"]);
    // With a token that may write (a same-repository pull request whose secret is missing), it is marked.
    const marked = await run(s, dir, { command: "plan" }, pullRequest(HEAD2), "");
    expect(marked.failed).toBe(false);
    expect(github.ours(PR)[0]).toContain("`2222222` could not be planned (no API token in this run)");
  }, 240_000);

  it("a later push that fails validate marks the earlier plan comment stale, naming the new commit", async () => {
    const s = await converged();
    openPullRequest(github, PR);
    expect((await run(s, await checkout(s, [...TEAM, { email: "new@acme.io", role: "developer" }], "pr"), { command: "plan" }, pullRequest(HEAD))).failed).toBe(false);
    const broken = await checkout(s, TEAM, "broken");
    await writeAccessFile(broken, "access.yaml", accessYaml({ owner: OWNER, members: [{ email: "new@acme.io", role: "no-such-role" }] }));
    const r = await run(s, broken, { command: "plan" }, pullRequest(HEAD2));
    expect(r.failed).toBe(true);
    expect(r.outputs.exitcode).toBe("1");
    expect(ran(r)).toContain("Mark the plan comments stale (validate failed)");
    expect(ran(r)).not.toContain("Plan");
    const [comment] = github.ours(PR);
    expect(comment).toContain("plan of `1111111`");
    expect(comment).toContain("**Stale:** this plan is of an earlier commit. `2222222` could not be planned (access.yaml did not validate)");
  }, 240_000);

  it("a nightly drift: the issue says a correction waits for approval before the correct job runs; the correction then logs the night in it", async () => {
    const s = await converged();
    const bob = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!;
    await s.owner$.updateMember(s.workspace, bob.id, { role: "account-admin" }, { ifMatch: bob.version });
    const night = { event_name: "schedule", sha: MERGE, event: {} };

    const drift = await run(s, await checkout(s, TEAM, "drift"), { command: "drift" }, night);
    expect(drift.failed, drift.log).toBe(false);
    expect(drift.outputs).toEqual({ exitcode: "2", correct: "true" });
    // The correct job has not run (it waits for approval): the issue already tells.
    expect(github.issues).toHaveLength(1);
    const issue = github.issues[0]!;
    expect(issue.title).toBe("Access drift in acme-prod: a correction waits for approval");
    expect(issue.body).toContain("A correction that puts it back is waiting for approval");
    expect(issue.body).toMatch(/^- `bob@acme\.io`: `developer` → `account-admin`|^- `bob@acme\.io`: `account-admin` → `developer`/m);
    expect((await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!.role).toBe("account-admin");

    const correct = await run(s, await checkout(s, TEAM, "correct"), { command: "apply", mode: "correct" }, night);
    expect(correct.failed, correct.log).toBe(false);
    expect((await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!.role).toBe("developer");
    expect(github.issues).toHaveLength(1);
    expect(issue.title).toBe("Access drift in acme-prod: corrected");
    expect(issue.comments.map((c) => c.body.split("\n", 1)[0])).toEqual([expect.stringMatching(/^### \d{4}-\d\d-\d\d: Access drift in acme-prod: corrected$/)]);
  }, 240_000);
});
