import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../schema/diagnostics.js";
import { findFiles, loadAll } from "../../schema/library/files.js";
import { loadFile, type LoadedFile } from "../../schema/library/index.js";

/**
 * Imports stay inside the repository: the folder of the first file or folder given to
 * -f, or the git work tree containing it, whichever is wider, symlinks resolved. Anything
 * else is one `import-outside` error, the same whether the target exists or not, and
 * nothing outside is read.
 */

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "antryk-imports-"));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const LIB = "version: 1\nkind: library\nroles:\n  support:\n    permissions: [logs:read]\n";
const WS = (imports: string) => `version: 1\nworkspace: acme-prod\nowner: founder@acme.io\nimports: [${JSON.stringify(imports)}]\nmembers:\n  - email: alice@acme.io\n    role: support\n`;
const codes = (r: LoadedFile) => r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
const messages = (r: LoadedFile) => r.diagnostics.map(formatDiagnostic).join("\n");

describe("an import outside the repository", () => {
  it.each([
    ["an existing file above the folder", "../outside/lib.yaml"],
    ["a missing file above the folder", "../outside/missing.yaml"],
    ["a system file", "../../../../../../../../etc/passwd"],
    ["a missing system file", "../../../../../../../../etc/nope-nothing-here"],
  ])("is refused: %s, with one error that does not tell whether it exists", async (_name, target) => {
    write({ "outside/lib.yaml": LIB, "repo/prod.yaml": WS(target) });
    const result = await loadFile("repo/prod.yaml");
    expect(codes(result)).toEqual(["import-outside", "unknown-role"]);
    const outside = result.diagnostics.find((d) => d.code === "import-outside")!;
    expect(outside.message).toBe(`import "${target}" is outside repo: imports must stay inside the folder of the first file given to -f or the git work tree that contains it`);
    expect(messages(result)).not.toMatch(/no such file|cannot read|not a library/);
  });

  it.each([
    ["an existing file", "outside/lib.yaml"],
    ["a missing file", "outside/missing.yaml"],
  ])("is refused through a symlink inside the folder that points out of it: %s", async (_name, target) => {
    write({ "outside/lib.yaml": LIB, "repo/prod.yaml": WS("shared/lib.yaml") });
    mkdirSync(join(dir, "repo/shared"));
    symlinkSync(join(dir, target), join(dir, "repo/shared/lib.yaml"));
    const result = await loadFile("repo/prod.yaml");
    expect(codes(result)).toEqual(["import-outside", "unknown-role"]);
  });

  it("is allowed above the file's folder when inside the git work tree that contains it", async () => {
    write({ ".git/HEAD": "ref: refs/heads/main\n", "shared/lib.yaml": LIB, "workspaces/prod.yaml": WS("../shared/lib.yaml") });
    const result = await loadFile("workspaces/prod.yaml");
    expect(codes(result)).toEqual([]);
  });

  it("is allowed through a symlink that stays inside", async () => {
    write({ "repo/real/lib.yaml": LIB, "repo/prod.yaml": WS("linked/lib.yaml") });
    symlinkSync(join(dir, "repo/real"), join(dir, "repo/linked"));
    expect(codes(await loadFile("repo/prod.yaml"))).toEqual([]);
  });

  it("a folder given to -f is the boundary of the files under it (no git)", async () => {
    write({ "access/shared/lib.yaml": LIB, "access/prod/prod.yaml": WS("../shared/lib.yaml"), "elsewhere/lib.yaml": LIB, "access/staging/staging.yaml": WS("../../elsewhere/lib.yaml").replace("acme-prod", "acme-staging") });
    const { results } = await loadAll(await findFiles(["access"]));
    const byFile = Object.fromEntries(results.map((r) => [r.file, codes(r)]));
    expect(byFile[join("access", "prod", "prod.yaml")]).toEqual([]);
    expect(byFile[join("access", "staging", "staging.yaml")]).toEqual(["import-outside", "unknown-role"]);
  });
});
