import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import accessSchema from "../access.schema.json" with { type: "json" };
import { supersededByPolicyRule } from "../policy/schema-findings.js";
import type { YamlPath } from "../source/locator.js";
import { didYouMean } from "../suggest.js";

/**
 * The JSON Schema stage of validation: access.schema.json checked by ajv, each error turned
 * into one finding at the offending node. The schema is also what editors use
 * (yaml-language-server), so it is stricter than structure alone: where a named rule
 * reports the same problem with a better message (unknown permissions and roles, role
 * names), the schema's finding is left to that rule (see SUPERSEDED_BY_RULES).
 */

/** SchemaFinding is one schema error: a code, a message, the node's path, and whether the position is the key. */
export interface SchemaFinding {
  code: string;
  message: string;
  path: YamlPath;
  atKey: boolean;
}

/** SchemaResult: the findings, and whether ajv rejected the document at all (even if every finding was superseded). */
export interface SchemaResult {
  findings: SchemaFinding[];
  rejected: boolean;
}

let compiled: ValidateFunction | undefined;

/** accessSchemaValidator compiles access.schema.json once, in ajv strict mode. */
export function accessSchemaValidator(): ValidateFunction {
  compiled ??= new Ajv({ strict: true, allErrors: true, verbose: true }).compile(accessSchema);
  return compiled;
}

const PERMISSION_ITEM = /^\/(?:roles|groups)\/[^/]+\/permissions\/\d+$|^\/members\/\d+\/permissions\/\d+$/;
const ROLE_VALUE = /^\/groups\/[^/]+\/role$|^\/members\/\d+\/role$/;
const EMAIL_VALUE = /^\/owner$|^\/safety\/(?:requiredAdmins|preserve)\/\d+$|^\/members\/\d+\/email$|^\/groups\/[^/]+\/members\/\d+$/;
const DESCRIPTION_VALUE = /^\/roles\/[^/]+\/description$/;

/**
 * SUPERSEDED_BY_RULES: schema errors a named rule reports with a better message
 * (unknown-permission, owner-only-permission, unknown-role, role-assigned-owner,
 * invalid-role-name, reserved-role-name, and the identity grammar's invalid-email and
 * invalid-description, whose pattern and maxLength the schema shares). Only string values
 * are superseded: a number where a permission belongs is still the schema's to report.
 */
function supersededByRule(e: ErrorObject): boolean {
  if ((e.keyword === "pattern" || e.keyword === "maxLength") && (EMAIL_VALUE.test(e.instancePath) || DESCRIPTION_VALUE.test(e.instancePath))) return typeof e.data === "string";
  if (e.keyword === "enum" && PERMISSION_ITEM.test(e.instancePath)) return typeof e.data === "string";
  if (ROLE_VALUE.test(e.instancePath)) return typeof e.data === "string";
  if (e.instancePath === "/roles" && (e.keyword === "propertyNames" || e.schemaPath.includes("/propertyNames/"))) return true;
  return supersededByPolicyRule(e);
}

/** CODE_BY_PATH gives schema errors on some keys a code of their own. */
const CODE_BY_PATH: [RegExp, string][] = [
  [/^\/version$/, "unsupported-version"],
  [/^\/safety\/maxRemovals$/, "invalid-max-removals"],
  [/^\/members\/\d+\/expires$/, "invalid-expires"],
];

/** checkSchema validates a plain document against access.schema.json; cheap when the document is valid. */
export function checkSchema(doc: unknown): SchemaResult {
  const validate = accessSchemaValidator();
  if (validate(doc)) return { findings: [], rejected: false };
  const seen = new Set<string>();
  const findings: SchemaFinding[] = [];
  for (const e of validate.errors ?? []) {
    // The if/then/else that tells libraries from workspace files reports its branch's own errors; its summary error says nothing more.
    if (e.keyword === "if") continue;
    if (supersededByRule(e)) continue;
    const finding = describe(e);
    // anyOf produces one error per branch plus its own: keep one finding per node (and per missing key).
    const id = `${finding.path.join("\u0000")}|${finding.atKey}|${e.keyword === "required" ? String(e.params.missingProperty) : ""}`;
    if (seen.has(id)) continue;
    seen.add(id);
    findings.push(finding);
  }
  return { findings, rejected: true };
}

function describe(e: ErrorObject): SchemaFinding {
  const path = pointerToPath(e.instancePath);
  const where = path.length === 0 ? "the file" : formatPath(path);
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const inside = path.length === 0 ? "at the top level" : `in ${where}`;
      return {
        code: "unknown-key",
        message: `unknown key "${key}" ${inside}${didYouMean(key, allowed)}`,
        path: [...path, key],
        atKey: true,
      };
    }
    case "required":
      return { code: "missing-key", message: `${where} is missing the required key "${e.params.missingProperty}"`, path, atKey: path.length > 0 && typeof path.at(-1) === "string" };
    default: {
      const code = CODE_BY_PATH.find(([re]) => re.test(e.instancePath))?.[1] ?? (e.keyword === "type" ? "invalid-type" : "invalid-value");
      return { code, message: messageFor(e, where, code), path, atKey: false };
    }
  }
}

function messageFor(e: ErrorObject, where: string, code: string): string {
  const got = JSON.stringify(e.data) ?? String(e.data);
  switch (code) {
    case "unsupported-version":
      return `unsupported version ${got}: this tool reads version 1`;
    case "invalid-max-removals":
      return `${where} must be a non-negative integer or a percentage such as "25%", not ${got}`;
    case "invalid-expires":
      return `${where} must be a date written YYYY-MM-DD, not ${got}`;
  }
  switch (e.keyword) {
    case "type":
      return `${where} must be ${article(String(e.params.type))}, not ${got}`;
    case "enum": {
      const allowed = e.params.allowedValues as unknown[];
      const hint = typeof e.data === "string" ? didYouMean(e.data, allowed.filter((v): v is string => typeof v === "string")) : "";
      return `${where} must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}, not ${got}${hint}`;
    }
    case "minimum":
      return `${where} must be at least ${e.params.limit}, not ${got}`;
    case "minLength":
      return `${where} must not be empty`;
    default:
      return `${where} ${e.message ?? "is invalid"} (got ${got})`;
  }
}

function article(type: string): string {
  return type === "object" ? "a map" : type === "array" ? "a list" : type === "integer" ? "an integer" : `a ${type}`;
}

/** formatPath renders a YAML path as people write it: members[2].email, roles.support. */
export function formatPath(path: YamlPath): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** pointerToPath turns a JSON pointer into a YAML path (numeric steps become indexes). */
function pointerToPath(pointer: string): YamlPath {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}
