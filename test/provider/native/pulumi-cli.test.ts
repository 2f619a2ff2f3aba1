import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness.js";

// The SDKs for Python, Go and .NET are generated from schema/pulumi/schema.json by the
// Pulumi CLI (`pulumi package gen-sdk`). This runs only where the CLI is installed; where
// it is not (as on the machine this project is developed on), it is skipped and says so:
// those SDKs are documented, never claimed as tested.

const run = promisify(execFile);

function pulumiCli(): string | null {
  try {
    return execFileSync("pulumi", ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

const version = pulumiCli();
if (version === null) {
  process.stderr.write("antryk-access: the Pulumi CLI is not installed: SKIPPED generating the Python, Go and .NET SDKs with `pulumi package gen-sdk` (not tested here)\n");
}

describe.skipIf(version === null)(`pulumi package gen-sdk (${version ?? "SKIPPED: the Pulumi CLI is not installed"})`, () => {
  it.each(["python", "go", "dotnet"])("generates the %s SDK from schema/pulumi/schema.json", async (language) => {
    const out = await mkdtemp(path.join(os.tmpdir(), `antryk-sdk-${language}-`));
    try {
      await run("pulumi", ["package", "gen-sdk", path.join(REPO_ROOT, "schema/pulumi/schema.json"), "--language", language, "--out", out], { cwd: REPO_ROOT });
      expect(existsSync(path.join(out, language))).toBe(true);
      if (language === "python") await run("python3", ["-m", "compileall", "-q", path.join(out, "python")]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
