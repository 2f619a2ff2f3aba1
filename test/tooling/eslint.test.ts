import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The project's own eslint.config.js can fail: it is copied, with the tsconfigs it reads,
 * into a temp project (node_modules linked) beside small probe files, and linted there
 * through the ESLint Node API. Each probe breaks one rule (a non-exhaustive switch, a
 * floating promise, an import across the stage order, an import cycle, a stale disable comment, an
 * undefined name in the dashboard) and must be reported; the allowed imports must not.
 */
const ROOT = join(import.meta.dirname, "..", "..");

const PROBES: Record<string, string> = {
  "cli/target.ts": `export const target = "cli";\n`,
  "server/start.ts": `export const start = "server";\n`,
  "reconciler/plan.ts": `export type Kind = "invite" | "remove" | "update";\n`,
  "reconciler/switch.ts": [
    `import type { Kind } from "./plan.js";`,
    `export function verb(k: Kind): string {`,
    `  switch (k) {`,
    `    case "invite":`,
    `      return "+";`,
    `    default:`,
    `      return "~";`,
    `  }`,
    `}`,
    ``,
  ].join("\n"),
  "reconciler/floating.ts": `export async function work(): Promise<void> {}\nexport function caller(): void {\n  work();\n}\n`,
  "reconciler/imports-cli.ts": `import { target } from "../cli/target.js";\nexport const t = target;\n`,
  "reconciler/apply/imports-server.ts": `export async function load(): Promise<string> {\n  return (await import("../../server/start.js")).start;\n}\n`,
  "schema/imports-reconciler.ts": `export type { Kind } from "../reconciler/plan.js";\n`,
  "client/imports-reconciler.ts": `import type { Kind } from "../reconciler/plan.js";\nexport type K = Kind;\n`,
  "errors.ts": `export class ProbeError extends Error {}\n`,
  "describe-error.ts": `export const describe = (e: unknown): string => String(e);\n`,
  "schema/api.ts": `export type Email = string;\n`,
  "client/imports-describe-error.ts": `import { describe } from "../describe-error.js";\nexport const d = describe;\n`,
  "client/imports-schema-and-errors.ts": `import type { Email } from "../schema/api.js";\nimport { ProbeError } from "../errors.js";\nexport const e: Email = new ProbeError().message;\n`,
  "provider/imports-cli.ts": `import { target } from "../cli/target.js";\nexport const t = target;\n`,
  "reconciler/stale-disable.ts": `// eslint-disable-next-line @typescript-eslint/no-floating-promises\nexport const n = 1;\n`,
  "cli/imports-reconciler.ts": `import type { Kind } from "../reconciler/plan.js";\nimport { target } from "./target.js";\nexport const k: Kind | string = target;\n`,
  "test/imports-cli.ts": `import { target } from "../cli/target.js";\nexport const t = target;\n`,
  "reconciler/cycle-a.ts": `import { b } from "./cycle-b.js";\nexport const a = (): string => b;\n`,
  "reconciler/cycle-b.ts": `import { a } from "./cycle-a.js";\nexport const b = String(a);\n`,
  "server/dashboard/assets/probe.js": `export function show() {\n  return undefinedGlobal;\n}\n`,
};

let dir: string;
let results: Map<string, string[]>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "antryk-eslint-"));
  for (const file of ["eslint.config.js", "tsconfig.json", "tsconfig.lint.json", "package.json"]) copyFileSync(join(ROOT, file), join(dir, file));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  for (const [file, text] of Object.entries(PROBES)) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const eslint = new ESLint({ cwd: dir });
  const linted = await eslint.lintFiles(Object.keys(PROBES));
  results = new Map(linted.map((r) => [r.filePath.slice(dir.length + 1), r.messages.map((m) => m.ruleId ?? m.message)]));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("eslint.config.js", () => {
  it.each([
    ["reconciler/switch.ts", "@typescript-eslint/switch-exhaustiveness-check"],
    ["reconciler/floating.ts", "@typescript-eslint/no-floating-promises"],
    ["reconciler/imports-cli.ts", "no-restricted-imports"],
    ["reconciler/apply/imports-server.ts", "no-restricted-syntax"],
    ["schema/imports-reconciler.ts", "no-restricted-imports"],
    ["client/imports-reconciler.ts", "no-restricted-imports"],
    ["client/imports-describe-error.ts", "no-restricted-imports"],
    ["provider/imports-cli.ts", "no-restricted-imports"],
    ["reconciler/stale-disable.ts", "Unused eslint-disable directive (no problems were reported from '@typescript-eslint/no-floating-promises')."],
    ["server/dashboard/assets/probe.js", "no-undef"],
    ["reconciler/cycle-a.ts", "import-x/no-cycle"],
    ["reconciler/cycle-b.ts", "import-x/no-cycle"],
  ])("reports %s (%s)", (file, rule) => {
    expect(results.get(file)).toEqual([rule]);
  });

  it.each(["cli/imports-reconciler.ts", "client/imports-schema-and-errors.ts", "test/imports-cli.ts", "reconciler/plan.ts", "cli/target.ts"])("allows %s", (file) => {
    expect(results.get(file)).toEqual([]);
  });
});
