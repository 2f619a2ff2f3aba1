import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parsePlan, planJsonSchema } from "../../reconciler/plan-schema.js";
import { PLAN_WARNING_CODES } from "../../reconciler/plan.js";
import { GOLDEN_DIR } from "./golden.js";

/** schema/plan.schema.json is zod's output for PlanSchema, checked in, and agrees with parsePlan on real and broken plans. */

const SCHEMA_FILE = join(GOLDEN_DIR, "..", "..", "schema", "plan.schema.json");
const PLAN_GOLDENS = ["small.json", "high-risk.json", "blocked.json", "live-since.json", "no-changes.json", "policy.json"];

function planGolden(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, name), "utf8")) as Record<string, unknown>;
}

describe("schema/plan.schema.json", () => {
  it("is what zod emits for PlanSchema (UPDATE_GOLDEN=1 rewrites it)", () => {
    const text = planJsonSchema();
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(SCHEMA_FILE, text);
    expect(existsSync(SCHEMA_FILE), `missing ${SCHEMA_FILE}: run with UPDATE_GOLDEN=1 to create it`).toBe(true);
    expect(text).toBe(readFileSync(SCHEMA_FILE, "utf8"));
  });

  // The same text as the file (the test above), compiled from the source so a missing file fails once. strictRequired
  // is off: zod writes the summary's record of kinds as `required` over `propertyNames`, which ajv's strict mode flags.
  const validate = new Ajv2020({ strict: true, strictRequired: false, allErrors: true }).compile(JSON.parse(planJsonSchema()) as object);

  it.each(PLAN_GOLDENS)("accepts the plan golden %s, as parsePlan does", (name) => {
    const plan = planGolden(name);
    expect(() => parsePlan(JSON.stringify(plan), name)).not.toThrow();
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
  });

  const broken: [string, (plan: Record<string, unknown>) => void][] = [
    ["an unknown warning code", (p) => (p.warnings = [{ code: "made-up", message: "x" }])],
    ["a missing planId", (p) => delete p.planId],
    ["an unknown change kind", (p) => ((p.changes as Record<string, unknown>[])[0]!.kind = "suspendMember")],
    ["an unknown phase", (p) => ((p.changes as Record<string, unknown>[])[0]!.phase = "later")],
    ["another formatVersion", (p) => (p.formatVersion = 3)],
    ["an unknown rail", (p) => (p.violations = [{ rail: "nobody", message: "x" }])],
  ];
  it.each(broken)("refuses %s, as parsePlan does", (_what, breakIt) => {
    const plan = planGolden("small.json");
    breakIt(plan);
    expect(() => parsePlan(JSON.stringify(plan), "plan.json")).toThrow(/plan/);
    expect(validate(plan)).toBe(false);
  });

  it("lists every warning code", () => {
    const text = planJsonSchema();
    for (const code of PLAN_WARNING_CODES) expect(text).toContain(`"${code}"`);
  });
});
