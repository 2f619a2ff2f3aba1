import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVALID_ACCESS_YAML as INVALID } from "./invalid-file.js";

/**
 * `antryk-access validate` as a user runs it: the built CLI (`node dist/cli/main.js`, built
 * by `npx tsc -p .` / `npm test`) in a child process, in a temp working directory.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
const EXAMPLE = join(ROOT, "examples", "access.yaml");
let cwd: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -p .\` first (npm test builds)`);
  cwd = mkdtempSync(join(tmpdir(), "antryk-validate-"));
  mkdirSync(join(cwd, "empty-folder"));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/**
 * Where the CLI runs, and whether file permissions bind it: as root, `withoutFileOverride`
 * runs it through util-linux's setpriv without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so
 * a mode-000 file is unreadable to it as to anyone (and the checkout, wherever it lies,
 * stays reachable: it is still root's own).
 */
interface RunAs {
  cwd?: string;
  withoutFileOverride?: boolean;
}

/** DROP_FILE_OVERRIDE are setpriv's arguments that take root's file-permission override away from the command it runs. */
const DROP_FILE_OVERRIDE = ["--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search", "--"];

function runAs(as: RunAs, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = [process.execPath, CLI, "validate", ...args];
  const [file, ...argv] = as.withoutFileOverride === true ? ["setpriv", ...DROP_FILE_OVERRIDE, ...command] : command;
  return new Promise((resolve) => {
    execFile(file!, argv, { cwd: as.cwd ?? cwd, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runAs({}, ...args);
}


describe("antryk-access validate", () => {
  it("accepts the example workspace: exit 0 and a summary line", async () => {
    const { code, stdout, stderr } = await run("-f", EXAMPLE);
    // the example's dormant-admins judges activity: said once, not an error nor a warning
    expect({ code, stderr }).toEqual({ code: 0, stderr: "note: policy dormant-admins judges activity (inactiveFor), which only a live workspace knows: plan and review judge it; validate cannot, and skipped it\n" });
    expect(stdout).toBe(`${EXAMPLE}: valid (0 errors, 0 warnings)\n`);
  });

  it("reads access.yaml in the working directory by default", async () => {
    writeFileSync(join(cwd, "access.yaml"), "version: 1\nworkspace: acme-prod\nowner: founder@acme.io\n");
    const { code, stdout } = await run();
    expect(code).toBe(0);
    expect(stdout).toBe("access.yaml: valid (0 errors, 0 warnings)\n");
  });

  it("prints every error as file:line:column severity code message, then a summary; exit 1", async () => {
    writeFileSync(join(cwd, "bad.yaml"), INVALID);
    const { code, stdout, stderr } = await run("-f", "bad.yaml");
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(stdout.split("\n")).toEqual([
      'bad.yaml:7:19 error unknown-permission "deploy:create" is not a permission; did you mean "deployments:create"?',
      'bad.yaml:8:12 error duplicate-email "bob@acme.io" is declared twice: in members at bad.yaml:5:12 and in members here; declare each person once',
      "bad.yaml: invalid (2 errors, 0 warnings)",
      "",
    ]);
  });

  it("exits 0 with warnings only", async () => {
    writeFileSync(join(cwd, "warn.yaml"), "version: 1\nworkspace: w\nowner: o@acme.io\nmembers:\n  - email: a@acme.io\n    role: developer\n    permissions: [logs:read]\n");
    const { code, stdout } = await run("--file", "warn.yaml");
    expect(code).toBe(0);
    expect(stdout).toContain('warn.yaml:7:19 warning redundant-permission "logs:read" is already part of role "developer"');
    expect(stdout).toContain("warn.yaml: valid (0 errors, 1 warning)");
  });

  it("--format json prints { valid, diagnostics } with the documented fields", async () => {
    writeFileSync(join(cwd, "bad.yaml"), INVALID);
    const { code, stdout } = await run("-f", "bad.yaml", "--format", "json");
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as { valid: boolean; diagnostics: Record<string, unknown>[] };
    expect(out.valid).toBe(false);
    expect(out.diagnostics[0]).toEqual({
      severity: "error",
      code: "unknown-permission",
      message: '"deploy:create" is not a permission; did you mean "deployments:create"?',
      file: "bad.yaml",
      line: 7,
      column: 19,
    });
    expect(out.diagnostics.map((d) => d.code)).toEqual(["unknown-permission", "duplicate-email"]);
  });

  it("--format json on a valid file", async () => {
    const { code, stdout } = await run("-f", EXAMPLE, "--format", "json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ valid: true, diagnostics: [] });
  });

  it.each([
    ["a missing file", ["-f", "nope.yaml"], "error: cannot read nope.yaml: no such file\n"],
    ["a folder holding no workspace file or library", ["-f", "empty-folder"], "error: no workspace file or library (a YAML file with workspace: or kind: library) in empty-folder\n"],
    ["a device that never ends", ["-f", "/dev/zero"], "error: cannot read /dev/zero: not a regular file\n"],
  ])("%s is a one-line error, exit 1, no stack trace", async (_name, args, message) => {
    const { code, stdout, stderr } = await run(...args);
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: "", stderr: message });
  });

  it("an unreadable file is a one-line error (as root too: the CLI then runs without root's file-permission override)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "antryk-validate-unreadable-"));
    try {
      chmodSync(dir, 0o755);
      const file = join(dir, "secret.yaml");
      writeFileSync(file, "version: 1\n");
      chmodSync(file, 0o000);
      const as: RunAs = { cwd: dir, withoutFileOverride: process.getuid?.() === 0 };
      const { code, stdout, stderr } = await runAs(as, "-f", file);
      expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: "", stderr: `error: cannot read ${file}: permission denied\n` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["6,000 levels (over 2 MiB: only the fast parser may read it)", 6_000, ["yaml-unsupported"]],
    ["1,500 levels (the general yaml parser reads it or reports it too deep)", 1_500, ["yaml-too-deep", "missing-key", "unknown-key"]],
  ])("deep block nesting, %s, is a diagnostic and exit 1, never an internal error", async (_name, levels, codes) => {
    const lines = Array.from({ length: levels }, (_, i) => `${" ".repeat(i)}k${i}:`);
    writeFileSync(join(cwd, "deep-block.yaml"), `${lines.join("\n")} x\n`);
    const r = await run("-f", "deep-block.yaml", "--format", "json");
    expect([r.code, r.stderr]).toEqual([1, ""]);
    const found = (JSON.parse(r.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    expect(found.length).toBeGreaterThan(0);
    expect(codes).toEqual(expect.arrayContaining([...new Set(found)]));
  });

  it("binary garbage is a diagnostic, exit 1", async () => {
    writeFileSync(join(cwd, "garbage.yaml"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff]));
    const { code, stdout, stderr } = await run("-f", "garbage.yaml");
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(stdout).toBe("garbage.yaml:1:1 error not-text the file is not UTF-8 text; is it binary?\ngarbage.yaml: invalid (1 error, 0 warnings)\n");
  });

  it.each([
    ["an alias bomb", "alias-bomb.yaml", "yaml-alias-limit"],
    ["deeply nested YAML", "deep-nesting.yaml", "yaml-too-deep"],
    ["binary garbage", "binary.yaml", "not-text"],
  ])("hostile input from the corpus (%s) is a diagnostic and exit 1, never a crash", async (_name, fixture, code) => {
    const file = join(ROOT, "test", "fixtures", "invalid", fixture);
    const r = await run("-f", file, "--format", "json");
    expect([r.code, r.stderr]).toEqual([1, ""]);
    expect((JSON.parse(r.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code)).toEqual([code]);
  });

  it("a 50 MB file is refused with one diagnostic, exit 1", async () => {
    const line = "  - email: someone@example.com\n    role: developer\n";
    writeFileSync(join(cwd, "huge.yaml"), `version: 1\nworkspace: w\nmembers:\n${line.repeat(Math.ceil((50 * 2 ** 20) / line.length))}`);
    const r = await run("-f", "huge.yaml");
    expect([r.code, r.stderr]).toEqual([1, ""]);
    expect(r.stdout).toMatch(/^huge\.yaml:1:1 error file-too-large the file is 50\.\d MiB; access files are limited to 32 MiB\n/);
  });

  it("rejects an unknown --format", async () => {
    const { code, stderr } = await run("--format", "xml");
    expect(code).toBe(1);
    expect(stderr).toContain("xml");
  });

  it("--help shows an example", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("antryk-access validate -f examples/access.yaml");
    expect(stdout).toContain("--format <format>");
  });
});
