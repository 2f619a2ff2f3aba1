import { invalid } from "./http-error.js";

/** ACCESS_EXPIRY_FIELD is the request and resource field of time-bound access (docs/api.md, "Time-bound access"). */
export const ACCESS_EXPIRY_FIELD = "accessExpiresAt";

/** accessExpiryJson is the JSON Schema of `accessExpiresAt` in a body: a string (parsed by parseAccessExpiry) or null. */
export const accessExpiryJson = { anyOf: [{ type: "string", maxLength: 40 }, { type: "null" }] } as const;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * parseAccessExpiry reads a body's `accessExpiresAt`: an RFC 3339 date-time with an offset
 * (a real calendar date and time) to epoch milliseconds, null (never), or undefined (absent:
 * leave as is). Anything else is 400 naming the field.
 */
export function parseAccessExpiry(value: string | null | undefined): number | null | undefined {
  if (value === undefined || value === null) return value;
  const m = RFC3339.exec(value);
  const ms = Date.parse(value);
  if (m === null || !Number.isFinite(ms) || !realCalendar(m)) {
    throw invalid(ACCESS_EXPIRY_FIELD, `"${value.slice(0, 40)}" is not an RFC 3339 date-time (e.g. 2027-02-01T00:00:00Z)`);
  }
  return ms;
}

function realCalendar(m: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}
