import type { Diagnostic } from "../schema/diagnostics.js";
import { formatDiagnostic } from "../schema/diagnostics.js";

/**
 * Check-time helpers shared by the three resources: how a diagnostic becomes a Pulumi
 * CheckFailure on a property path, and how unknown (not yet computed) inputs are
 * recognised during a preview.
 */

/** CheckFailure is the dynamic provider's check failure: a property path and a reason. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** UNKNOWN is the value the engine sends for an input not known until apply (pulumi's rpc.unknownValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** containsUnknown tells whether a value, at any depth, is not yet known (a preview of computed inputs). */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * propertyPath writes a path in Pulumi's property-path syntax under `root`:
 * `document.members[3].permissions[0]`; a key holding `.`, `[`, `]` or `"` is quoted (`["a.b"]`).
 */
export function propertyPath(root: string, path: readonly (string | number)[]): string {
  let out = root;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/[.[\]"]/.test(part) || part === "") out += `[${JSON.stringify(part)}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}

/** diagnosticReason is the reason text of a failure: `file:line:column error code message` for a file, `error code message` for an object. */
export function diagnosticReason(d: Diagnostic, withPosition: boolean): string {
  return withPosition ? formatDiagnostic(d) : `${d.severity} ${d.code} ${d.message}`;
}

/** errorsOnly keeps the diagnostics that make an input invalid (warnings never fail a check). */
export function errorsOnly(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}

/** requireString checks a required non-empty string input. */
export function requireString(inputs: Record<string, unknown>, key: string, what: string): CheckFailure[] {
  const v = inputs[key];
  if (v === UNKNOWN) return [];
  if (typeof v !== "string" || v.trim() === "") return [{ property: key, reason: `${key} is required: ${what}` }];
  return [];
}

/** optionalType checks an optional input's type (`string`, `boolean`, `object`, `array`). */
export function optionalType(inputs: Record<string, unknown>, key: string, type: "string" | "boolean" | "object" | "array"): CheckFailure[] {
  const v = inputs[key];
  if (v === undefined || v === null || v === UNKNOWN) return [];
  const ok = type === "array" ? Array.isArray(v) : type === "object" ? typeof v === "object" && !Array.isArray(v) : typeof v === type;
  return ok ? [] : [{ property: key, reason: `${key} must be ${type === "array" || type === "object" ? `an ${type}` : `a ${type}`}` }];
}

/** defined drops keys whose value is undefined: a protobuf Struct cannot carry them. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
