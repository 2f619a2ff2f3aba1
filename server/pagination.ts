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
