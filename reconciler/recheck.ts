import { isDeepStrictEqual } from "node:util";
import type { Change } from "./plan.js";

/**
 * changeDifferences compares the changes a person reviewed (a saved plan's) with the
 * changes recomputed from the same file and the workspace as it is now, field by field,
 * and returns one line per difference (empty: identical); `label` names the reviewed plan. A saved plan is applied only
 * when this is empty, so no edit of its JSON can add, drop or alter a change.
 * `liveSince` is not compared (CONTEXT_FIELDS): it is who made the live value, not what
 * apply does, and the history behind an unchanged value can move (A → B → A).
 */
export function changeDifferences(reviewed: readonly Change[], recomputed: readonly Change[], label = "the saved plan"): string[] {
  const now = new Map(recomputed.map((c) => [c.key, c]));
  const was = new Map(reviewed.map((c) => [c.key, c]));
  const lines: string[] = [];
  for (const change of reviewed) {
    const current = now.get(change.key);
    if (current === undefined) {
      lines.push(`${change.key} is in ${label} but not in the plan computed now`);
      continue;
    }
    for (const field of differingFields(change, current)) {
      lines.push(`${change.key}: ${field} is ${show(pick(change, field))} in ${label} but ${show(pick(current, field))} now`);
    }
  }
  for (const change of recomputed) {
    if (!was.has(change.key)) lines.push(`${change.key} is in the plan computed now but not in ${label}`);
  }
  if (lines.length === 0 && !isDeepStrictEqual(reviewed.map((c) => c.key), recomputed.map((c) => c.key))) {
    lines.push(`${label} lists its changes in another order than the plan computed now`);
  }
  return lines;
}

/** CONTEXT_FIELDS are the fields of a change that describe it without being part of what apply does; never compared. */
const CONTEXT_FIELDS: ReadonlySet<string> = new Set(["liveSince"]);

/** differingFields lists the top-level fields (and, for objects, `field.sub`) in which two changes differ. */
function differingFields(a: Change, b: Change): string[] {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: string[] = [];
  for (const field of fields) {
    if (CONTEXT_FIELDS.has(field)) continue;
    const x = (a as unknown as Record<string, unknown>)[field];
    const y = (b as unknown as Record<string, unknown>)[field];
    if (isDeepStrictEqual(x, y)) continue;
    if (isPlainObject(x) && isPlainObject(y)) {
      for (const sub of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
        if (!isDeepStrictEqual(x[sub], y[sub])) out.push(`${field}.${sub}`);
      }
    } else {
      out.push(field);
    }
  }
  return out;
}

function pick(change: Change, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), change);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(value: unknown): string {
  return value === undefined ? "absent" : JSON.stringify(value);
}
