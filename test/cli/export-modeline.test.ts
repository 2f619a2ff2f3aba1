import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALLED_SCHEMA, modelineSchemaPath } from "../../cli/schema-modeline.js";
import accessSchema from "../../schema/access.schema.json" with { type: "json" };
import { assertBuilt, ROOT, runCli, startTestServer, type TestServer } from "../e2e/harness.js";

/**
 * `export` writes a yaml-language-server modeline that resolves from where the file is:
 * the schema of the antryk-access installed in the file's project, relative to the file.
 */
let dir: string;
let project: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "antryk-modeline-"));
  project = join(dir, "project");
  mkdirSync(join(project, "node_modules"), { recursive: true });
  // The package as installed: this checkout, which holds schema/access.schema.json.
  symlinkSync(ROOT, join(project, "node_modules", "antryk-access"));
  mkdirSync(join(project, "infra", "prod"), { recursive: true });
  mkdirSync(join(dir, "elsewhere"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("modelineSchemaPath", () => {
  it.each([
    ["project/access.yaml", "./node_modules/antryk-access/schema/access.schema.json"],
    ["project/infra/access.yaml", "../node_modules/antryk-access/schema/access.schema.json"],
    ["project/infra/prod/access.yaml", "../../node_modules/antryk-access/schema/access.schema.json"],
    ["elsewhere/access.yaml", null],
  ])("%s: %s", (file, expected) => {
    expect(modelineSchemaPath(join(dir, file))).toBe(expected);
  });

  it("points at a file that exists, from the output's folder", () => {
    const path = modelineSchemaPath(join(project, "infra", "prod", "access.yaml"))!;
    expect(readFileSync(join(project, "infra", "prod", path), "utf8")).toBe(readFileSync(join(ROOT, "schema", "access.schema.json"), "utf8"));
    expect(INSTALLED_SCHEMA).toBe(join("node_modules", "antryk-access", "schema", "access.schema.json"));
  });
});

describe("the schema", () => {
  it("has a stable $id", () => {
    expect((accessSchema as { $id?: string }).$id).toBe("urn:antryk-access:access.schema.json:v1");
  });
});

describe("export -o", () => {
  let server: TestServer;
  beforeAll(async () => {
    assertBuilt();
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const firstLine = (path: string) => readFileSync(path, "utf8").split("\n")[0];

  it("writes the modeline relative to the output file in a project that has antryk-access installed", async () => {
    const r = await runCli(["export", "--workspace", server.workspace, "-o", "infra/access.yaml"], { env: server.env(), cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect(firstLine(join(project, "infra", "access.yaml"))).toBe("# yaml-language-server: $schema=../node_modules/antryk-access/schema/access.schema.json");
  });

  it("on stdout, relative to the working directory", async () => {
    const r = await runCli(["export", "--workspace", server.workspace], { env: server.env(), cwd: join(project, "infra", "prod") });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("# yaml-language-server: $schema=../../node_modules/antryk-access/schema/access.schema.json");
  });

  it("writes no modeline where antryk-access is not installed", async () => {
    const out = join(dir, "elsewhere", "access.yaml");
    const r = await runCli(["export", "--workspace", server.workspace, "-o", out], { env: server.env(), cwd: join(dir, "elsewhere") });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).not.toContain("yaml-language-server");
    expect(firstLine(out)).toMatch(/^# Exported from workspace /);
  });
});
