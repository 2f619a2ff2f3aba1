import { PERMISSION_IDS } from "./catalog.js";

/**
 * The two orders everything shares: text in code-point order (locale-independent, so
 * plans, exports and reports sort the same on every machine) and permission lists in
 * catalog order.
 */

/** compareText is a locale-independent string order (code points), so outputs sort the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const RANK = new Map<string, number>(PERMISSION_IDS.map((p, i) => [p, i]));

function rank(p: string): number {
  return RANK.get(p) ?? PERMISSION_IDS.length;
}

/**
 * sortPermissions returns the distinct permissions in catalog order, unknown ids last in
 * code-point order (compareText). The one permission order: the file loader, computePlan,
 * the renderers, the provider and the server all use it.
 */
export function sortPermissions<T extends string>(permissions: Iterable<T>): T[] {
  const list = Array.isArray(permissions) ? (permissions as readonly T[]) : [...permissions];
  if (list.length === 0) return [];
  if (list.length === 1) return [list[0] as T];
  return [...new Set(list)].sort((a, b) => rank(a) - rank(b) || compareText(a, b));
}
