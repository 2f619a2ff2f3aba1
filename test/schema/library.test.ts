import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../schema/diagnostics.js";
import { loadFile, type LoadedFile } from "../../schema/library/index.js";
import { loadAccessFile } from "../../schema/load.js";
import { NOW } from "./helpers.js";

/**
 * Libraries (`kind: library`) and `imports:`: merging, collisions naming both places, cycles
 * and missing files naming the chain, and diagnostics inside a library carrying its path.
 * Each case writes a small tree of files into a temp folder and loads one of them.
 */

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "antryk-library-"));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const lines = (r: LoadedFile) => r.diagnostics.map(formatDiagnostic);

const LIB = `version: 1
kind: library
roles:
  release-manager:
    description: Ships services
    permissions: [deployments:create, deployments:read]
groups:
  oncall:
    role: release-manager
    members: [pat@acme.io]
`;

const WS = (extra = "", imports = "[shared/roles.yaml]") => `version: 1
workspace: acme-prod
owner: founder@acme.io
imports: ${imports}
${extra}members:
  - email: alice@acme.io
    role: account-admin
`;

describe("library merging", () => {
  it("a library's roles and groups apply to the importing workspace as if written there, sourced to the library", async () => {
    write({ "shared/roles.yaml": LIB, "prod.yaml": WS() });
    const r = await loadFile("prod.yaml", { now: NOW });
    expect(lines(r)).toEqual([]);
    if (r.kind !== "workspace" || r.desired === null) throw new Error("expected a valid workspace");
    expect(r.libraries).toEqual(["shared/roles.yaml"]);
    expect(r.desired.roles.map((x) => [x.name, x.source.file, x.source.line])).toEqual([["release-manager", "shared/roles.yaml", 4]]);
    expect(r.desired.members.map((m) => [m.email, m.role, m.group ?? "", m.source.file])).toEqual([
      ["alice@acme.io", "account-admin", "", "prod.yaml"],
      ["pat@acme.io", "release-manager", "oncall", "shared/roles.yaml"],
    ]);
  });

  it("a library may import another; a diamond reads the shared one once", async () => {
    write({
      "shared/base.yaml": "version: 1\nkind: library\nroles:\n  viewer:\n    permissions: [logs:read]\n",
      "shared/a.yaml": "version: 1\nkind: library\nimports: [base.yaml]\ngroups:\n  readers:\n    role: viewer\n    members: [r@acme.io]\n",
      "shared/b.yaml": "version: 1\nkind: library\nimports: [base.yaml]\n",
      "prod.yaml": WS("", "[shared/a.yaml, shared/b.yaml]"),
    });
    const r = await loadFile("prod.yaml", { now: NOW });
    expect(lines(r)).toEqual([]);
    expect(r.libraries).toEqual(["shared/a.yaml", "shared/base.yaml", "shared/b.yaml"]);
  });

  it("a file without imports loads exactly as loadAccessFile loads it", async () => {
    write({ "plain.yaml": "version: 1\nworkspace: w\nmembers:\n  - email: a@acme.io\n    role: account-admin\n  - email: b@acme.io\n    role: nope\n" });
    const mine = await loadFile("plain.yaml", { now: NOW });
    const theirs = await loadAccessFile("plain.yaml", { now: NOW });
    expect({ ...mine, kind: undefined, file: undefined, libraries: undefined }).toEqual({ ...theirs, kind: undefined, file: undefined, libraries: undefined });
  });

  it("the digest of a workspace with imports changes when a library changes", async () => {
    write({ "shared/roles.yaml": LIB, "prod.yaml": WS() });
    const before = await loadFile("prod.yaml", { now: NOW });
    write({ "shared/roles.yaml": LIB.replace("Ships services", "Ships things") });
    const after = await loadFile("prod.yaml", { now: NOW });
    expect(before.kind === "workspace" && before.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(before.kind === "workspace" && after.kind === "workspace" && before.sha256 !== after.sha256).toBe(true);
  });
});

type Case = [name: string, files: Record<string, string>, load: string, want: string[]];

const table: Case[] = [
  [
    "a role defined in the workspace and in a library: both places named",
    { "shared/roles.yaml": LIB, "prod.yaml": WS("roles:\n  release-manager:\n    permissions: [logs:read]\n") },
    "prod.yaml",
    ['prod.yaml:6:3 error duplicate-definition role "release-manager" is defined twice: at prod.yaml:6:3 and at shared/roles.yaml:4:3; keep one definition'],
  ],
  [
    "a group defined in two libraries: reported in the second, naming the first",
    {
      "shared/roles.yaml": LIB,
      "shared/more.yaml": "version: 1\nkind: library\ngroups:\n  oncall:\n    role: developer\n    members: [x@acme.io]\n",
      "prod.yaml": WS("", "[shared/roles.yaml, shared/more.yaml]"),
    },
    "prod.yaml",
    ['shared/more.yaml:4:3 error duplicate-definition group "oncall" is defined twice: at shared/roles.yaml:8:3 and at shared/more.yaml:4:3; keep one definition'],
  ],
  [
    "an import cycle names the chain",
    {
      "shared/a.yaml": "version: 1\nkind: library\nimports: [b.yaml]\n",
      "shared/b.yaml": "version: 1\nkind: library\nimports: [a.yaml]\n",
      "prod.yaml": WS("", "[shared/a.yaml]"),
    },
    "prod.yaml",
    ["shared/b.yaml:3:11 error import-cycle import cycle: shared/a.yaml → shared/b.yaml → shared/a.yaml"],
  ],
  [
    "a missing library names the chain",
    { "shared/a.yaml": "version: 1\nkind: library\nimports: [gone.yaml]\n", "prod.yaml": WS("", "[shared/a.yaml]") },
    "prod.yaml",
    ["shared/a.yaml:3:11 error import-missing cannot read shared/gone.yaml (imported by prod.yaml → shared/a.yaml): no such file"],
  ],
  [
    "importing a workspace file",
    { "staging.yaml": "version: 1\nworkspace: acme-staging\n", "prod.yaml": WS("", "[staging.yaml]") },
    "prod.yaml",
    ['prod.yaml:4:11 error import-not-library staging.yaml (imported by prod.yaml) is not a library: only files with "kind: library" can be imported'],
  ],
  [
    "a library may not hold members or a workspace",
    { "shared/roles.yaml": `${LIB}workspace: x\nmembers: []\n`, "prod.yaml": WS() },
    "prod.yaml",
    [
      'shared/roles.yaml:11:1 error library-key "workspace" is not allowed in a library: a library (kind: library) holds only version, kind, imports, roles, groups, policies',
      'shared/roles.yaml:12:1 error library-key "members" is not allowed in a library: a library (kind: library) holds only version, kind, imports, roles, groups, policies',
    ],
  ],
  [
    "diagnostics inside a library carry the library's path and position",
    { "shared/roles.yaml": LIB.replace("deployments:read]", "deployments:reed]").replace("role: release-manager", "role: release-manger"), "prod.yaml": WS() },
    "prod.yaml",
    [
      'shared/roles.yaml:6:39 error unknown-permission "deployments:reed" is not a permission; did you mean "deployments:read"?',
      'shared/roles.yaml:9:11 error unknown-role "release-manger" is not a role; did you mean "release-manager"? (roles: account-admin, developer, release-manager)',
    ],
  ],
  [
    "an email in a library group and in the workspace: both places",
    { "shared/roles.yaml": LIB, "prod.yaml": WS().replace("alice@acme.io", "pat@acme.io") },
    "prod.yaml",
    ['shared/roles.yaml:10:15 error duplicate-email "pat@acme.io" is declared twice: in members at prod.yaml:6:12 and in group "oncall" here; declare each person once'],
  ],
  [
    "a library alone is judged on its definitions",
    { "shared/roles.yaml": LIB.replace("deployments:create", "billing:manage") },
    "shared/roles.yaml",
    ['shared/roles.yaml:6:19 error owner-only-permission "billing:manage" belongs to the owner alone and cannot be given to custom role "release-manager"'],
  ],
  ["a valid library alone", { "shared/roles.yaml": LIB }, "shared/roles.yaml", []],
];

describe("library diagnostics", () => {
  it.each(table)("%s", async (_name, files, load, want) => {
    write(files);
    const r = await loadFile(load, { now: NOW });
    expect(lines(r)).toEqual(want);
    const valid = r.kind === "workspace" ? r.desired !== null : r.valid;
    expect(valid).toBe(want.every((l) => !l.includes(" error ")));
  });
});


describe("the generic section merge", () => {
  it("a named-list section (as policies would be declared: one line) appends items in import order, collides by key naming both places, and locates each item in its own file", async () => {
    const { composeFiles } = await import("../../schema/library/merge.js");
    const { parseYamlText } = await import("../../schema/source/parse-text.js");
    const file = (display: string, text: string) => {
      const parsed = parseYamlText(text, display);
      if (!parsed.ok) throw new Error("bad yaml");
      return { display, absolute: `/x/${display}`, sha256: "0", value: parsed.value as Record<string, unknown>, locator: parsed.locator };
    };
    const root = file("prod.yaml", "version: 1\nworkspace: w\npolicies:\n  - name: admins-are-few\n    limit: 3\n");
    const lib = file("shared/p.yaml", "version: 1\nkind: library\npolicies:\n  - name: no-billing\n    deny: [billing:read]\n  - name: admins-are-few\n    limit: 5\n");
    const composed = composeFiles(root, [lib], { policies: { merge: "named-list", noun: "policy", key: "name" } });
    expect(composed.doc.policies).toEqual([{ name: "admins-are-few", limit: 3 }, { name: "no-billing", deny: ["billing:read"] }]);
    expect(composed.diagnostics.map(formatDiagnostic)).toEqual([
      'prod.yaml:4:11 error duplicate-definition policy "admins-are-few" is defined twice: at prod.yaml:4:11 and at shared/p.yaml:6:11; keep one definition',
    ]);
    expect(composed.source.fileOf(["policies", 1, "deny", 0])).toBe("shared/p.yaml");
    expect(composed.source.locator.locate(["policies", 1, "deny", 0])).toEqual({ line: 5, column: 12 });
  });
});
