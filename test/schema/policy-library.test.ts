import { describe, expect, it } from "vitest";
import { composePolicies, policyLocation, type PolicyFile } from "../../schema/policy/library.js";
import { parseYamlText } from "../../schema/source/parse-text.js";

/**
 * Policies joined from libraries: the importer's list then each library's, a name defined
 * twice is an error naming both places, and every composed item is located in its own file.
 */

function file(display: string, text: string): PolicyFile {
  const parsed = parseYamlText(text, display);
  if (!parsed.ok) throw new Error(`${display} does not parse`);
  return { display, value: parsed.value as Record<string, unknown>, locator: parsed.locator };
}

const ROOT = file("acme-prod.yaml", "version: 1\nworkspace: acme-prod\npolicies:\n  - name: few-admins\n    limit: { permission: access:manage, max: 5 }\n");
const SHARED = file(
  "shared/policies.yaml",
  "version: 1\nkind: library\npolicies:\n  - name: no-external-admins\n    match: { emailDomainNot: [acme.io] }\n    deny: { permissions: [access:manage] }\n  - name: externals-expire\n    require: { expires: true }\n",
);

describe("composePolicies", () => {
  it("joins the importer's policies and each library's, and locates each item in its own file", () => {
    const composed = composePolicies(ROOT, [SHARED]);
    expect((composed.list as { name: string }[]).map((p) => p.name)).toEqual(["few-admins", "no-external-admins", "externals-expire"]);
    expect(composed.diagnostics).toEqual([]);
    const at = policyLocation(composed, ["policies", 2, "require", "expires"])!;
    expect([at.file.display, at.path]).toEqual(["shared/policies.yaml", ["policies", 1, "require", "expires"]]);
    expect(at.file.locator.locate(at.path)).toEqual({ line: 8, column: 25 });
    expect(policyLocation(composed, ["roles", "x"])).toBeUndefined();
  });

  it("a file without policies adds none; no file with policies gives no list", () => {
    const plain = file("a.yaml", "version: 1\nworkspace: a\n");
    expect(composePolicies(plain, [SHARED]).origins.map((o) => o.file.display)).toEqual(["shared/policies.yaml", "shared/policies.yaml"]);
    expect(composePolicies(plain, []).list).toBeUndefined();
  });

  it("a name defined twice is an error naming both places, reported in the importer; the first definition is kept", () => {
    const clash = file("b.yaml", "version: 1\nworkspace: b\npolicies:\n  - name: no-external-admins\n    deny: { roles: [account-admin] }\n");
    const composed = composePolicies(clash, [SHARED]);
    expect(composed.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      'b.yaml:4:11 duplicate-definition policy "no-external-admins" is defined twice: at b.yaml:4:11 and at shared/policies.yaml:4:11; keep one definition',
    ]);
    expect((composed.list as { deny?: unknown }[])[0]!.deny).toEqual({ roles: ["account-admin"] });
  });

  it("two libraries defining one name: reported at the second", () => {
    const other = file("other.yaml", "version: 1\nkind: library\npolicies:\n  - name: externals-expire\n    require: { expiresWithin: 30d }\n");
    const composed = composePolicies(ROOT, [SHARED, other]);
    expect(composed.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([
      'other.yaml:4 policy "externals-expire" is defined twice: at shared/policies.yaml:7:11 and at other.yaml:4:11; keep one definition',
    ]);
  });

  it("a root `policies` that is not a list is kept as written (the schema reports it)", () => {
    const odd = file("c.yaml", "version: 1\nworkspace: c\npolicies: nope\n");
    expect(composePolicies(odd, [SHARED]).list).toBe("nope");
  });
});
