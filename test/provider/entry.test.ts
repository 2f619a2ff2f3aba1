import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness.js";

// The operations the host runs are on their own subpath (antryk-access/provider/operations);
// the public entry keeps them at run time only, for provider texts stored by earlier
// versions (provider/index.ts), and leaves them out of its type declarations.

describe("antryk-access/provider and its operations subpath", () => {
  it("the public entry's declarations do not offer operations", async () => {
    const dts = await readFile(path.join(REPO_ROOT, "dist/provider/index.d.ts"), "utf8");
    expect(dts).toMatch(/WorkspaceAccess/);
    expect(dts).not.toMatch(/\boperations\b/);
  });

  it("the subpath serves the operations, and the entry the same object for stored texts", async () => {
    const script = `
      const sub = await import("antryk-access/provider/operations");
      const entry = await import("antryk-access/provider");
      console.log(Object.keys(sub.operations).sort().join(","), entry.operations === sub.operations);`;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT });
    expect(stdout.trim()).toBe("customRole,member,workspaceAccess true");
  });
});
