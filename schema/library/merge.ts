import type { Diagnostic } from "../diagnostics.js";
import { escapeInvisible } from "../identity.js";
import type { ComposedSource } from "../load.js";
import type { SourceLocator, YamlPath } from "../source/locator.js";
import type { SourceFile } from "./graph.js";
import { SECTION_NOUN, SHARED_SECTIONS, type SharedSection } from "./sections.js";

/**
 * Merging libraries into the file that imports them (pure): every shared section
 * (SHARED_SECTIONS) of every library joins the root's, name by name, as if written in the
 * root. A name defined in two files is a `duplicate-definition` error naming both places;
 * the root's definition (or the first library's) is kept so the rest can still be judged.
 * The composed document remembers which file each definition came from, so diagnostics
 * and DesiredState sources name the library's path and position.
 */

/** Composed is the merged document, where its nodes come from, and the collisions found. */
export interface Composed {
  doc: Record<string, unknown>;
  source: ComposedSource;
  diagnostics: Diagnostic[];
}

/** composeFiles merges `libraries` (each once, in order) into `root`. The root's `imports` and `kind` keys are dropped from the document. */
export function composeFiles(root: SourceFile, libraries: readonly SourceFile[]): Composed {
  const origin = new Map<string, SourceFile>();
  const originKey = (section: string, name: string) => `${section}\u0000${name}`;
  const doc: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(root.value)) if (key !== "imports" && key !== "kind") doc[key] = value;
  const diagnostics: Diagnostic[] = [];

  for (const section of SHARED_SECTIONS) {
    const merged: Record<string, unknown> = {};
    let any = false;
    for (const file of [root, ...libraries]) {
      const entries = file.value[section];
      if (typeof entries !== "object" || entries === null || Array.isArray(entries)) {
        // A non-map section is the schema's to report; the root's is kept as written.
        if (file === root && entries !== undefined) {
          doc[section] = entries;
          any = false;
          break;
        }
        continue;
      }
      any = true;
      for (const [name, definition] of Object.entries(entries)) {
        const first = origin.get(originKey(section, name));
        if (first !== undefined) {
          diagnostics.push(collision(section, name, first, file, root));
          continue;
        }
        origin.set(originKey(section, name), file);
        merged[name] = definition;
      }
    }
    if (any) doc[section] = merged;
  }

  const fileAt = (path: YamlPath): SourceFile => {
    const [section, name] = path;
    if (path.length >= 2 && typeof section === "string" && (SHARED_SECTIONS as readonly string[]).includes(section)) {
      return origin.get(originKey(section, String(name))) ?? root;
    }
    return root;
  };
  const locator: SourceLocator = { locate: (path, key) => fileAt(path).locator.locate(path, key) };
  return { doc, source: { file: root.display, locator, fileOf: (path) => fileAt(path).display }, diagnostics };
}

/** collision is the error for `name` defined in `first` and again in `second`; it is placed in the root when the root is one of them. */
function collision(section: SharedSection, name: string, first: SourceFile, second: SourceFile, root: SourceFile): Diagnostic {
  const path: YamlPath = [section, name];
  const where = (f: SourceFile) => {
    const p = f.locator.locate(path, true);
    return `${f.display}:${p.line}:${p.column}`;
  };
  const here = first === root ? first : second;
  return {
    severity: "error",
    code: "duplicate-definition",
    message: escapeInvisible(`${SECTION_NOUN[section]} "${name}" is defined twice: at ${where(first)} and at ${where(second)}; keep one definition`),
    file: here.display,
    ...here.locator.locate(path, true),
    path,
  };
}
