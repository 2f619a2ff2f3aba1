import type { Diagnostic } from "../diagnostics.js";
import { escapeInvisible } from "../identity.js";
import type { Position, SourceLocator, YamlPath } from "../source/locator.js";

/**
 * Policies shared through libraries (`kind: library`, `imports:`): the importing file's
 * `policies` list, then each library's, joined into one list as if written in the importer.
 * A policy name defined in two files is a `duplicate-definition` error naming both places
 * (the first definition is kept, so the rest is still judged). Unlike roles and groups,
 * policies are a list: the composed list's item `i` comes from item `k` of some file, and
 * positions are found there (`origin`).
 */

/** PolicyFile is what composing needs of a parsed file: its display path, its value and a locator into it. */
export interface PolicyFile {
  display: string;
  value: Record<string, unknown>;
  locator: SourceLocator;
}

/** PolicyOrigin is the file and the index in its own `policies` list of one composed item. */
export interface PolicyOrigin<F extends PolicyFile> {
  file: F;
  index: number;
}

/** ComposedPolicies: the joined list (undefined when no file has one; the root's as written when it is not a list), where each item came from, and the collisions. */
export interface ComposedPolicies<F extends PolicyFile> {
  list: unknown;
  origins: PolicyOrigin<F>[];
  diagnostics: Diagnostic[];
}

/** composePolicies joins the `policies` of `root` and `libraries` (in order). */
export function composePolicies<F extends PolicyFile>(root: F, libraries: readonly F[]): ComposedPolicies<F> {
  if (root.value.policies !== undefined && !Array.isArray(root.value.policies)) return { list: root.value.policies, origins: [], diagnostics: [] };
  const list: unknown[] = [];
  const origins: PolicyOrigin<F>[] = [];
  const diagnostics: Diagnostic[] = [];
  const first = new Map<string, PolicyOrigin<F>>();
  let any = false;
  for (const file of [root, ...libraries]) {
    const items = file.value.policies;
    if (!Array.isArray(items)) continue;
    any = true;
    items.forEach((item, index) => {
      const name = typeof item === "object" && item !== null ? (item as Record<string, unknown>).name : undefined;
      if (typeof name === "string") {
        const seen = first.get(name);
        if (seen !== undefined) {
          diagnostics.push(collision(name, seen, { file, index }, root));
          return;
        }
        first.set(name, { file, index });
      }
      list.push(item);
      origins.push({ file, index });
    });
  }
  return { list: any ? list : undefined, origins, diagnostics };
}

/**
 * policyLocation maps a path of the composed document under `policies` to the file and the
 * path in that file's own list; undefined for any other path (or an item it does not know).
 */
export function policyLocation<F extends PolicyFile>(composed: ComposedPolicies<F>, path: YamlPath): { file: F; path: YamlPath } | undefined {
  const [section, index] = path;
  if (section !== "policies" || typeof index !== "number") return undefined;
  const origin = composed.origins[index];
  return origin === undefined ? undefined : { file: origin.file, path: ["policies", origin.index, ...path.slice(2)] };
}

function collision<F extends PolicyFile>(name: string, first: PolicyOrigin<F>, second: PolicyOrigin<F>, root: F): Diagnostic {
  const at = (o: PolicyOrigin<F>): Position => o.file.locator.locate(["policies", o.index, "name"]);
  const where = (o: PolicyOrigin<F>) => {
    const p = at(o);
    return `${o.file.display}:${p.line}:${p.column}`;
  };
  // Reported in the importing file when it is one of the two places, else at the second definition.
  const here = first.file === root ? first : second;
  return {
    severity: "error",
    code: "duplicate-definition",
    message: escapeInvisible(`policy "${name}" is defined twice: at ${where(first)} and at ${where(second)}; keep one definition`),
    file: here.file.display,
    ...at(here),
    path: ["policies", here.index, "name"],
  };
}
