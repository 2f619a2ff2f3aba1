import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeData, escapeProperty, githubAnnotation } from "../../cli/annotations.js";
import type { Diagnostic } from "../../schema/diagnostics.js";
import { INVALID_ACCESS_YAML as INVALID } from "./invalid-file.js";

/**
 * `--format github` (validate) and `--diagnostics github` (plan, apply): findings as GitHub
 * workflow commands, escaped as @actions/core escapes them, through the built CLI.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
let cwd: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test builds)`);
  cwd = mkdtempSync(join(tmpdir(), "antryk-github-"));
  writeFileSync(join(cwd, "bad.yaml"), INVALID);
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));


const ANNOTATIONS = [
  `::error file=bad.yaml,line=7,col=19,title=unknown-permission::"deploy:create" is not a permission; did you mean "deployments:create"?`,
  `::error file=bad.yaml,line=8,col=12,title=duplicate-email::"bob@acme.io" is declared twice: in members at bad.yaml:5:12 and in members here; declare each person once`,
];

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const key of ["CI", "ANTRYK_API_URL", "ANTRYK_TOKEN"]) delete env[key];
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const diagnostic = (over: Partial<Diagnostic>): Diagnostic => ({
  severity: "error",
  code: "unknown-role",
  message: "m",
  file: "access.yaml",
  line: 3,
  column: 5,
  path: [],
  ...over,
});

describe("githubAnnotation", () => {
  it.each<[string, Partial<Diagnostic>, string]>([
    ["an error", {}, "::error file=access.yaml,line=3,col=5,title=unknown-role::m"],
    ["a warning", { severity: "warning", code: "expired-member" }, "::warning file=access.yaml,line=3,col=5,title=expired-member::m"],
    ["a message with %, CR and LF", { message: "100% sure\r\nnext: a, b" }, "::error file=access.yaml,line=3,col=5,title=unknown-role::100%25 sure%0D%0Anext: a, b"],
    ["a file with : and ,", { file: "teams/a,b:c.yaml" }, "::error file=teams/a%2Cb%3Ac.yaml,line=3,col=5,title=unknown-role::m"],
    ["an absolute file under the working directory", { file: join(process.cwd(), "infra", "access.yaml") }, "::error file=infra/access.yaml,line=3,col=5,title=unknown-role::m"],
  ])("%s", (_name, over, expected) => {
    expect(githubAnnotation(diagnostic(over), process.cwd())).toBe(expected);
  });

  it("escapes like @actions/core: data escapes %, CR, LF; properties also : and ,", () => {
    expect(escapeData("a%b\rc\nd:e,f")).toBe("a%25b%0Dc%0Ad:e,f");
    expect(escapeProperty("a%b\rc\nd:e,f")).toBe("a%25b%0Dc%0Ad%3Ae%2Cf");
  });
});

describe("the CLI", () => {
  it("validate --format github: one workflow command per finding, then the summary; exit 1", async () => {
    const { code, stdout, stderr } = await run(["validate", "-f", "bad.yaml", "--format", "github"]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(stdout).toBe([...ANNOTATIONS, "bad.yaml: invalid (2 errors, 0 warnings)", ""].join("\n"));
  });

  it.each([["plan"], ["apply"]])("%s --diagnostics github: the file's findings as workflow commands on stderr; exit 1", async (command) => {
    const { code, stdout, stderr } = await run([command, "-f", "bad.yaml", "--diagnostics", "github"]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toBe([...ANNOTATIONS, "error: bad.yaml is not valid: 2 errors; nothing was changed", ""].join("\n"));
  });

  it("plan --diagnostics github: the file's warnings as workflow commands too, before the plan (embedded workspace)", async () => {
    writeFileSync(
      join(cwd, "warned.yaml"),
      "version: 1\nworkspace: warned-ws\nowner: boss@acme.io\nmembers:\n  - email: a@acme.io\n    role: developer\n    permissions: [logs:read]\n",
    );
    const { code, stderr } = await run(["plan", "-f", "warned.yaml", "--diagnostics", "github", "--format", "json"]);
    expect(code, stderr).toBe(0);
    expect(stderr.split("\n")[1]).toMatch(/^::warning file=warned\.yaml,line=7,col=19,title=redundant-permission::/);
  });

  it("apply --help names the concurrency default once", async () => {
    const { stdout } = await run(["apply", "--help"]);
    expect(stdout).toMatch(/--concurrency <n>\s+change calls in flight at once, 1 to 64 \(default: 8\)/);
    expect(stdout).not.toMatch(/\(default 8\)/);
  });
});
