import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accessYaml, assertBuilt, runCli, startTestServer, tempDir, writeAccessFile, type TestServer } from "../e2e/harness.js";
import { openPullRequest, startGitHubStub, type GitHubStub, type StubIssue } from "./github-stub.js";

/**
 * `antryk-access ci pr-comment` through the real CLI against a stubbed GitHub API
 * (github-stub.ts: an HTTP server on 127.0.0.1 keeping a pull request's comments in memory): one comment per
 * `<!-- antryk-access comment N/M -->`, each stamped with the head SHA, updated in place on
 * the next push, retired when the plan needs fewer, marked stale when a push cannot be
 * planned; comments of anyone else are never touched, and the token is never printed.
 */
const SHA1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const SHA2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
let github: GitHubStub;
let comments: StubIssue["comments"];

beforeAll(async () => {
  assertBuilt();
  github = await startGitHubStub();
});
afterAll(async () => github.close());
beforeEach(() => {
  github.issues.splice(0);
  github.calls.splice(0);
  comments = openPullRequest(github, 12).comments;
  comments.push({ id: 999, body: "<!-- antryk-access comment 1/1 -->\nI pasted the marker", user: { login: "mallory", type: "User" } });
});

const env = () => github.env();
const ours = () => comments.filter((c) => c.user.login === "github-actions[bot]");
const synthetic = (total: number, tag: string) =>
  Array.from({ length: total }, (_, i) => `<!-- antryk-access comment ${i + 1}/${total} -->\n## part ${i + 1} of ${tag}\n`).join("\n");

async function prComment(dir: string, args: string[]) {
  const r = await runCli(["ci", "pr-comment", "--pr", "12", ...args], { cwd: dir, env: env() });
  expect(r.stdout + r.stderr).not.toContain(github.token);
  return r;
}

describe("ci pr-comment", () => {
  it("posts one comment per number with the head SHA, updates them in place, retires the extra ones", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "plan.md"), synthetic(3, "push 1"));
    const first = await prComment(dir, ["--sha", SHA1, "--body", "plan.md"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe("Plan comments of #12: 3 created, 0 updated (3 in all).\n");
    expect(ours().map((c) => c.body.split("\n").slice(0, 4))).toEqual(
      [1, 2, 3].map((n) => [`<!-- antryk-access comment ${n}/3 -->`, expect.stringMatching(/^<sub>antryk-access plan of `1111111`, \d{4}-\d\d-\d\d \d\d:\d\d UTC<\/sub>$/), "", `## part ${n} of push 1`]),
    );

    // The next push: two comments, written as plan --out writes them (plan.md, plan.2.md).
    await writeFile(join(dir, "plan.md"), synthetic(2, "push 2").split("\n<!-- antryk-access comment 2/2 -->")[0]!);
    await writeFile(join(dir, "plan.2.md"), "<!-- antryk-access comment 2/2 -->\n## part 2 of push 2\n");
    const second = await prComment(dir, ["--sha", SHA2, "--body", "plan.md"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe("Plan comments of #12: 0 created, 2 updated (2 in all).\n");
    expect(ours()).toHaveLength(3);
    expect(ours()[0]!.body).toContain("plan of `2222222`");
    expect(ours()[1]!.body).toContain("## part 2 of push 2");
    expect(ours()[2]!.body).toContain("this one is no longer used");
    expect(comments[0]!.body).toBe("<!-- antryk-access comment 1/1 -->\nI pasted the marker");
  });

  it("marks the comments stale when a later push cannot be planned, once however often it runs", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "plan.md"), synthetic(2, "push 1"));
    expect((await prComment(dir, ["--sha", SHA1, "--body", "plan.md"])).code).toBe(0);
    for (let i = 0; i < 2; i++) {
      const r = await prComment(dir, ["--sha", SHA2, "--stale", "validate failed"]);
      expect(r.stdout).toBe("Marked 2 plan comments of #12 as stale.\n");
    }
    for (const c of ours()) {
      expect(c.body.split("\n")[0]).toMatch(/^<!-- antryk-access comment \d\/2 -->$/);
      expect(c.body.match(/\*\*Stale:\*\*/g)).toHaveLength(1);
      expect(c.body).toContain("`2222222` could not be planned (validate failed)");
      expect(c.body).toContain("plan of `1111111`");
    }
    // A plan for a new push replaces the stale comments.
    expect((await prComment(dir, ["--sha", SHA2, "--body", "plan.md"])).code).toBe(0);
    expect(ours().some((c) => c.body.includes("Stale"))).toBe(false);
    expect(comments[0]!.body).toBe("<!-- antryk-access comment 1/1 -->\nI pasted the marker");
  });

  it.each([
    ["a comment out of order", "<!-- antryk-access comment 2/2 -->\nx\n<!-- antryk-access comment 1/2 -->\ny\n", /comment 2\/2 where 1\/2 belongs/],
    ["a missing continuation file", "<!-- antryk-access comment 1/3 -->\nx\n", /plan\.2\.md is missing/],
  ])("refuses %s and posts nothing", async (_name, text, message) => {
    const dir = await tempDir();
    await writeFile(join(dir, "plan.md"), text);
    const r = await prComment(dir, ["--sha", SHA1, "--body", "plan.md"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(github.calls.filter((c) => !c.startsWith("GET"))).toEqual([]);
  });

  describe("with the real plan of the reference server", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(async () => server.close());

    it("posts plan --format markdown --out as it comes", async () => {
      await writeAccessFile(server.dir, "access.yaml", accessYaml({ owner: server.owner, members: [{ email: "new@acme.io", role: "developer" }] }));
      const plan = await runCli(["plan", "-f", "access.yaml", "--format", "markdown", "--out", "plan.md"], { cwd: server.dir, env: server.env() });
      expect(plan.code, plan.stderr).toBe(0);
      const r = await prComment(server.dir, ["--sha", SHA1, "--body", "plan.md"]);
      expect(r.code, r.stderr).toBe(0);
      expect(ours()).toHaveLength(1);
      expect(ours()[0]!.body).toMatch(/^<!-- antryk-access comment 1\/1 -->\n<sub>antryk-access plan of `1111111`/);
      expect(ours()[0]!.body).toContain("new@acme.io");
    });
  });
});
