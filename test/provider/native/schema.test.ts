import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { PACKAGE_VERSION } from "../../../client/version.js";
import { pulumiSchema } from "../../../provider/native/schema.js";
import { RESOURCES } from "../../../provider/native/spec.js";
import { REPO_ROOT } from "../harness.js";

// schema/pulumi/schema.json is generated from provider/native/spec.ts (the one
// description of the resources) and validated against Pulumi's package metaschema,
// vendored from pulumi/pulumi (pkg/codegen/schema/pulumi.json) as schema/pulumi/metaschema.json.
// Regenerate after changing spec.ts: UPDATE_GOLDEN=1 npx vitest run test/provider/native/schema.test.ts

const SCHEMA = path.join(REPO_ROOT, "schema/pulumi/schema.json");
const METASCHEMA = path.join(REPO_ROOT, "schema/pulumi/metaschema.json");

describe("schema.json", () => {
  const generated = `${JSON.stringify(pulumiSchema(PACKAGE_VERSION), null, 2)}\n`;

  it("is what spec.ts generates", () => {
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(SCHEMA, generated);
    expect(existsSync(SCHEMA)).toBe(true);
    expect(readFileSync(SCHEMA, "utf8")).toBe(generated);
  });

  it("validates against Pulumi's package metaschema", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(METASCHEMA, "utf8")) as object);
    const ok = validate(JSON.parse(readFileSync(SCHEMA, "utf8")));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the metaschema catches a broken schema (a resource property of an unknown type)", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(METASCHEMA, "utf8")) as object);
    const broken = JSON.parse(generated) as { resources: Record<string, { inputProperties: Record<string, unknown> }> };
    broken.resources["antryk:index:Member"]!.inputProperties.email = { type: "email" };
    expect(validate(broken)).toBe(false);
  });

  it("documents every resource's import id with an example, and every property", () => {
    const schema = JSON.parse(generated) as {
      provider: { inputProperties: Record<string, { description?: string; secret?: boolean }> };
      resources: Record<string, { description: string; inputProperties: Record<string, { description?: string }>; properties: Record<string, { description?: string }> }>;
    };
    for (const [kind, spec] of Object.entries(RESOURCES)) {
      const resource = schema.resources[`antryk:index:${kind}`]!;
      expect(resource.description).toContain(`pulumi import antryk:index:${kind} `);
      expect(resource.description).toContain(spec.importId.example);
      for (const p of [...Object.values(resource.inputProperties), ...Object.values(resource.properties)]) expect(p.description?.length).toBeGreaterThan(10);
    }
    expect(schema.provider.inputProperties.token).toMatchObject({ secret: true });
  });
});
