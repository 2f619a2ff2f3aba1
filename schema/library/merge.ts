import type { Diagnostic } from "../diagnostics.js";
import { escapeInvisible } from "../identity.js";
import type { ComposedSource } from "../load.js";
import type { SourceLocator, YamlPath } from "../source/locator.js";
import type { SourceFile } from "./graph.js";
import { SHARED_SECTION_RULES, type SectionRule } from "./sections.js";

/**
 * Merging libraries into the file that imports them (pure): every shared section
 * (SHARED_SECTION_RULES) of every library joins the root's, definition by definition, as
 * if written in the root. A name defined in two files is a `duplicate-definition` error
 * naming both places; the first definition (the root's, else the first library's) is kept so
 * the rest can still be judged. The composed document remembers where each definition came
 * from (file, and its path there), so diagnostics and DesiredState sources name the library's
 * path and position.
 */

/** Composed is the merged document, where its nodes come from, and the collisions found. */
export interface Composed {
  doc: Record<string, unknown>;
  source: ComposedSource;
  diagnostics: Diagnostic[];
}

/** Origin is where one composed definition was written: its file and its path in that file. */
interface Origin {
  file: SourceFile;
  path: YamlPath;
}

/** composeFiles merges `libraries` (each once, in order) into `root`, section by section as `rules` (default SHARED_SECTION_RULES) say. */
export function composeFiles(root: SourceFile, libraries: readonly SourceFile[], rules: Readonly<Record<string, SectionRule>> = SHARED_SECTION_RULES): Composed {
  const origins = new Map<string, Origin>();
  const slot = (section: string, step: string | number) => `${section}\u0000${String(step)}`;
  const doc: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(root.value)) if (key !== "kind") doc[key] = value;
  const diagnostics: Diagnostic[] = [];

  for (const [section, rule] of Object.entries(rules)) {
    const own = root.value[section];
    // A root section of the wrong shape is the schema's to report: kept as written, nothing merged into it.
    if (own !== undefined && !hasShape(rule, own)) continue;
    const sources = [root, ...libraries].filter((f) => hasShape(rule, f.value[section]));
    if (sources.length === 0) continue;
    const first = new Map<string, Origin>();
    const map: Record<string, unknown> = {};
    const list: unknown[] = [];
    for (const file of sources) {
      for (const [step, definition] of entriesOf(rule, file.value[section])) {
        const name = nameOf(rule, step, definition);
        const here: Origin = { file, path: [section, step] };
        const seen = name === undefined ? undefined : first.get(name);
        if (seen !== undefined && name !== undefined) {
          diagnostics.push(collision(rule, name, seen, here, root));
          continue;
        }
        if (name !== undefined) first.set(name, here);
        if (rule.merge === "map") {
          map[String(step)] = definition;
          origins.set(slot(section, step), here);
        } else {
          origins.set(slot(section, list.length), here);
          list.push(definition);
        }
      }
    }
    doc[section] = rule.merge === "map" ? map : list;
  }

  const originOf = (path: YamlPath): { file: SourceFile; path: YamlPath } => {
    const [section, step] = path;
    if (path.length >= 2 && typeof section === "string" && step !== undefined) {
      const origin = origins.get(slot(section, step));
      if (origin !== undefined) return { file: origin.file, path: [...origin.path, ...path.slice(2)] };
    }
    return { file: root, path };
  };
  const locator: SourceLocator = {
    locate: (path, key) => {
      const o = originOf(path);
      return o.file.locator.locate(o.path, key);
    },
  };
  return { doc, source: { file: root.display, locator, fileOf: (path) => originOf(path).file.display }, diagnostics };
}

function hasShape(rule: SectionRule, value: unknown): boolean {
  return rule.merge === "map" ? typeof value === "object" && value !== null && !Array.isArray(value) : Array.isArray(value);
}

function entriesOf(rule: SectionRule, value: unknown): [string | number, unknown][] {
  return rule.merge === "map" ? Object.entries(value as Record<string, unknown>) : (value as unknown[]).map((v, i): [number, unknown] => [i, v]);
}

/** nameOf is what collides: a map entry's key, a list item's `key` field (an item without one never collides). */
function nameOf(rule: SectionRule, step: string | number, definition: unknown): string | undefined {
  if (rule.merge === "map") return String(step);
  const name = typeof definition === "object" && definition !== null ? (definition as Record<string, unknown>)[rule.key] : undefined;
  return typeof name === "string" ? name : undefined;
}

/** collision is the error for `name` defined at `first` and again at `second`; it is placed in the root when the root is one of them. */
function collision(rule: SectionRule, name: string, first: Origin, second: Origin, root: SourceFile): Diagnostic {
  const at = (o: Origin) => o.file.locator.locate(rule.merge === "map" ? o.path : [...o.path, rule.key], rule.merge === "map");
  const where = (o: Origin) => {
    const p = at(o);
    return `${o.file.display}:${p.line}:${p.column}`;
  };
  const here = first.file === root ? first : second;
  return {
    severity: "error",
    code: "duplicate-definition",
    message: escapeInvisible(`${rule.noun} "${name}" is defined twice: at ${where(first)} and at ${where(second)}; keep one definition`),
    file: here.file.display,
    ...at(here),
    path: here.path,
  };
}
