import { existsSync } from "node:fs";
import { readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessYaml, assertBuilt, listFiles, recorder, ROOT, runCli, tempDir, writeAccessFile } from "./harness.js";

/** EMBEDDED_DEFAULT runs the CLI outside CI (CI cleared): these tests are of the embedded default, which CI refuses without --local. */
const EMBEDDED_DEFAULT = { CI: "" };

/**
 * The embedded local workspace: with no ANTRYK_API_URL and no token, the CLI runs the
 * reference server in its own process over `.antryk/workspace.db` in the current
 * folder, creates the workspace on first use, and says so on its first line. This is
 * the README's main job: plan and apply examples/access.yaml.
 */

const NO_CHANGES = "No changes. The workspace matches access.yaml.";
const EXAMPLE = join(ROOT, "examples/access.yaml");

let cwd: string;
let workspace: string;

beforeAll(async () => {
  assertBuilt();
  cwd = await tempDir("antryk-embedded-");
  workspace = /^workspace:\s*(\S+)/m.exec(await readFile(EXAMPLE, "utf8"))![1]!;
});

afterAll(async () => {
  const tokens = (await listFiles(join(cwd, ".antryk"))).filter((f) => f.endsWith(".token"));
  for (const t of tokens) recorder.secrets.add((await readFile(t, "utf8")).trim());
  expect(await recorder.leaks()).toEqual([]);
  await rm(cwd, { recursive: true, force: true });
});

const announcement = (ws: string) =>
  `Using the embedded local workspace "${ws}" (.antryk/workspace.db); set ANTRYK_API_URL and ANTRYK_TOKEN to target a real workspace.`;

describe("the embedded local workspace", () => {
  it("plan announces it on the first line and creates it with a private owner token", async () => {
    const r = await runCli(["plan", "-f", EXAMPLE], { cwd, env: EMBEDDED_DEFAULT });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(announcement(workspace));
    expect(r.stdout).toMatch(/Plan: \d+ to invite/);
    expect(existsSync(join(cwd, ".antryk/workspace.db"))).toBe(true);
    const token = await stat(join(cwd, ".antryk", `${workspace}.token`));
    expect(token.mode & 0o777).toBe(0o600);
    expect(await readFile(join(cwd, ".antryk/.gitignore"), "utf8")).toMatch(/^\*$/m);
  });

  it("apply makes the changes; the next plan says No changes", async () => {
    const apply = await runCli(["apply", "-f", EXAMPLE, "--auto-approve"], { cwd, env: EMBEDDED_DEFAULT });
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout.split("\n")[0]).toBe(announcement(workspace));
    expect(apply.stdout).toMatch(/Apply complete: \d+ applied, 0 failed, 0 skipped, 0 not attempted\.\nVerified: the workspace matches access.yaml\./);
    const plan = await runCli(["plan", "-f", EXAMPLE, "--detailed-exitcode"], { cwd, env: EMBEDDED_DEFAULT });
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain(NO_CHANGES);
  });

  it("machine-readable output keeps the announcement on stderr", async () => {
    const json = await runCli(["plan", "-f", EXAMPLE, "--format", "json"], { cwd, env: EMBEDDED_DEFAULT });
    expect(json.code, json.stderr + json.stdout).toBe(0);
    expect(json.stderr.split("\n")[0]).toBe(announcement(workspace));
    expect((JSON.parse(json.stdout) as { changes: unknown[] }).changes).toEqual([]);
  });

  it("export names the only embedded workspace by itself and round-trips", async () => {
    const exported = await runCli(["export"], { cwd, env: EMBEDDED_DEFAULT });
    expect(exported.code, exported.stderr + exported.stdout).toBe(0);
    expect(exported.stderr.split("\n")[0]).toBe(announcement(workspace));
    const file = await writeAccessFile(cwd, "exported.yaml", exported.stdout);
    const plan = await runCli(["plan", "-f", file, "--detailed-exitcode"], { cwd, env: EMBEDDED_DEFAULT });
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain("No changes. The workspace matches exported.yaml."); // the file's own name
  });

  it("a second workspace in the same folder is created beside the first with --local", async () => {
    const file = await writeAccessFile(
      cwd,
      "other.yaml",
      accessYaml({ workspace: "sandbox", members: [{ email: "a@example.test", role: "account-admin" }] }),
    );
    const r = await runCli(["apply", "-f", file, "--auto-approve", "--local"], { cwd, env: EMBEDDED_DEFAULT });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(announcement("sandbox"));
    const ambiguous = await runCli(["export"], { cwd, env: EMBEDDED_DEFAULT });
    expect(ambiguous.code, ambiguous.stderr + ambiguous.stdout).toBe(1);
    expect(ambiguous.stderr).toMatch(/^error: .*several workspaces.*--workspace NAME/m);
    const missing = await runCli(["export", "--workspace", "nope"], { cwd, env: EMBEDDED_DEFAULT });
    expect(missing.code, missing.stderr + missing.stdout).toBe(1);
    expect(missing.stderr).toMatch(/^error: no embedded local workspace "nope"/m);
  });

  it("a lost token file is replaced by a new owner token; the workspace is kept", async () => {
    const tokenFile = join(cwd, ".antryk", `${workspace}.token`);
    recorder.secrets.add((await readFile(tokenFile, "utf8")).trim());
    await rm(tokenFile);
    const plan = await runCli(["plan", "-f", EXAMPLE, "--detailed-exitcode"], { cwd, env: EMBEDDED_DEFAULT });
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain(NO_CHANGES);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
  });
});
