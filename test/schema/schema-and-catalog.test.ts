import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import accessSchema from "../../schema/access.schema.json" with { type: "json" };
import {
  ASSIGNABLE_BUILT_IN_ROLES,
  BUILT_IN_ROLE_NAMES,
  BUILT_IN_ROLES,
  CUSTOM_ROLE_NAME_PATTERN,
  OWNER_ONLY_PERMISSIONS,
  PERMISSION_IDS,
  PERMISSIONS,
} from "../../schema/catalog.js";

const root = join(import.meta.dirname, "..", "..");
const docs = readFileSync(join(root, "docs", "access-yaml.md"), "utf8");

type SchemaNode = Record<string, unknown>;

/** subschemas yields every schema that describes a value: properties, map values, list items, anyOf branches. */
function* subschemas(node: SchemaNode, where: string): Generator<[string, SchemaNode]> {
  for (const [key, child] of Object.entries((node.properties as Record<string, SchemaNode>) ?? {})) {
    yield [`${where}.${key}`, child];
    yield* subschemas(child, `${where}.${key}`);
  }
  if (typeof node.additionalProperties === "object") {
    yield [`${where}.*`, node.additionalProperties as SchemaNode];
    yield* subschemas(node.additionalProperties as SchemaNode, `${where}.*`);
  }
  if (typeof node.items === "object") {
    yield [`${where}[]`, node.items as SchemaNode];
    yield* subschemas(node.items as SchemaNode, `${where}[]`);
  }
  for (const [i, branch] of ((node.anyOf as SchemaNode[]) ?? []).entries()) yield [`${where}|${i}`, branch];
}

const at = (path: string[]): SchemaNode =>
  path.reduce<SchemaNode>((n, step) => (step === "*" ? (n.additionalProperties as SchemaNode) : step === "[]" ? (n.items as SchemaNode) : (n.properties as Record<string, SchemaNode>)[step]!), accessSchema as SchemaNode);

describe("access.schema.json", () => {
  it("compiles under ajv strict mode", () => {
    expect(() => new Ajv({ strict: true, allErrors: true }).compile(accessSchema)).not.toThrow();
  });

  it("describes every property (hover help in editors)", () => {
    const missing = [...subschemas(accessSchema as SchemaNode, "$")].filter(([, s]) => typeof s.description !== "string" || s.description.length < 5);
    expect(missing.map(([w]) => w)).toEqual([]);
  });

  it("closes every object (additionalProperties: false) except the role and group maps", () => {
    const open = [...subschemas(accessSchema as SchemaNode, "$")]
      .filter(([, s]) => s.type === "object" && s.additionalProperties !== false)
      .map(([w]) => w);
    expect(open).toEqual(["$.roles", "$.groups"]);
    expect((accessSchema as SchemaNode).additionalProperties).toBe(false);
  });

  it.each([["roles", "*", "permissions"], ["groups", "*", "permissions"], ["members", "[]", "permissions"]])(
    "%s.%s.%s completes exactly the grantable catalog permissions",
    (...path) => {
      const grantable = PERMISSION_IDS.filter((p) => !OWNER_ONLY_PERMISSIONS.includes(p));
      expect((at(path).items as SchemaNode).enum).toEqual(grantable);
    },
  );

  it.each([["groups", "*", "role"], ["members", "[]", "role"]])("%s.%s.%s completes the assignable built-in roles and allows custom names", (...path) => {
    const [builtIn, custom] = at(path).anyOf as SchemaNode[];
    expect(builtIn!.enum).toEqual([...ASSIGNABLE_BUILT_IN_ROLES]);
    expect(custom!.pattern).toBe(CUSTOM_ROLE_NAME_PATTERN.source);
  });

  it("reserves the built-in role names for custom roles", () => {
    const names = at(["roles"]).propertyNames as SchemaNode;
    expect(names.pattern).toBe(CUSTOM_ROLE_NAME_PATTERN.source);
    expect((names.not as SchemaNode).enum).toEqual([...BUILT_IN_ROLE_NAMES]);
  });
});

describe("the catalog matches the documentation", () => {
  /**
   * ANTRYK_DOCS is the permission table of Antryk's "Members & Access Management" docs (as
   * quoted in docs/access-yaml.md): the independent source the catalog is held to. Written
   * here once, by hand; never generated from the catalog.
   */
  const ANTRYK_DOCS = `
| billing:read | read billing information | y | y | |
| billing:manage | manage billing | y | | |
| ownership:transfer | modify account ownership | y | | |
| access:manage | manage account access: invite, change roles and permissions, revoke, review access history | y | y | |
| resources:manage | manage resources | y | y | y |
| deployments:read | view deployments | y | y | y |
| deployments:create | deploy services | y | | y |
| logs:read | view logs | y | y | y |
| settings:manage | access and change workspace settings | y | y | |
| infrastructure:configure | configure infrastructure | y | y | |
| domains:manage | manage domains and redirects | y | y | |
| config:read | access application configuration | y | | y |
| environments:configure | environment configuration | y | | |
`;
  const rows = ANTRYK_DOCS.trim()
    .split("\n")
    .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()))
    .map(([id, meaning, ...marks]) => ({ id: id!, meaning: meaning!, marks: marks.map((m) => m === "y") }));
  const ROLE_COLUMNS = ["owner", "account-admin", "developer"] as const;

  it("the catalog has the docs' permissions, in the docs' order, with the docs' wording", () => {
    expect(PERMISSIONS.map((p) => [p.id, p.description.toLowerCase()])).toEqual(rows.map((r) => [r.id, r.meaning]));
  });

  it.each(ROLE_COLUMNS.map((role, column) => [role, column] as const))("%s holds exactly the permissions the docs mark, in catalog order", (role, column) => {
    expect(BUILT_IN_ROLES[role].permissions).toEqual(rows.filter((r) => r.marks[column]).map((r) => r.id));
  });

  it("owner-only permissions are held by the owner and by no assignable role", () => {
    for (const p of OWNER_ONLY_PERMISSIONS) {
      expect(BUILT_IN_ROLES.owner.permissions, p).toContain(p);
      for (const role of ASSIGNABLE_BUILT_IN_ROLES) expect(BUILT_IN_ROLES[role].permissions, `${role} ${p}`).not.toContain(p);
    }
  });

  it("docs/access-yaml.md lists every permission with each built-in role's marks", () => {
    const rows = docs
      .split("\n")
      .filter((l) => /^\| [a-z]+:[a-z]+ \|/.test(l))
      .map((l) => l.split("|").map((c) => c.trim()));
    expect(rows.map((r) => r[1])).toEqual([...PERMISSION_IDS]);
    for (const r of rows) {
      const id = r[1] as (typeof PERMISSION_IDS)[number];
      expect(r[3] === "y", `${id} owner`).toBe(BUILT_IN_ROLES.owner.permissions.includes(id));
      expect(r[4] === "y", `${id} account-admin`).toBe(BUILT_IN_ROLES["account-admin"].permissions.includes(id));
      expect(r[5] === "y", `${id} developer`).toBe(BUILT_IN_ROLES.developer.permissions.includes(id));
    }
  });

  it("docs/access-yaml.md documents every diagnostic code the corpus produces", () => {
    const expected = JSON.parse(readFileSync(join(root, "test", "fixtures", "invalid", "expected.json"), "utf8")) as Record<string, string[]>;
    const codes = new Set(Object.values(expected).flatMap((list) => list.map((d) => d.split(" ")[2]!)));
    const documented = new Set([...docs.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]));
    expect([...codes].filter((c) => !documented.has(c))).toEqual([]);
    for (const code of ["redundant-permission", "duplicate-permission", "expired-member", "unused-role"]) expect(documented.has(code)).toBe(true);
  });
});
