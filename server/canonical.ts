/** MAX_JSON_DEPTH is how deeply nested a request body may be to be compared (the API's bodies nest 2 levels). */
export const MAX_JSON_DEPTH = 32;

/** JsonTooDeepError: a value nests deeper than MAX_JSON_DEPTH, so it has no canonical form here. */
export class JsonTooDeepError extends RangeError {}

/**
 * canonicalJson renders a parsed JSON value in one canonical form: object keys sorted
 * (by UTF-16 code units, as RFC 8785 does), no whitespace, arrays in their order, so
 * two bodies that differ only in key order or spacing render alike. It throws
 * JsonTooDeepError past MAX_JSON_DEPTH levels instead of exhausting the stack.
 * (Written here rather than taken from `canonicalize` or `safe-stable-stringify`:
 * both recurse without a bound, and the latter truncates deep values silently, which
 * would make different bodies compare equal.)
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_JSON_DEPTH) throw new JsonTooDeepError(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k], depth + 1)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
