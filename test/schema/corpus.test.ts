import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAccessFile } from "../../schema/load.js";

/**
 * The invalid-file corpus: every file in test/fixtures/invalid/ has its expected
 * diagnostics in expected.json as "line:column severity code" ("*" matches any column).
 * The list must be exact: no missing finding, no extra noise.
 */
const dir = join(import.meta.dirname, "..", "fixtures", "invalid");
const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Record<string, string[]>;
const NOW = new Date("2026-11-27T12:00:00Z");

describe("invalid-file corpus", () => {
  it("has at least 40 files, each with expectations", () => {
    const files = readdirSync(dir).filter((f) => f !== "expected.json");
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("%s", async (file, want) => {
    const result = await loadAccessFile(join(dir, file), { now: NOW });
    expect(result.desired).toBeNull();
    const got = result.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => {
      const pattern = new RegExp(`^${w.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace("*", "\\d+")}$`);
      expect(got[i]).toMatch(pattern);
    });
    for (const d of result.diagnostics) {
      expect(d.file).toBe(join(dir, file));
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.message).not.toContain("\n");
    }
  });
});
