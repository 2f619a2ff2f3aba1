import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { acceptAll, accessYaml, assertBuilt, auditCount, runCli, startTestServer, writeAccessFile, type TestServer } from "../e2e/harness.js";
import { runAction } from "./action-runner.js";
import { startGitHubStub, type GitHubStub } from "./github-stub.js";

/**
 * The nightly loop with real parts: action.yml's drift and correct steps (command drift,
 * then apply with mode correct) as a runner runs them, the real built CLI, the real
 * reference server changed by hand in between, and `ci drift-issue` keeping the issue on a
 * stubbed GitHub API (github-stub.ts).
 */

const OWNER = "founder@acme.io";
const TEAM = [
  { email: "ops@acme.io", role: "account-admin" },
  { email: "bob@acme.io", role: "developer" },
];

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
});

async function converged(safety: string[]) {
  server = await startTestServer({ owner: OWNER });
  const s = server;
  await writeAccessFile(s.dir, "access.yaml", accessYaml({ owner: OWNER, safety, members: TEAM }));
  expect((await runCli(["apply", "-f", "access.yaml", "--auto-approve"], { env: s.env(), cwd: s.dir })).code).toBe(0);
  await acceptAll(s, TEAM.map((m) => m.email));
  return s;
}

/** night runs the action in a fresh checkout of the server's access.yaml, as the scheduled workflow does. */
async function night(s: TestServer, inputs: Record<string, string>) {
  const dir = mkdtempSync(join(s.dir, "job-"));
  mkdirSync(join(s.dir, "artifacts"), { recursive: true });
  const { readFile, writeFile } = await import("node:fs/promises");
  await writeFile(join(dir, "access.yaml"), await readFile(join(s.dir, "access.yaml")));
  const r = await runAction({
    with: { install: "false", "api-url": s.url, token: s.ownerToken, ...inputs },
    github: { event_name: "schedule", sha: "4444444ddddddddddddddddddddddddddddddddd", token: github.token, event: {} },
    cwd: dir,
    artifacts: join(s.dir, "artifacts"),
    env: github.env(),
  });
  expect(r.log).not.toContain(s.ownerToken);
  return r;
}

describe("the nightly drift loop against a real server", () => {
  it("correct mode: a hand change is planned, applied back (verified), reported with what was reverted; the next night closes the issue", async () => {
    const s = await converged(["maxRemovals: 100%"]);
    const bob = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!;
    await s.owner$.updateMember(s.workspace, bob.id, { role: "account-admin" }, { ifMatch: bob.version });
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });

    const detect = await night(s, { command: "drift" });
    expect(detect.outputs, detect.log).toEqual({ exitcode: "2", correct: "true" });
    expect(detect.failed).toBe(false); // handed over to the correct job

    const correct = await night(s, { command: "apply", mode: "correct" });
    expect(correct.outputs.exitcode, correct.log).toBe("2");
    expect(correct.failed).toBe(false);
    expect((await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!.role).toBe("developer");
    const issue = github.issues[0]!;
    expect(issue.body).toContain("## Access drift in acme-prod: corrected");
    expect(issue.body).toMatch(/^- `bob@acme\.io`: `account-admin` → `developer`/m);
    expect(issue.body).toMatch(/^- `walk-in@acme\.io`: invitation revoked \(was `developer`\)/m);
    expect(issue.body).toMatch(/^- `bob@acme\.io`: .* — changed by `founder@acme\.io` through /m);
    expect(issue.body).toContain("[The run](https://github.com/acme/access/actions/runs/77)");
    expect(issue.body).not.toContain(s.ownerToken);

    const nextNight = await night(s, { command: "drift" });
    expect(nextNight.outputs).toEqual({ exitcode: "0", correct: "false" });
    expect(issue.state).toBe("closed");
    expect(github.issues).toHaveLength(1);
  }, 240_000);

  it("a correction a rail blocks: the drift job fails, changes nothing, and the issue names the rail", async () => {
    const s = await converged(["maxRemovals: 0"]);
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });
    const before = await auditCount(s);
    const detect = await night(s, { command: "drift" });
    expect(detect.outputs).toEqual({ exitcode: "1", correct: "false" });
    expect(detect.failed).toBe(true);
    expect(github.issues.map((i) => i.title)).toEqual(["Access drift in acme-prod: correction blocked by a safety rail"]);
    expect(github.issues[0]!.body).toContain("**nothing was changed**");
    expect(github.issues[0]!.body).toMatch(/^- `maxRemovals`: /m);
    expect(await auditCount(s)).toBe(before);
  }, 240_000);

  it("detect mode: the drift is listed, nothing is applied, the job fails", async () => {
    const s = await converged(["maxRemovals: 100%"]);
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });
    const before = await auditCount(s);
    const detect = await night(s, { command: "drift", mode: "detect" });
    expect(detect.outputs).toEqual({ exitcode: "2", correct: "false" });
    expect(detect.failed).toBe(true);
    expect(detect.log).toContain("::error title=Access drift::");
    expect(github.issues[0]!.body).toContain("Nothing was changed (mode `detect`)");
    expect(github.issues[0]!.body).toMatch(/^- `walk-in@acme\.io`: invitation revoked/m);
    expect(await auditCount(s)).toBe(before);
  }, 240_000);
});
