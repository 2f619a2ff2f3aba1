import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BOT, reportDrift } from "../../examples/ci/scripts/antryk-drift-issue.mjs";
import { acceptAll, accessYaml, assertBuilt, auditCount, CLI, runCli, startTestServer, writeAccessFile, type TestServer } from "../e2e/harness.js";

/**
 * The nightly loop with real parts: the drift and correct steps' shell from
 * examples/ci/access.yml under bash, `npx antryk-access` reaching the real built CLI, the real
 * reference server changed by hand in between, and the issue script reading the files those
 * steps wrote (only GitHub is stubbed, recording calls).
 */

const ROOT = join(import.meta.dirname, "..", "..");
const workflow = parse(readFileSync(join(ROOT, "examples", "ci", "access.yml"), "utf8")) as {
  jobs: Record<string, { steps: { name?: string; run?: string }[] }>;
};
const run = (job: string, name: string) => workflow.jobs[job]!.steps.find((s) => s.name === name)!.run!;

const OWNER = "founder@acme.io";
const TEAM = [
  { email: "ops@acme.io", role: "account-admin" },
  { email: "bob@acme.io", role: "developer" },
];

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function converged(safety: string[]) {
  assertBuilt();
  server = await startTestServer({ owner: OWNER });
  const s = server;
  await writeAccessFile(s.dir, "access.yaml", accessYaml({ owner: OWNER, safety, members: TEAM }));
  expect((await runCli(["apply", "-f", "access.yaml", "--auto-approve"], { env: s.env(), cwd: s.dir })).code).toBe(0);
  await acceptAll(s, TEAM.map((m) => m.email));
  return s;
}

/** step runs a workflow step's shell in the server's folder as the runner does (bash -e), with CI set as on a runner. */
function step(s: TestServer, script: string, env: Record<string, string> = {}) {
  const bin = mkdtempSync(join(s.dir, "bin-"));
  // npx antryk-access … → the built CLI (the lockfile's antryk-access in a real repository).
  writeFileSync(join(bin, "npx"), `#!/bin/sh\nshift\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, "npx"), 0o755);
  const output = join(bin, "output");
  writeFileSync(output, "");
  const target = s.env();
  const full = { PATH: `${bin}:${process.env.PATH}`, CI: "true", NO_COLOR: "1", GITHUB_OUTPUT: output, ANTRYK_API_URL: target.ANTRYK_API_URL!, ANTRYK_TOKEN: target.ANTRYK_TOKEN!, ...env };
  return new Promise<{ code: number; stdout: string; stderr: string; exitcode: string }>((resolve) => {
    execFile("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd: s.dir, env: full }, (err, stdout, stderr) => {
      const exitcode = /exitcode=(\d+)/.exec(readFileSync(output, "utf8"))?.[1] ?? "";
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, exitcode });
    });
  });
}

/** github is a stub client holding the repository's open issues; `calls` and `bodies` record what was done. */
function github() {
  const open: { number: number; body: string; user: { login: string; type: string } }[] = [];
  const calls: string[] = [];
  const bodies: string[] = [];
  const client = {
    paginate: async () => open,
    rest: {
      issues: {
        listForRepo: () => open,
        create: async (a: { title: string; body: string }) => {
          calls.push(`create ${a.title}`);
          bodies.push(a.body);
          open.push({ number: 1, body: a.body, user: { login: BOT, type: "Bot" } });
          return { data: { number: 1 } };
        },
        update: async (a: { issue_number: number; state?: string; body?: string }) => {
          calls.push(a.state ? `${a.state} #${a.issue_number}` : `update #${a.issue_number}`);
          if (a.body) bodies.push(a.body);
          if (a.state === "closed") open.splice(0, open.length);
        },
        createComment: async (a: { issue_number: number }) => void calls.push(`comment #${a.issue_number}`),
      },
    },
  };
  return { client, calls, bodies };
}
const context = { repo: { owner: "acme", repo: "access" }, runId: 7, serverUrl: "https://github.com" };

describe("the nightly drift loop against a real server", () => {
  it("correct mode: a hand change is planned, applied back (verified), reported with what was reverted; the next night closes the issue", async () => {
    const s = await converged(["maxRemovals: 100%"]);
    const bob = (await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!;
    await s.owner$.updateMember(s.workspace, bob.id, { role: "account-admin" }, { ifMatch: bob.version });
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });
    const gh = github();

    const detect = await step(s, run("drift", "Drift check"), { MODE: "correct" });
    expect(detect.exitcode, detect.stderr).toBe("2");
    expect(detect.code).toBe(0); // handed over to the correct job

    const correct = await step(s, run("correct", "Correct drift"));
    expect(correct.exitcode, correct.stderr).toBe("2");
    expect(correct.code).toBe(0);
    expect((await s.owner$.listMembers(s.workspace)).find((m) => m.email === "bob@acme.io")!.role).toBe("developer");

    expect(await reportDrift({ github: gh.client, context, env: { DRIFT_STAGE: "correct", DRIFT_EXIT: correct.exitcode }, cwd: s.dir })).toBe("opened #1");
    const body = gh.bodies[0]!;
    expect(body).toContain("## Access drift in acme-prod: corrected");
    expect(body).toMatch(/^- `bob@acme\.io`: `account-admin` → `developer`/m);
    expect(body).toMatch(/^- `walk-in@acme\.io`: invitation revoked \(was `developer`\)/m);
    // Who made it, once plans carry liveSince (the access history): the owner, through its client.
    const plan = JSON.parse(readFileSync(join(s.dir, "plan.json"), "utf8")) as { changes: { key: string; liveSince?: unknown }[] };
    if (plan.changes.some((c) => c.liveSince)) expect(body).toMatch(/^- `bob@acme\.io`: .* — changed by `founder@acme\.io` through /m);
    expect(body).toContain("[The run](https://github.com/acme/access/actions/runs/7)");
    expect(body).not.toContain(s.ownerToken);

    const nextNight = await step(s, run("drift", "Drift check"), { MODE: "correct" });
    expect(nextNight.exitcode).toBe("0");
    expect(await reportDrift({ github: gh.client, context, env: { DRIFT_STAGE: "detect", DRIFT_EXIT: nextNight.exitcode }, cwd: s.dir })).toBe("closed #1");
    expect(gh.calls).toEqual(["create Access drift in acme-prod: corrected", "comment #1", "closed #1"]);
  }, 180_000);

  it("a correction a rail blocks: the drift job fails, changes nothing, and the issue names the rail", async () => {
    const s = await converged(["maxRemovals: 0"]);
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });
    const before = await auditCount(s);
    const gh = github();

    const detect = await step(s, run("drift", "Drift check"), { MODE: "correct" });
    expect(detect.exitcode).toBe("1");
    expect(detect.code).toBe(1);
    expect(await reportDrift({ github: gh.client, context, env: { DRIFT_STAGE: "detect", DRIFT_EXIT: detect.exitcode }, cwd: s.dir })).toBe("opened #1");
    expect(gh.calls).toEqual(["create Access drift in acme-prod: correction blocked by a safety rail"]);
    expect(gh.bodies[0]).toContain("**nothing was changed**");
    expect(gh.bodies[0]).toMatch(/^- `maxRemovals`: /m);
    expect(await auditCount(s)).toBe(before);
  }, 180_000);

  it("detect mode: the drift is listed, nothing is applied, the job fails", async () => {
    const s = await converged(["maxRemovals: 100%"]);
    await s.owner$.createInvitation(s.workspace, { email: "walk-in@acme.io", role: "developer" });
    const before = await auditCount(s);
    const gh = github();

    const detect = await step(s, run("drift", "Drift check"), { MODE: "detect" });
    expect(detect.exitcode).toBe("2");
    expect(detect.code).toBe(2);
    expect(detect.stdout).toContain("::error title=Access drift::");
    await reportDrift({ github: gh.client, context, env: { DRIFT_STAGE: "detect", DRIFT_EXIT: detect.exitcode, DRIFT_MODE: "detect" }, cwd: s.dir });
    expect(gh.bodies[0]).toContain("Nothing was changed (mode `detect`)");
    expect(gh.bodies[0]).toMatch(/^- `walk-in@acme\.io`: invitation revoked/m);
    expect(await auditCount(s)).toBe(before);
  }, 180_000);
});
