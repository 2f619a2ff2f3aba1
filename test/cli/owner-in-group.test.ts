import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The owner in a group, through the built CLI: `validate` refuses it as `plan` does. With
 * `owner:` it is owner-listed-as-member at the group's item; without `owner:` validate cannot
 * know who owns the workspace offline, so a file whose groups list people must name the owner
 * (owner-required), and plan refuses the same file before reading the workspace.
 */

const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
let cwd: string;

const GROUP = "groups:\n  ops:\n    role: account-admin\n    members: [bob@acme.io, founder@acme.io]\n";

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -p .\` first (npm test builds)`);
  cwd = mkdtempSync(join(tmpdir(), "antryk-owner-in-group-"));
  writeFileSync(join(cwd, "no-owner.yaml"), `version: 1\nworkspace: acme-prod\n${GROUP}`);
  writeFileSync(join(cwd, "owner.yaml"), `version: 1\nworkspace: acme-prod\nowner: founder@acme.io\n${GROUP}`);
  writeFileSync(join(cwd, "fine.yaml"), `version: 1\nworkspace: acme-prod\nowner: founder@acme.io\ngroups:\n  ops:\n    role: account-admin\n    members: [bob@acme.io]\n`);
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, CI: "", NO_COLOR: "1", ANTRYK_API_URL: "", ANTRYK_TOKEN: "" } }, (err, stdout, stderr) => {
      done({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr });
    });
  });
}

describe("the owner in a group", () => {
  it.each([
    ["owner: absent: validate asks for it, naming the group", "no-owner.yaml", 1, 'no-owner.yaml:2:1 error owner-required group "ops" (no-owner.yaml:6:15) lists people but owner: is absent'],
    ["owner: given: the owner in the group is refused at its item", "owner.yaml", 1, 'owner.yaml:7:28 error owner-listed-as-member "founder@acme.io" is the owner (owner:)'],
    ["a group without the owner is fine", "fine.yaml", 0, "fine.yaml: valid"],
  ])("validate, %s", async (_name, file, code, line) => {
    const r = await cli("validate", "-f", file);
    expect(r.code, r.stdout + r.stderr).toBe(code);
    expect(r.stdout).toContain(line);
  });

  it("plan refuses the file without owner: with the same error, before reading any workspace", async () => {
    const r = await cli("plan", "-f", "no-owner.yaml", "--local");
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('no-owner.yaml:2:1 error owner-required group "ops"');
  });
});
