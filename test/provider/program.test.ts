import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initWorkspace } from "../../server/index.js";
import { EngineResource, ProviderHost, REPO_ROOT, secret, stripAntrykEnv } from "./harness.js";
import { makeProgramDir, providerTexts, RESOURCE_TYPES, startWorkspace } from "./fixtures.js";

// examples/pulumi/index.ts as a Pulumi program under pulumi.runtime.setMocks: it
// type-checks against the compiled antryk-access/provider, and registers the three
// resources with the inputs the README promises.

const run = promisify(execFile);
const EXAMPLE = path.join(REPO_ROOT, "examples/pulumi/index.ts");

// The program folder sits in a project folder beside access.yaml, as in examples/: the
// WorkspaceAccess's `file: "../access.yaml"` resolves to a copy of examples/access.yaml.
let projectDir: string;
let programDir: string;
beforeAll(async () => {
  projectDir = await makeProgramDir();
  programDir = path.join(projectDir, "pulumi");
  await mkdir(programDir);
  await rename(path.join(projectDir, "node_modules"), path.join(programDir, "node_modules"));
  await rename(path.join(projectDir, "package.json"), path.join(programDir, "package.json"));
  await copyFile(path.join(REPO_ROOT, "examples/access.yaml"), path.join(projectDir, "access.yaml"));
  const source = await readFile(EXAMPLE, "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  await writeFile(path.join(programDir, "index.js"), js);
});
afterAll(async () => {
  await rm(projectDir, { recursive: true, force: true });
});

async function runProgram(config: Record<string, string> = {}, entry = "index.js") {
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, "test/provider/program-child.mjs"), programDir, entry], {
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
    // the manager id each resource writes as, from the engine's context: project, stack and its URN as the native provider names it (the same id in both doors)
    expect(prod!.inputs.manager).toBe("pulumi:acme-access/dev/urn:pulumi:dev::acme-access::antryk:index:WorkspaceAccess::acme-prod");
    expect(dana!.inputs.manager).toBe("pulumi:acme-access/dev/urn:pulumi:dev::acme-access::antryk:index:Member::sandbox-dana");
    expect(role!.inputs.manager).toBe("pulumi:acme-access/dev/urn:pulumi:dev::acme-access::antryk:index:CustomRole::sandbox-release-manager");
    expect(prod!.inputs).toMatchObject({ workspace: "acme-prod", file: "../access.yaml" });
    expect(prod!.inputs).not.toHaveProperty("document");
    expect(role!.inputs).toMatchObject({
      workspace: "acme-sandbox",
      roleName: "release-manager",
      permissions: ["deployments:read", "deployments:create", "logs:read"],
    });
    expect(dana!.inputs).toMatchObject({ workspace: "acme-sandbox", email: "dana@acme.io", role: "release-manager", permissions: ["config:read"] });
    // The sandbox resources name their own credential; prod uses the default.
    expect(prod!.inputs).not.toHaveProperty("tokenConfig");
    expect(role!.inputs).toMatchObject({ tokenConfig: "antryk:sandboxToken" });
    expect(dana!.inputs).toMatchObject({ tokenConfig: "antryk:sandboxToken" });
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

  it("converges against one server holding both workspaces, each with its own token", async () => {
    const { registered } = await runProgram();
    const ws = await startWorkspace({ workspace: "acme-prod", owner: "founder@acme.io" });
    const sandboxToken = initWorkspace(ws.dbPath, { workspace: "acme-sandbox", owner: "lab@acme.io" });
    const texts = await providerTexts();
    const host = await ProviderHost.start({ cwd: programDir, env: stripAntrykEnv(process.env) });
    try {
      // The stack config the example's README asks for.
      await host.configure({ "antryk:apiUrl": ws.url, "antryk:token": secret(ws.ownerToken), "antryk:sandboxToken": secret(sandboxToken) });
      const kindOf = (type: string) => type.split(":").pop() as keyof typeof RESOURCE_TYPES;
      const resources = registered.map((r) => ({ inputs: r.inputs, engine: new EngineResource(host, r.type, r.name, texts[kindOf(r.type)]) }));
      for (const r of resources) expect(await r.engine.register(r.inputs)).toBe("create");
      // Converged: a second `pulumi up` changes nothing.
      for (const r of resources) expect(await r.engine.register(r.inputs)).toBe("same");
      expect(resources[0]!.engine.state!.outputs).toMatchObject({ drift: { total: 0 }, owner: "founder@acme.io" });
      expect(resources[2]!.engine.state!.outputs).toMatchObject({ status: "pending", role: "release-manager" });
      const everything = host.transcript() + host.output() + JSON.stringify(resources.map((r) => r.engine.state));
      expect(everything).not.toContain(ws.ownerToken);
      expect(everything).not.toContain(sandboxToken);
    } finally {
      await host.stop();
      await ws.close();
    }
  });

  it("a secret document is registered with documentSecret, so outputs derived from it are stored as secrets", async () => {
    await writeFile(
      path.join(programDir, "secret.js"),
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'import { WorkspaceAccess } from "antryk-access/provider";',
        'export const plainDoc = new WorkspaceAccess("plain", { workspace: "w", document: { members: [] } });',
        'export const secretDoc = new WorkspaceAccess("secret", { workspace: "w", document: pulumi.secret({ members: [] }) });',
        'export const fromFile = new WorkspaceAccess("file", { workspace: "w", file: "access.yaml" });',
      ].join("\n"),
    );
    const { registered } = await runProgram({}, "secret.js");
    expect(Object.fromEntries(registered.map((r) => [r.name, r.inputs.documentSecret]))).toEqual({ plain: false, secret: true, file: undefined });
  });
});
