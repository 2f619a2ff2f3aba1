import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness.js";
import { makeProgramDir } from "./fixtures.js";

// examples/pulumi/index.ts as a Pulumi program under pulumi.runtime.setMocks: it
// type-checks against the compiled antryk-access/provider, and registers the three
// resources with the inputs the README promises.

const run = promisify(execFile);
const EXAMPLE = path.join(REPO_ROOT, "examples/pulumi/index.ts");

let programDir: string;
beforeAll(async () => {
  programDir = await makeProgramDir();
  const source = await readFile(EXAMPLE, "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  await writeFile(path.join(programDir, "index.js"), js);
});
afterAll(async () => {
  await rm(programDir, { recursive: true, force: true });
});

async function runProgram(config: Record<string, string> = {}) {
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, "test/provider/program-child.mjs"), programDir], {
    cwd: programDir,
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config) },
  });
  return JSON.parse(stdout) as {
    registered: { type: string; name: string; inputs: Record<string, unknown>; providerTextLength: number }[];
    exports: Record<string, unknown>;
  };
}

describe("examples/pulumi", () => {
  it("type-checks against the compiled antryk-access/provider", () => {
    const program = ts.createProgram([EXAMPLE], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
      typeRoots: [path.join(REPO_ROOT, "node_modules/@types")],
      // The example's package.json depends on antryk-access; here it is this repository's build.
      paths: { "antryk-access/provider": [path.join(REPO_ROOT, "dist/provider/index.d.ts")] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });

  it("registers a WorkspaceAccess from ../access.yaml, a CustomRole and a Member, with their inputs", async () => {
    const { registered, exports } = await runProgram();
    expect(registered.map((r) => [r.type, r.name])).toEqual([
      ["pulumi-nodejs:dynamic/antryk:WorkspaceAccess", "acme-prod"],
      ["pulumi-nodejs:dynamic/antryk:CustomRole", "sandbox-release-manager"],
      ["pulumi-nodejs:dynamic/antryk:Member", "sandbox-dana"],
    ]);
    const [prod, role, dana] = registered;
    expect(prod!.inputs).toMatchObject({ workspace: "acme-prod", file: "../access.yaml" });
    expect(prod!.inputs).not.toHaveProperty("document");
    expect(role!.inputs).toMatchObject({
      workspace: "acme-sandbox",
      roleName: "release-manager",
      permissions: ["deployments:read", "deployments:create", "logs:read"],
    });
    expect(dana!.inputs).toMatchObject({ workspace: "acme-sandbox", email: "dana@acme.io", role: "release-manager", permissions: ["config:read"] });
    for (const r of registered) {
      expect(r.providerTextLength).toBeGreaterThan(500);
      // Credentials are never inputs.
      expect(Object.keys(r.inputs)).not.toContain("token");
    }
    expect(exports).toMatchObject({ prodRevision: 7, prodDrift: { total: 0 }, danaStatus: "pending" });
  });

  it("reads the sandbox workspace from stack config", async () => {
    const { registered } = await runProgram({ "acme-access:sandboxWorkspace": "acme-lab" });
    expect(registered.filter((r) => r.inputs.workspace === "acme-lab").map((r) => r.name)).toEqual(["sandbox-release-manager", "sandbox-dana"]);
  });
});
