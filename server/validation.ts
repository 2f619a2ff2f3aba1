import { Ajv, type ErrorObject } from "ajv";
import type { FastifySchemaCompiler } from "fastify";
import { HttpError } from "./http-error.js";

/**
 * The request validators: bodies are checked strictly (no type coercion, no unknown
 * fields, no defaults filled in), query strings and path parameters with coercion
 * from their string form and defaults. A failure names the request field.
 */
const bodyAjv = new Ajv({ allErrors: false, coerceTypes: false, useDefaults: false, removeAdditional: false, strict: true });
const textAjv = new Ajv({ allErrors: false, coerceTypes: true, useDefaults: true, removeAdditional: false, strict: true });

/** validatorCompiler is fastify's schema compiler for every route (setValidatorCompiler). */
export const validatorCompiler: FastifySchemaCompiler<Record<string, unknown>> = ({ schema, httpPart }) => {
  const validate = (httpPart === "body" ? bodyAjv : textAjv).compile(schema);
  return (data: unknown) => (validate(data) ? { value: data } : { error: validationError(validate.errors ?? [], httpPart ?? "body") });
};

/** validationError turns ajv's first error into a 400 validation_failed naming the field, e.g. `permissions[2]`. */
function validationError(errors: ErrorObject[], part: string): HttpError {
  const e = errors[0];
  if (!e) return new HttpError(400, "validation_failed", `invalid ${part}`, { field: part });
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
  return new HttpError(400, "validation_failed", `${field}: ${message}`, { field, location: part });
}

/** fieldName renders a JSON pointer as a field path: `/permissions/2` → `permissions[2]`. */
function fieldName(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}
