import { Ajv, type ErrorObject } from "ajv";
import type { FastifySchemaCompiler } from "fastify";
import type { ValidationReason } from "../schema/api.js";
import { HttpError } from "./http-error.js";

/**
 * The request validators: bodies are checked strictly (no type coercion, no unknown
 * fields, no defaults filled in), query strings and path parameters with coercion
 * from their string form and defaults. A failure names the request field.
 */
const bodyAjv = new Ajv({ allErrors: false, coerceTypes: false, useDefaults: false, removeAdditional: false, strict: true });
const textAjv = new Ajv({ allErrors: false, coerceTypes: true, useDefaults: true, removeAdditional: false, strict: true });

/** DECIMAL_INTEGER is how an integer query parameter is written: decimal digits only (no sign, exponent, fraction, hex or blanks), at most 15 of them. */
const DECIMAL_INTEGER = /^[0-9]{1,15}$/;

/** validatorCompiler is fastify's schema compiler for every route (setValidatorCompiler). */
export const validatorCompiler: FastifySchemaCompiler<Record<string, unknown>> = ({ schema, httpPart }) => {
  const validate = (httpPart === "body" ? bodyAjv : textAjv).compile(schema);
  const integers = httpPart === "querystring" ? integerProperties(schema) : [];
  return (data: unknown) => {
    const refused = parseIntegers(data, integers);
    if (refused) return { error: refused };
    return validate(data) ? { value: data } : { error: validationError(validate.errors ?? [], httpPart ?? "body") };
  };
};

/** integerProperties names the properties of an object schema whose type is integer. */
function integerProperties(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  return Object.keys(properties).filter((name) => properties[name]!.type === "integer");
}

/**
 * parseIntegers turns each present integer query parameter into a number before the
 * schema checks its range: it must be written in decimal digits, so `Infinity`, `1e309`,
 * `-0`, `0x10`, `1.5`, ` 10` and "" are refused (400 naming it) instead of being coerced.
 */
function parseIntegers(data: unknown, names: readonly string[]): HttpError | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const query = data as Record<string, unknown>;
  for (const name of names) {
    const raw = query[name];
    if (raw === undefined) continue;
    if (typeof raw !== "string" || !DECIMAL_INTEGER.test(raw)) {
      return new HttpError(400, "validation_failed", `${name}: must be a whole number written in decimal digits`, { field: name, location: "querystring", reason: "not_integer" });
    }
    query[name] = Number(raw);
  }
  return undefined;
}

/** validationError turns ajv's first error into a 400 validation_failed naming the field, e.g. `permissions[2]`. */
function validationError(errors: ErrorObject[], part: string): HttpError {
  const e = errors[0];
  if (!e) return new HttpError(400, "validation_failed", `invalid ${part}`, { field: part, reason: "invalid" });
  let path = e.instancePath;
  let message = e.message ?? "is invalid";
  if (e.keyword === "required") {
    path += `/${(e.params as { missingProperty: string }).missingProperty}`;
    message = "is required";
  } else if (e.keyword === "additionalProperties") {
    path += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
    message = "is not a known field";
  }
  const field = fieldName(path) || (part === "body" ? "body" : part);
  return new HttpError(400, "validation_failed", `${field}: ${message}`, { field, location: part, reason: reasonOf(e.keyword) });
}

/** reasonOf maps an ajv keyword to the API's ValidationReason. */
function reasonOf(keyword: string): ValidationReason {
  switch (keyword) {
    case "required":
      return "required";
    case "additionalProperties":
      return "unknown_field";
    case "type":
    case "enum":
    case "const":
      return "type";
    case "maxLength":
    case "maxItems":
    case "maxProperties":
      return "too_long";
    case "minLength":
    case "minItems":
      return "too_short";
    case "minimum":
    case "maximum":
      return "out_of_range";
    default:
      return "invalid";
  }
}

/** fieldName renders a JSON pointer as a field path: `/permissions/2` → `permissions[2]`. */
function fieldName(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}
