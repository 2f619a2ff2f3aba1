import { afterEach, describe, expect, it } from "vitest";
import {
  accessYaml,
  assertBuilt,
  people,
  recorder,
  runCli,
  startCli,
  startTestServer,
  writeAccessFile,
  type CliResult,
  type TestServer,
} from "./harness.js";

/**
 * Convergence under failure: a server failing 30 % of requests (500, 503, 429, dropped
 * connections, before or after committing), a CLI killed with SIGKILL mid-apply, and
 * two applies of different files racing. Every case ends with a plan against a healthy
 * server saying "No changes" and exactly one invitation per email, sent once.
 */

const NO_CHANGES = "No changes. The workspace matches access.yaml.";
/** SLOW: these tests make hundreds of changes; give them room on a loaded machine. */
const SLOW = 180_000;
const OWNER = "founder@acme.io";

let server: TestServer | undefined;

afterEach(async () => {
  expect(await recorder.leaks()).toEqual([]);
  await server?.close();
  server = undefined;
});

const fileOf = (emails: string[], extra: Partial<Parameters<typeof accessYaml>[0]> = {}) =>
  accessYaml({ owner: OWNER, members: emails.map((email) => ({ email, role: "developer" })), ...extra });

/** expectConverged: a plan says No changes, and each email has exactly one invitation, sent once. */
async function expectConverged(s: TestServer, file: string, emails: string[]): Promise<void> {
  const plan = await runCli(["plan", "-f", file, "--detailed-exitcode"], { env: s.env() });
  expect(plan.stdout).toContain(NO_CHANGES);
  expect(plan.code, plan.stderr + plan.stdout).toBe(0);
  const invitations = await s.owner$.listInvitations(s.workspace);
  expect(invitations.map((i) => i.email).sort()).toEqual([...emails].sort());
  expect(invitations.filter((i) => i.status !== "pending" || i.sendCount !== 1)).toEqual([]);
}

describe("faults", () => {
  // The engine's convergence under these faults, count by count, is test/reconciler/apply-engine.test.ts;
  // here the CLI's part: its exit code, its stderr and the plan after.
  it("the CLI against a server failing 30 % of requests: apply exits 0 with only progress on stderr, and the plan after says No changes", async () => {
    assertBuilt();
    server = await startTestServer({ owner: OWNER, faults: { fraction: 0.3, seed: 7 } });
    const emails = people(100);
    const file = await writeAccessFile(server.dir, "access.yaml", fileOf(emails));
    // Retries cure almost every fault; a change that still failed is picked up by the next run.
    let last: CliResult | undefined;
    for (let run = 0; run < 3 && last?.code !== 0; run += 1) {
      last = await runCli(["apply", "-f", file, "--auto-approve", "--concurrency", "16"], { env: server.env() });
    }
    // Off a terminal, stderr carries only the progress lines (cli/progress.ts): no error, no warning.
    expect(last?.stderr.replace(/^Applying: \d+\/\d+ .*\n/gm, "")).toBe("");
    expect(last?.code).toBe(0);
    await server.restart(); // same database, faults off
    await expectConverged(server, file, emails);
  }, SLOW);

  it("a CLI killed with SIGKILL in the middle of a 500-change apply converges on the rerun", async () => {
    assertBuilt();
    server = await startTestServer({ owner: OWNER });
    const s = server;
    const emails = people(500);
    const file = await writeAccessFile(s.dir, "access.yaml", fileOf(emails));
    const base = (await s.owner$.getWorkspace(s.workspace)).revision;
    const run = startCli(["apply", "-f", file, "--auto-approve", "--concurrency", "2"], { env: s.env() });
    // Kill it as its 101st invitation arrives: by then at least 100 (at most 101) are committed.
    let posts = 0;
    s.onRequest((req) => {
      if (req.method === "POST" && req.url?.endsWith("/invitations") && ++posts === 101) run.child.kill("SIGKILL");
    });
    const killed = await run.done;
    expect(killed.signal).toBe("SIGKILL");
    const atKill = (await s.owner$.getWorkspace(s.workspace)).revision - base;
    expect(atKill).toBeGreaterThanOrEqual(100);
    expect(atKill).toBeLessThan(500);

    const rerun = await runCli(["apply", "-f", file, "--auto-approve"], { env: s.env() });
    expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
    expect(rerun.stdout).toMatch(/Apply complete: \d+ applied, 0 failed, 0 skipped, 0 not attempted\./);
    await expectConverged(s, file, emails);
  }, SLOW);

  it("two applies of different files at once: a mixed result is always reported (a failed If-Match or an apply that did not converge)", async () => {
    assertBuilt();
    server = await startTestServer({ owner: OWNER });
    const s = server;
    const a = people(400, "a");
    const b = people(100, "b");
    const safety = ["maxRemovals: 100%"];
    const fileA = await writeAccessFile(s.dir, "a.yaml", fileOf(a, { safety }));
    const fileB = await writeAccessFile(s.dir, "b.yaml", fileOf(b, { safety }));
    const runA = startCli(["apply", "-f", fileA, "--auto-approve", "--concurrency", "1"], { env: s.env() });
    // Start B as A's 20th invitation arrives, so the two overlap (A has 380 to go).
    let posts = 0;
    let runB: Promise<Awaited<ReturnType<typeof runCli>>> | undefined;
    s.onRequest((req) => {
      if (req.method === "POST" && req.url?.endsWith("/invitations") && ++posts === 20) runB = runCli(["apply", "-f", fileB, "--auto-approve"], { env: s.env() });
    });
    const ra = await runA.done;
    const rb = await runB!;

    // A concurrent writer shows as a change that failed its If-Match, a plan that no longer matches, or an apply that did not converge.
    const conflict = /changed concurrently|does not match the plan computed now|did not converge/;
    const reported = [ra, rb].filter((r) => r.code === 1 && conflict.test(r.stderr));
    const outcome = `A: exit ${ra.code} ${ra.stderr}\nB: exit ${rb.code} ${rb.stderr}`;
    // The only way either fails here is by reporting the conflict.
    for (const r of [ra, rb]) {
      if (r.code !== 0) expect(r.stderr, outcome).toMatch(conflict);
    }
    const matches = async (file: string) =>
      (await runCli(["plan", "-f", file, "--detailed-exitcode"], { env: s.env() })).code === 0;
    const [matchesA, matchesB] = [await matches(fileA), await matches(fileB)];
    // A workspace matching neither file is a mix: someone must have said so.
    if (!matchesA && !matchesB) expect(reported.length, outcome).toBeGreaterThanOrEqual(1);
    // Each apply verifies at its end: when both succeed, the one that verified last left exactly its file.
    if (ra.code === 0 && rb.code === 0) expect(matchesA || matchesB, outcome).toBe(true);
  }, SLOW);
});
