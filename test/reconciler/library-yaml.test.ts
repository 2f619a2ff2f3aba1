import { describe, expect, it } from "vitest";
import type { CanonicalAccess } from "../../reconciler/render/access-yaml.js";
import { extractSharedRoles, writeLibraryYaml } from "../../reconciler/render/index.js";
import { parseAccessText } from "../../schema/load.js";

/** export --extract-library: which custom roles move to the library (defined identically everywhere), and the library's text. */

const access = (workspace: string, roles: Record<string, [string, string[]]>): CanonicalAccess => ({
  workspace,
  owner: "founder@acme.io",
  revision: 1,
  roles: new Map(Object.entries(roles).map(([name, [description, permissions]]) => [name, { description, permissions }])),
  members: new Map(),
  lapsed: [],
});

type Case = [name: string, accesses: CanonicalAccess[], shared: string[], left: string[][]];
const cases: Case[] = [
  ["identical in every workspace: moved", [access("a", { rm: ["Ships", ["logs:read"]] }), access("b", { rm: ["Ships", ["logs:read"]] })], ["rm"], [[], []]],
  ["another description: stays", [access("a", { rm: ["Ships", ["logs:read"]] }), access("b", { rm: ["Ships code", ["logs:read"]] })], [], [["rm"], ["rm"]]],
  ["other permissions: stays", [access("a", { rm: ["Ships", ["logs:read"]] }), access("b", { rm: ["Ships", ["logs:read", "config:read"]] })], [], [["rm"], ["rm"]]],
  ["missing from one workspace: stays", [access("a", { rm: ["Ships", ["logs:read"]], qa: ["QA", []] }), access("b", { qa: ["QA", []] }), access("c", { qa: ["QA", []] })], ["qa"], [["rm"], [], []]],
  ["one workspace: nothing is shared", [access("a", { rm: ["Ships", ["logs:read"]] })], [], [["rm"]]],
];

describe("extractSharedRoles", () => {
  it.each(cases)("%s", (_name, accesses, shared, left) => {
    const out = extractSharedRoles(accesses);
    expect([...out.shared.keys()]).toEqual(shared);
    expect(out.rest.map((a) => [...a.roles.keys()])).toEqual(left);
  });

  it("the library it writes is a valid library holding the shared roles", () => {
    const { shared } = extractSharedRoles([access("a", { "release-manager": ["Ships: \"fast\"", ["deployments:read", "logs:read"]] }), access("b", { "release-manager": ["Ships: \"fast\"", ["deployments:read", "logs:read"]] })]);
    const text = writeLibraryYaml(shared, { schemaUrl: null, workspaces: ["a", "b"] });
    expect(text).toContain("kind: library");
    // Read back (as a workspace file holding the same roles): every value comes back as written, quotes and colons included.
    const asWorkspace = parseAccessText(text.replace("kind: library", "workspace: probe"), "lib.yaml");
    expect(asWorkspace.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(asWorkspace.desired?.roles.map((r) => [r.name, r.description, r.permissions])).toEqual([["release-manager", 'Ships: "fast"', ["deployments:read", "logs:read"]]]);
  });
});
