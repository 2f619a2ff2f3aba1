import { invalid } from "./http-error.js";

/** DEFAULT_LIMIT is the page size when a list names none. */
export const DEFAULT_LIMIT = 100;
/** MAX_LIMIT is the largest page a list answers. */
export const MAX_LIMIT = 1000;

/**
 * Cursors are opaque to clients: they encode the `seq` of the last row of a page, so a
 * page after them is stable under concurrent inserts (new rows get larger seqs) and
 * deletes (a missing row is simply skipped).
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(`s:${seq}`).toString("base64url");
}

/** decodeCursor reads a cursor back into its seq, or throws a validation error naming `cursor`. */
export function decodeCursor(cursor: string | undefined, initial: number): number {
  if (cursor === undefined) return initial;
  const match = /^s:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match || encodeCursor(Number(match[1])) !== cursor) throw invalid("cursor", "not a cursor this server issued", "bad_cursor");
  return Number(match[1]);
}

/** slicePage cuts rows fetched with `limit + 1` into a page and the cursor after it (null on the last page). */
export function slicePage<T extends { seq: number }>(rows: readonly T[], limit: number): { rows: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows: [...rows], nextCursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: encodeCursor(page[page.length - 1]!.seq) };
}

/** KeyPosition is where a sorted page ends: the sort value of its last row and that row's seq (the tie-break). */
export interface KeyPosition {
  value: string | number;
  seq: number;
}

/** encodeKeyCursor is the cursor after a row of a sorted list (opaque to clients, like encodeCursor's). */
export function encodeKeyCursor(position: KeyPosition): string {
  return Buffer.from(`k:${JSON.stringify([position.value, position.seq])}`).toString("base64url");
}

/** decodeKeyCursor reads a sorted list's cursor back, or throws a validation error naming `cursor` (also for a plain cursor of an unsorted list). */
export function decodeKeyCursor(cursor: string | undefined): KeyPosition | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  let parsed: unknown;
  try {
    parsed = text.startsWith("k:") ? JSON.parse(text.slice(2)) : undefined;
  } catch {
    parsed = undefined;
  }
  const pair = Array.isArray(parsed) && parsed.length === 2 ? (parsed as unknown[]) : undefined;
  const ok = pair !== undefined && (typeof pair[0] === "string" || Number.isSafeInteger(pair[0])) && Number.isSafeInteger(pair[1]);
  const position = ok ? { value: pair[0] as string | number, seq: pair[1] as number } : undefined;
  if (!position || encodeKeyCursor(position) !== cursor) throw invalid("cursor", "not a cursor this server issued for this sort", "bad_cursor");
  return position;
}
