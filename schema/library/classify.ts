import { distance } from "fastest-levenshtein";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { Diagnostic } from "../diagnostics.js";

/**
 * The folder rule's classification of one YAML file (docs/access-yaml.md, "The folder
 * rule"), by its parsed top-level keys rather than by a text pattern, so a BOM, a flow map,
 * an indented map or `? workspace` classify as any other file does.
 */

/** ACCESS_KEYS are the top-level keys only an access file has besides `workspace` and `kind`. */
const ACCESS_KEYS = new Set(["version", "members", "roles", "groups", "policies"]);

/** YamlKind is what a YAML file in a folder is: a workspace file, a library, a file that looks like an access file but is neither (an error), or another YAML file. */
export type YamlKind = { kind: "workspace" } | { kind: "library" } | { kind: "suspect"; problem: Diagnostic } | { kind: "other" };

/** classifyYaml classifies `text` (the content of `file`) by its top-level keys; a file that does not parse is `other` unless its text names an access key at the start of a line (then a workspace file, so the loader reports why it does not parse). */
export function classifyYaml(file: string, text: string): YamlKind {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    return doc.errors.length > 0 && /^\uFEFF?[ \t]*(?:\?[ \t]*)?["']?(?:workspace|version|members|roles|groups|policies)["']?[ \t]*:?/im.test(text) ? { kind: "workspace" } : { kind: "other" };
  }
  const keys = doc.contents.items.flatMap((pair) => (isScalar(pair.key) && typeof pair.key.value === "string" ? [{ key: pair.key.value, value: pair.value, at: pair.key.range?.[0] ?? 0 }] : []));
  if (keys.some((k) => k.key === "kind" && isScalar(k.value) && k.value.value === "library")) return { kind: "library" };
  if (keys.some((k) => k.key === "workspace")) return { kind: "workspace" };
  const suspect = keys.find((k) => ACCESS_KEYS.has(k.key) || distance(k.key.toLowerCase(), "workspace") <= 2);
  if (suspect === undefined) return { kind: "other" };
  const { line, col } = lines.linePos(suspect.at);
  const misspelt = !ACCESS_KEYS.has(suspect.key);
  return {
    kind: "suspect",
    problem: {
      severity: "error",
      code: "not-a-workspace-file",
      message: misspelt
        ? `${suspect.key} looks like a misspelling of workspace: this file has no workspace: key, so it is neither a workspace file nor a library (kind: library); write workspace: NAME`
        : `this file has the access key ${suspect.key} but no workspace: key and no kind: library, so it is neither a workspace file nor a library; add workspace: NAME (or kind: library), or keep it out of the folder`,
      file,
      line,
      column: col,
      path: [suspect.key],
    },
  };
}
