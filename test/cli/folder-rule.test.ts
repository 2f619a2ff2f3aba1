import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyYaml } from "../../schema/library/classify.js";

/**
 * The folder rule parses (docs/access-yaml.md, "The folder rule"): every YAML file of a
 * folder is classified by its parsed top-level keys, so a BOM, a flow map, an indented map or
 * `? workspace` is a workspace file like any other; a file with access keys that is neither a
 * workspace file nor a library (`Workspace:`, `workspce:`) is an error naming the file and the
 * key; other YAML files are listed as ignored. Through the built CLI, in a temp folder.
 */

const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
let cwd: string;

const body = (workspace: string) => `version: 1\nowner: founder@acme.io\nmembers:\n  - email: a-${workspace}@acme.io\n    role: account-admin\n`;

const FILES: Record<string, string> = {
  "bom.yaml": `\uFEFFworkspace: ws-bom\n${body("bom")}`,
  "flow.yaml": `{version: 1, workspace: ws-flow, members: [{email: a@acme.io, role: account-admin}]}\n`,
  "indented.yaml": `  workspace: ws-indented\n${body("indented").replace(/^/gm, "  ").trimEnd()}\n`,
  "question.yaml": `? workspace\n: ws-question\n${body("question")}`,
  "capital.yaml": `Workspace: acme-prod\n${body("capital")}`,
  "typo.yml": `workspce: acme-stage\n${body("typo")}`,
  "ci/build.yml": "name: build\non: [push]\njobs: {}\n",
};

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -p .\` first (npm test builds)`);
  cwd = mkdtempSync(join(tmpdir(), "antryk-folder-rule-"));
  mkdirSync(join(cwd, "access/ci"), { recursive: true });
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(cwd, "access", name), text);
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, CI: "", NO_COLOR: "1", ANTRYK_API_URL: "", ANTRYK_TOKEN: "" } }, (err, stdout, stderr) => {
      done({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr });
    });
  });
}

describe("classifyYaml", () => {
  it.each([
    ["a BOM", FILES["bom.yaml"]!, "workspace"],
    ["a flow map", FILES["flow.yaml"]!, "workspace"],
    ["an indented map", FILES["indented.yaml"]!, "workspace"],
    ["? workspace", FILES["question.yaml"]!, "workspace"],
    ["Workspace:", FILES["capital.yaml"]!, "suspect"],
    ["workspce:", FILES["typo.yml"]!, "suspect"],
    ["a library", "kind: library\nroles: {}\n", "library"],
    ["a library as a flow map", "{kind: library, roles: {}}\n", "library"],
    ["roles without workspace", "version: 1\nroles: {}\n", "suspect"],
    ["a CI config", FILES["ci/build.yml"]!, "other"],
    ["a list", "- a\n- b\n", "other"],
  ])("%s", (_name, text, kind) => {
    expect(classifyYaml("f.yaml", text).kind).toBe(kind);
  });
});

describe("validate -f FOLDER", () => {
  it("validates every workspace file however its map is written, refuses look-alikes naming file and key, lists the rest as ignored", async () => {
    const r = await cli("validate", "-f", "access");
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain("access/capital.yaml:1:1 error not-a-workspace-file Workspace looks like a misspelling of workspace");
    expect(r.stdout).toContain("access/typo.yml:1:1 error not-a-workspace-file workspce looks like a misspelling of workspace");
    for (const f of ["bom.yaml", "flow.yaml", "indented.yaml", "question.yaml"]) expect(r.stdout).toContain(`access/${f}: valid`);
    expect(r.stdout).toContain("Ignored (no access keys: not a workspace file or a library): access/ci/build.yml");
    expect(r.stdout).toContain("4 workspace files and 0 libraries: invalid");
  });

  it("plan refuses the folder before reading anything, naming the look-alikes", async () => {
    const r = await cli("plan", "-f", "access", "--local");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("access/typo.yml:1:1 error not-a-workspace-file");
    expect(existsSync(join(cwd, ".antryk"))).toBe(false);
  });
});
