import { endOfDay } from "./normalize.js";

/**
 * Time-bound access between the file and the API: a file entry's `expires` date is the
 * API's `accessExpiresAt`, the instant that day ends in UTC (docs/api.md, "Time-bound access").
 */

/** accessExpiresAtOf is the accessExpiresAt of a file entry's `expires` (`2027-01-31` → `2027-02-01T00:00:00.000Z`); null without one. */
export function accessExpiresAtOf(expires: string | undefined): string | null {
  if (expires === undefined) return null;
  const end = endOfDay(expires);
  return end === undefined ? null : new Date(end).toISOString();
}

/** sameExpiry tells whether two accessExpiresAt values are the same instant (or both null: never). */
export function sameExpiry(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Date.parse(a) === Date.parse(b);
}

/** expiryWords says when access ends as the file writes it: `2027-01-31` for the end of that UTC day, else the UTC minute; `never` for null. */
export function expiryWords(at: string | null): string {
  if (at === null) return "never";
  const ms = Date.parse(at);
  if (ms % 86_400_000 === 0) return new Date(ms - 86_400_000).toISOString().slice(0, 10);
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** expiresOf is the file's `expires` date an accessExpiresAt stands for: the day it ends, when it is the end of a UTC day; undefined for none or another instant (a file cannot say it). */
export function expiresOf(at: string | null | undefined): string | undefined {
  if (at === null || at === undefined) return undefined;
  const words = expiryWords(at);
  return /^\d{4}-\d{2}-\d{2}$/.test(words) ? words : undefined;
}
