import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../e2e/harness.js";
import { installInto, pack, ROOT, run, userEnv, type NativeModule, type Packed } from "./install.js";

/**
 * The npm package from a user's side: packed from this checkout (npm test has built dist/),
 * installed into a temporary project, then used there: the CLI through its bin, the
 * library and the Pulumi provider through their package exports.
 */
let dir: string;
let packed: Packed;
let project: string;
let bin: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test builds first)");
  dir = mkdtempSync(join(tmpdir(), "antryk-pack-"));
  packed = await pack(dir);
  project = join(dir, "project");
  bin = await installInto(project, packed.tarball);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], cwd = project) {
  return run(process.execPath, [bin, ...args], cwd, userEnv());
}

function node(script: string) {
  return run(process.execPath, ["--input-type=module", "-e", script], project, userEnv());
}

describe("the packed tarball", () => {
  it("ships the license, what the README links, and no source maps or benchmarks", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain("LICENSE");
    expect(paths.filter((p) => p.endsWith(".map"))).toEqual([]);
    // No shipped file points at a source map the package does not hold (tools warn on each).
    const pkgDir = join(project, "node_modules", "antryk-access");
    const dangling = paths
      .filter((p) => p.endsWith(".js"))
      .flatMap((p) => [...readFileSync(join(pkgDir, p), "utf8").matchAll(/\/\/# sourceMappingURL=(\S+)/g)].map((m) => join(dirname(p), m[1]!)))
      .filter((map) => !paths.includes(map));
    expect(dangling).toEqual([]);
    expect(paths.filter((p) => p.startsWith("dist/bench/"))).toEqual([]);
    expect(readFileSync(join(project, "node_modules/antryk-access/LICENSE"), "utf8")).toContain("Apache License\n                           Version 2.0, January 2004");
  });

  it("resolves every relative link of its README inside the package", () => {
    const pkgDir = join(project, "node_modules", "antryk-access");
    const readme = readFileSync(join(pkgDir, "README.md"), "utf8");
    const targets = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/i.test(t));
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((t) => !existsSync(join(pkgDir, t)))).toEqual([]);
  });

  it("declares the Node.js floor it documents and no placeholder metadata", () => {
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/antryk-access/package.json"), "utf8")) as Record<string, unknown>;
    expect(manifest.engines).toEqual({ node: ">=20.18.1" });
    expect(manifest.license).toBe("Apache-2.0");
    expect(JSON.stringify(manifest)).not.toMatch(/example\.com|TODO|OWNER\/REPO/i);
  });
});

describe("installed into a project", () => {
  it("runs validate on the shipped example", async () => {
    const result = await cli(["validate", "-f", "node_modules/antryk-access/examples/access.yaml"]);
    // the example's dormant-admins judges activity, which validate cannot: one note, no error
    expect(result).toMatchObject({ code: 0, stderr: expect.stringMatching(/^note: policy dormant-admins judges activity \(inactiveFor\)[^\n]*\n$/) });
    expect(result.stdout).toMatch(/access\.yaml: valid \(0 errors/);
  });

  it("runs plan against the embedded workspace (outside CI)", async () => {
    copyFileSync(join(project, "node_modules/antryk-access/examples/access.yaml"), join(project, "access.yaml"));
    const result = await cli(["plan", "-f", "access.yaml", "--detailed-exitcode"]);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/embedded local workspace/);
    expect(result.stdout).toMatch(/^Plan: \d+ to invite/m);
  });

  it("imports the library as ESM", async () => {
    const result = await node(`
      import { loadAccessFile, computePlan, createClient } from "antryk-access";
      const { desired, diagnostics } = await loadAccessFile("node_modules/antryk-access/examples/access.yaml");
      console.log(typeof computePlan, typeof createClient, desired.workspace, diagnostics.length);`);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout.trim()).toBe("function function acme-prod 0");
  });

  it("serves the dashboard's domain core from its dist/, without TypeScript (a dev dependency)", async () => {
    const result = await node(`
      import { loadCoreModules } from "./node_modules/antryk-access/dist/server/dashboard/core.js";
      const modules = await loadCoreModules();
      console.log([...modules.keys()].includes("reconciler/review/assemble.js"), [...modules.values()].every((js) => !/\\bimport\\s+type\\b/.test(js)));`);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout.trim()).toBe("true true");
    expect(existsSync(join(project, "node_modules", "typescript"))).toBe(false);
  });

  // docs/install.md: ESM only; require() works where Node loads ESM from require by default (20.19+, 22.12+).
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  it.runIf((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23)("require()s the library on this Node.js", async () => {
    const result = await run(process.execPath, ["-e", `console.log(typeof require("antryk-access").loadAccessFile)`], project, userEnv());
    expect(result).toMatchObject({ code: 0, stdout: "function\n" });
  });

  it("imports the Pulumi provider", async () => {
    const result = await node(`
      import * as entry from "antryk-access/provider";
      import { operations } from "antryk-access/provider/operations";
      const { WorkspaceAccess, Member, CustomRole } = entry;
      console.log([WorkspaceAccess, Member, CustomRole].map((c) => typeof c).join(" "), Object.keys(operations).sort().join(","), entry.operations === operations);`);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    // The entry keeps `operations` for provider texts stored by earlier versions (provider/index.ts).
    expect(result.stdout.trim()).toBe("function function function customRole,member,workspaceAccess true");
  });

  it("ships the native plugin: the pulumi-resource-antryk bin serves and prints its port, the SDK and PulumiPlugin.yaml are there", async () => {
    const pkgDir = join(project, "node_modules/antryk-access");
    expect(existsSync(join(project, "node_modules/.bin/pulumi-resource-antryk"))).toBe(true);
    expect(readFileSync(join(pkgDir, "provider/native/PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    expect(existsSync(join(pkgDir, "schema/pulumi/schema.json"))).toBe(true);
    const child = spawn(process.execPath, [join(pkgDir, "dist/provider/native/main.js"), "127.0.0.1:1"], { cwd: project, env: userEnv() });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString("utf8");
          if (out.includes("\n")) resolve(out.split("\n")[0]!);
        });
        child.once("exit", (code) => reject(new Error(`plugin exited with ${code}`)));
      });
      expect(first).toMatch(/^\d+$/);
    } finally {
      child.kill("SIGTERM");
    }
    const sdk = await node(`import { Provider, Member } from "antryk-access/pulumi"; console.log(typeof Provider, typeof Member);`);
    expect(sdk).toMatchObject({ code: 0, stdout: "function function\n" });
  });
});

describe("antryk-access/provider without its optional peer @pulumi/pulumi", () => {
  it("says what to install instead of a bare ERR_MODULE_NOT_FOUND; the library and the CLI still work", async () => {
    const bare = join(dir, "no-pulumi");
    const bareBin = await installInto(bare, packed.tarball);
    rmSync(join(bare, "node_modules", "@pulumi", "pulumi"));
    const entry = await run(process.execPath, ["--input-type=module", "-e", `await import("antryk-access/provider")`], bare, userEnv());
    expect(entry.code).toBe(1);
    expect(entry.stderr).toContain("antryk-access/provider needs @pulumi/pulumi (an optional peer dependency, ^3.248.0), which is not installed here: run `npm install @pulumi/pulumi`");
    const library = await run(process.execPath, ["--input-type=module", "-e", `const m = await import("antryk-access"); console.log(typeof m.computePlan)`], bare, userEnv());
    expect(library).toMatchObject({ code: 0, stdout: "function\n" });
    expect((await run(process.execPath, [bareBin, "validate", "-f", "node_modules/antryk-access/examples/access.yaml"], bare, userEnv())).code).toBe(0);
  });
});

// A consumer's TypeScript project with @types/node and nothing else: the published types need
// nothing outside `dependencies` (no @types/better-sqlite3), checked with skipLibCheck off.
describe("the published types in a consumer's type check", () => {
  const settings: Record<string, { module: string; moduleResolution: string }> = {
    node16: { module: "node16", moduleResolution: "node16" },
    nodenext: { module: "nodenext", moduleResolution: "nodenext" },
    bundler: { module: "esnext", moduleResolution: "bundler" },
  };
  it.each(Object.keys(settings))("type-checks under moduleResolution %s with skipLibCheck false", async (name) => {
    const consumer = join(dir, `types-${name}`);
    mkdirSync(join(consumer, "node_modules", "@types"), { recursive: true });
    symlinkSync(join(project, "node_modules", "antryk-access"), join(consumer, "node_modules", "antryk-access"));
    for (const dep of readdirSync(join(project, "node_modules"))) {
      if (dep !== "antryk-access" && dep !== ".bin") symlinkSync(join(project, "node_modules", dep), join(consumer, "node_modules", dep));
    }
    symlinkSync(join(ROOT, "node_modules", "@types", "node"), join(consumer, "node_modules", "@types", "node"));
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { ...settings[name], target: "es2022", lib: ["es2023"], strict: true, noEmit: true, skipLibCheck: false, types: ["node"] },
        files: ["consumer.ts"],
      }),
    );
    writeFileSync(
      join(consumer, "consumer.ts"),
      [
        `import { computePlan, startServer, initWorkspace, type Plan, type ServerOptions } from "antryk-access";`,
        `import { WorkspaceAccess } from "antryk-access/provider";`,
        `import { operations } from "antryk-access/provider/operations";`,
        `const options: ServerOptions = { dbPath: ":memory:" };`,
        `export const used: unknown[] = [computePlan, startServer, initWorkspace, WorkspaceAccess, operations, options];`,
        `export type Used = Plan;`,
        "",
      ].join("\n"),
    );
    const result = await run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], consumer, userEnv());
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

describe("a missing or broken better-sqlite3", () => {
  it.each<[NativeModule, RegExp]>([
    ["absent", /better-sqlite3 is not installed/],
    ["unbuilt", /better-sqlite3 is installed but was never built/],
    ["corrupt", /better-sqlite3 is installed but its compiled addon does not load/],
  ])("%s: says what is missing and how to rebuild it, not 'internal error'", async (native, what) => {
    const broken = join(dir, `broken-${native}`);
    const brokenBin = await installInto(broken, packed.tarball, native);
    copyFileSync(join(broken, "node_modules/antryk-access/examples/access.yaml"), join(broken, "access.yaml"));
    const result = await run(process.execPath, [brokenBin, "plan", "-f", "access.yaml"], broken, userEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/internal error|    at /);
    expect(result.stderr).toMatch(what);
    expect(result.stderr).toContain("`npm rebuild better-sqlite3`");
    // validate needs no database: it still works.
    const validate = await run(process.execPath, [brokenBin, "validate", "-f", "access.yaml"], broken, userEnv());
    expect(validate.code).toBe(0);
  });

  it("is not needed against a real workspace: plan with ANTRYK_API_URL runs without it", async () => {
    const server = await startTestServer();
    try {
      const broken = join(dir, "remote-absent");
      const brokenBin = await installInto(broken, packed.tarball, "absent");
      const file = join(broken, "access.yaml");
      writeFileSync(file, `version: 1\nworkspace: ${server.workspace}\nowner: ${server.owner}\nmembers: []\n`);
      const result = await run(process.execPath, [brokenBin, "plan", "-f", "access.yaml"], broken, { ...userEnv(), ...server.env() });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/No changes/);
    } finally {
      await server.close();
    }
  });
});
