import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Look-alike identities through the built CLI: a local part that mixes scripts is a warning
 * in validate and plan; one that reads the same as another person's of the file is an error
 * naming both places.
 */

const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
let cwd: string;

const file = (emails: string[]) =>
  `version: 1\nworkspace: acme-prod\nowner: founder@acme.io\nmembers:\n${emails.map((e) => `  - email: ${e}\n    role: developer\n`).join("")}`;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -p .\` first (npm test builds)`);
  cwd = mkdtempSync(join(tmpdir(), "antryk-look-alikes-"));
  writeFileSync(join(cwd, "twins.yaml"), file(["alice@acme.io", "\u0430lice@acme.io"]));
  writeFileSync(join(cwd, "mixed.yaml"), file(["b\u043eb@acme.io"]));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, CI: "", NO_COLOR: "1", ANTRYK_API_URL: "", ANTRYK_TOKEN: "" } }, (err, stdout, stderr) => {
      done({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr });
    });
  });
}

describe("look-alike e-mails", () => {
  it("validate: two people who read as one is an error naming both places", async () => {
    const r = await cli("validate", "-f", "twins.yaml");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('twins.yaml:7:12 error look-alike-email "\u0430lice@acme.io" reads the same as "alice@acme.io" at twins.yaml:5:12');
    expect(r.stdout).toContain("twins.yaml:7:12 warning mixed-script-email");
  });

  it("validate and plan: a mixed-script local part is a warning", async () => {
    const v = await cli("validate", "-f", "mixed.yaml");
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toContain("mixed.yaml:5:12 warning mixed-script-email");
    const p = await cli("plan", "-f", "mixed.yaml", "--local");
    expect(p.code, p.stdout + p.stderr).toBe(0);
    expect(p.stderr).toContain("mixed.yaml:5:12 warning mixed-script-email");
  });
});
