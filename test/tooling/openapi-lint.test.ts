import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * schema/openapi.yaml through an independent linter: Redocly CLI's recommended ruleset
 * (`redocly lint`), from node_modules, offline (telemetry and the update check off).
 * Zero errors; warnings are allowed (tags without descriptions).
 */
const ROOT = join(import.meta.dirname, "..", "..");
const REDOCLY = join(ROOT, "node_modules", ".bin", "redocly");

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { start?: { line: number; col: number } }[] }[];
}

function lint(file: string): Promise<LintReport> {
  const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };
  return new Promise((resolve, reject) => {
    // redocly exits 1 when it finds errors; the JSON report on stdout is what we judge.
    execFile(REDOCLY, ["lint", "--format=json", file], { cwd: ROOT, env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as LintReport);
      } catch {
        reject(new Error(`redocly lint printed no report (${err?.message ?? "exit 0"}): ${stderr}`));
      }
    });
  });
}

describe("schema/openapi.yaml under redocly lint", () => {
  it("has zero errors", async () => {
    const report = await lint("schema/openapi.yaml");
    const errors = report.problems
      .filter((p) => p.severity === "error")
      .map((p) => `${p.location[0]?.start?.line}:${p.location[0]?.start?.col} ${p.ruleId} ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });
});
