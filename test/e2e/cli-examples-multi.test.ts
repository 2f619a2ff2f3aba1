import { cp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, listFiles, recorder, ROOT, runCli, tempDir } from "./harness.js";

/**
 * The README's tour as a new user follows it: the first command (examples/access.yaml,
 * acme-prod, in the checkout's embedded workspace), then examples/multi/ (two workspaces
 * sharing libraries) from its own folder, so its own embedded database holds both of its
 * workspaces: validate, plan, apply, then a converged plan. Run outside CI (CI cleared), as
 * the README's commands are.
 */

const EMBEDDED_DEFAULT = { CI: "" };
let cwd: string;
let multi: string;

beforeAll(async () => {
  assertBuilt();
  // A checkout as a new user has it: the examples, run from its root as the README says.
  cwd = await tempDir("antryk-examples-multi-");
  await cp(join(ROOT, "examples"), join(cwd, "examples"), { recursive: true, filter: (src) => !src.includes(".antryk") });
  multi = join(cwd, "examples/multi");
});

afterAll(async () => {
  for (const dir of [cwd, multi]) {
    for (const t of (await listFiles(join(dir, ".antryk"))).filter((f) => f.endsWith(".token"))) recorder.secrets.add((await readFile(t, "utf8")).trim());
  }
  expect(await recorder.leaks()).toEqual([]);
  await rm(cwd, { recursive: true, force: true });
});

describe("examples/multi against the embedded local workspace, after the README's first command", () => {
  it("the README's first command plans and applies examples/access.yaml (acme-prod) in the checkout", async () => {
    for (const args of [["plan", "-f", "examples/access.yaml"], ["apply", "-f", "examples/access.yaml", "--auto-approve"]]) {
      const r = await runCli(args, { cwd, env: EMBEDDED_DEFAULT });
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
  });

  it("validates every workspace file and the libraries", async () => {
    const r = await runCli(["validate", "-f", "."], { cwd: multi });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("2 workspace files and 2 libraries: valid");
  });

  it("plans, applies and verifies both workspaces in its own embedded database, then plans no changes", async () => {
    const plan = await runCli(["plan", "-f", ".", "--detailed-exitcode"], { cwd: multi, env: EMBEDDED_DEFAULT });
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout.split("\n")[0]).toBe(
      'Using the embedded local workspaces "acme-prod", "acme-staging" (.antryk/workspace.db); set ANTRYK_API_URL and ANTRYK_TOKEN (or ANTRYK_TOKEN_<WORKSPACE>) to target real workspaces.',
    );
    expect(plan.stdout).toContain("=== acme-prod (prod.yaml) ===");
    expect(plan.stdout).toContain("=== acme-staging (staging.yaml) ===");
    // A role from the library names the library, not the workspace file.
    expect(plan.stdout).toMatch(/\+ create role release-manager .*\(defined in shared\/roles\.yaml\)/);
    // The shared policies library holds both workspaces to its guardrails, which hold.
    expect(plan.stdout.match(/^Policies: 3 policies checked: all hold after this plan\.$/gm)).toHaveLength(2);

    const apply = await runCli(["apply", "-f", ".", "--auto-approve"], { cwd: multi, env: EMBEDDED_DEFAULT });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain("Apply set: 2 workspaces, 2 verified;");

    const again = await runCli(["plan", "-f", ".", "--detailed-exitcode"], { cwd: multi, env: EMBEDDED_DEFAULT });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("Plan set: 2 workspaces: 0 with changes, 2 without changes");

    const markdown = await runCli(["plan", "-f", ".", "--format", "markdown"], { cwd: multi, env: EMBEDDED_DEFAULT });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toContain("### antryk-access plan for 2 workspaces");
  });

  it("left the first command's workspace as it was", async () => {
    const r = await runCli(["plan", "-f", "examples/access.yaml", "--detailed-exitcode"], { cwd, env: EMBEDDED_DEFAULT });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
