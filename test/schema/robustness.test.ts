import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadAccessFile, parseAccessText } from "../../schema/load.js";
import { HEAD, NOW } from "./helpers.js";

/**
 * Hostile and broken input: each case must come back as diagnostics (an error, no desired
 * state), never as a throw, a hang or a crash. Big inputs are generated here, not committed.
 */
const dir = mkdtempSync(join(tmpdir(), "antryk-robust-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadGenerated(name: string, content: string | Buffer) {
  const file = join(dir, name);
  writeFileSync(file, content);
  const started = performance.now();
  const result = await loadAccessFile(file, { now: NOW });
  return { result, ms: performance.now() - started, codes: result.diagnostics.map((d) => d.code) };
}

describe("hostile input", () => {
  it("a 50 MB file is refused before parsing", async () => {
    const line = "  - email: someone@example.com\n    role: developer\n";
    const { result, codes } = await loadGenerated("huge.yaml", HEAD + "members:\n" + line.repeat(Math.ceil((50 * 2 ** 20) / line.length)));
    expect(result.desired).toBeNull();
    expect(codes).toEqual(["file-too-large"]);
    expect(result.diagnostics[0]!.message).toMatch(/50\.\d MiB.*32 MiB/);
  });

  it("a 50 MB string given to parseAccessText is refused too", () => {
    const { desired, diagnostics } = parseAccessText("#".repeat(50 * 2 ** 20), "big.yaml");
    expect(desired).toBeNull();
    expect(diagnostics.map((d) => d.code)).toEqual(["file-too-large"]);
  });

  it("a 3 MB file that leaves plain YAML is refused with the line where it does", async () => {
    const members = Array.from({ length: 60_000 }, (_, i) => `  - email: user${i}@example.com\n    role: developer\n`).join("");
    const { result, codes, ms } = await loadGenerated("anchored.yaml", `${HEAD}members:\n${members}  - email: &e last@example.com\n    role: developer\n`);
    expect(codes).toEqual(["yaml-unsupported"]);
    expect(result.diagnostics[0]!.line).toBe(5 + 120_000);
    expect(ms).toBeLessThan(20_000);
  });

  it.each([
    ["flow brackets, 100,000 deep", `${HEAD}members: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`],
    ["flow maps, 50,000 deep", `${HEAD}members: ${"{a: ".repeat(50_000)}1${"}".repeat(50_000)}\n`],
    ["block maps, 1,500 deep", HEAD + Array.from({ length: 1500 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " x\n"],
    ["block lists, 1,500 deep", HEAD + "members:\n" + Array.from({ length: 1500 }, (_, i) => `${" ".repeat(i * 2)}- `).join("\n") + "x\n"],
  ])("deeply nested YAML (%s) is an error, not a crash", async (_name, text) => {
    const { result, ms } = await loadGenerated("deep.yaml", text);
    expect(result.desired).toBeNull();
    expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
    expect(ms).toBeLessThan(20_000);
  });

  it("an alias bomb (9^10 nodes) stops at the alias limit, quickly", async () => {
    const levels = Array.from({ length: 10 }, (_, i) => {
      const name = String.fromCharCode(97 + i);
      const items = i === 0 ? Array(9).fill('"lol"') : Array(9).fill(`*${String.fromCharCode(96 + i)}`);
      return `x-${name}: &${name} [${items.join(", ")}]`;
    });
    const { codes, ms } = await loadGenerated("bomb.yaml", `${HEAD}${levels.join("\n")}\n`);
    expect(codes).toEqual(["yaml-alias-limit"]);
    expect(ms).toBeLessThan(5_000);
  });

  it("an alias bomb hidden inside members also stops", async () => {
    const text = `${HEAD}x: &a [a, a, a, a, a, a, a, a, a, a]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nmembers: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    const { codes } = await loadGenerated("bomb2.yaml", text);
    expect(codes).toEqual(["yaml-alias-limit"]);
  });

  it.each([
    ["PNG header", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ["NUL inside text", Buffer.from(`${HEAD}members:\0\n`)],
    ["invalid UTF-8", Buffer.from([0x76, 0x3a, 0x20, 0xc3, 0x28])],
    ["UTF-16 with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEAD, "utf16le")])],
  ])("binary input (%s) is not-text", async (_name, bytes) => {
    const { codes } = await loadGenerated("binary.yaml", bytes);
    expect(codes).toEqual(["not-text"]);
  });

  it("random bytes never throw", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const file = join(dir, "random.yaml");
        writeFileSync(file, bytes);
        const result = await loadAccessFile(file, { now: NOW });
        expect(result.desired === null).toBe(result.diagnostics.some((d) => d.severity === "error"));
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it("random text never throws and every diagnostic has a real position", () => {
    const yamlish = fc.array(fc.constantFrom("members:", "\n", "  ", "- ", "email: ", "a@b.io", "role: ", "developer", "[", "]", ",", "&x ", "*x", "'", '"', "#", ": ", "{", "}", "|", "\t", "---", "version: 1", "\u00e9"), { maxLength: 60 });
    fc.assert(
      fc.property(yamlish, (parts) => {
        const text = parts.join("");
        const { desired, diagnostics } = parseAccessText(text, "x.yaml", { now: NOW });
        expect(desired === null).toBe(diagnostics.some((d) => d.severity === "error"));
        const lines = text.split("\n").length;
        for (const d of diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines + 1);
          expect(d.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 1000, seed: 3 },
    );
  });
});

describe("scale", () => {
  it("100,000 members validate, and a duplicate at the very end is found", async () => {
    const members = Array.from({ length: 100_000 }, (_, i) => `  - email: user${i}@example.com\n    role: ${i < 2 ? "account-admin" : "developer"}\n`).join("");
    const clean = await loadGenerated("100k.yaml", `${HEAD}members:\n${members}`);
    expect(clean.result.diagnostics).toEqual([]);
    expect(clean.result.desired!.members).toHaveLength(100_000);
    expect(clean.ms).toBeLessThan(30_000); // the bench measures the real figure; this only catches a quadratic path

    const dup = await loadGenerated("100k-dup.yaml", `${HEAD}members:\n${members}  - email: USER7@example.com\n    role: developer\n`);
    expect(dup.result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([`${5 + 200_000}:12 duplicate-email`]);
  });
});
