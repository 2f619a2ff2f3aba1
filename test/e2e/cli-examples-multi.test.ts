import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, listFiles, recorder, ROOT, runCli, tempDir } from "./harness.js";

/**
 * The README's tour of examples/multi/ (two workspaces sharing a library) against the
 * embedded local workspace, out of the box: validate, plan, apply, then a converged plan,
 * with one embedded database holding both workspaces. Run outside CI (CI cleared), as the
 * README's commands are.
 */

const EMBEDDED_DEFAULT = { CI: "" };
const EXAMPLE = join(ROOT, "examples/multi");
let cwd: string;

beforeAll(async () => {
  assertBuilt();
  cwd = await tempDir("antryk-examples-multi-");
});

afterAll(async () => {
  for (const t of (await listFiles(join(cwd, ".antryk"))).filter((f) => f.endsWith(".token"))) recorder.secrets.add((await readFile(t, "utf8")).trim());
  expect(await recorder.leaks()).toEqual([]);
  await rm(cwd, { recursive: true, force: true });
});

describe("examples/multi against the embedded local workspace", () => {
  it("validates every workspace file and the library", async () => {
    const r = await runCli(["validate", "-f", EXAMPLE], { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("2 workspace files and 2 libraries: valid");
  });

  it("plans, applies and verifies both workspaces in one embedded database, then plans no changes", async () => {
    const plan = await runCli(["plan", "-f", EXAMPLE, "--detailed-exitcode"], { cwd, env: EMBEDDED_DEFAULT });
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout.split("\n")[0]).toBe(
      'Using the embedded local workspaces "acme-prod", "acme-staging" (.antryk/workspace.db); set ANTRYK_API_URL and ANTRYK_TOKEN (or ANTRYK_TOKEN_<WORKSPACE>) to target real workspaces.',
    );
    expect(plan.stdout).toMatch(/=== acme-prod \(.*examples\/multi\/prod\.yaml\) ===/);
    expect(plan.stdout).toMatch(/=== acme-staging \(.*examples\/multi\/staging\.yaml\) ===/);
    // A role from the library names the library, not the workspace file.
    expect(plan.stdout).toMatch(/\+ create role release-manager .*\(defined in shared\/roles\.yaml\)/);
    // The shared policies library holds both workspaces to its guardrails, which hold.
    expect(plan.stdout.match(/^Policies: 3 policies checked: all hold after this plan\.$/gm)).toHaveLength(2);

    const apply = await runCli(["apply", "-f", EXAMPLE, "--auto-approve"], { cwd, env: EMBEDDED_DEFAULT });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain("Apply set: 2 workspaces, 2 verified;");

    const again = await runCli(["plan", "-f", EXAMPLE, "--detailed-exitcode"], { cwd, env: EMBEDDED_DEFAULT });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("Plan set: 2 workspaces: 0 with changes, 2 without changes");

    const markdown = await runCli(["plan", "-f", EXAMPLE, "--format", "markdown"], { cwd, env: EMBEDDED_DEFAULT });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toContain("### antryk-access plan for 2 workspaces");
  });
});
