import { createHash } from "node:crypto";
import { dirname, resolve } from "node:path";
import { compareDiagnostics, type Diagnostic } from "../diagnostics.js";
import { readAccessSource, validateComposed, type LoadOptions, type LoadResult } from "../load.js";
import { parseYamlText } from "../source/parse-text.js";
import { importBoundary, isLibrary, libraryKeyProblems, readImportGraph, relativeTo, type ImportCache, type ImportGraph, type SourceFile } from "./graph.js";
import { composeFiles } from "./merge.js";
import { LIBRARY_RULES, SHARED_SECTIONS } from "./sections.js";

export { isLibrary, type ImportCache } from "./graph.js";
export { SHARED_SECTIONS } from "./sections.js";

/**
 * Loading a file that may import libraries (docs/access-yaml.md, "Libraries"): a workspace
 * file with `imports:` is validated as one document with its libraries merged in
 * (merge.ts); a library (`kind: library`) is validated on its own with LIBRARY_RULES. A
 * file without `imports` is loaded exactly as loadAccessFile loads it.
 */

/** LoadedFile is what loadFile found: a workspace file's LoadResult, or a library's diagnostics; `libraries` lists the imported files' display paths. */
export type LoadedFile =
  | (LoadResult & { kind: "workspace"; file: string; libraries: string[] })
  | { kind: "library"; file: string; valid: boolean; diagnostics: Diagnostic[]; libraries: string[] };

/**
 * loadFile reads `path` and everything it imports, which must stay inside the folder
 * `importRoot` (default: the folder of `path`) or the git work tree containing it (see
 * importBoundary). An unreadable `path` throws ConfigError
 * (as loadAccessFile does); an unreadable import is a diagnostic. `cache` shares library
 * reads between the files of one run. A workspace file's `sha256` covers its libraries too
 * (graphDigest), so a saved plan is refused once a library it was computed from changes.
 */
export async function loadFile(path: string, options: LoadOptions & { cache?: ImportCache; importRoot?: string } = {}): Promise<LoadedFile> {
  const source = await readAccessSource(path);
  if (source.kind === "problem") return { ...source.result, kind: "workspace", file: path, libraries: [] };
  const parsed = parseYamlText(source.text, path);
  if (!parsed.ok) return { desired: null, diagnostics: parsed.diagnostics.sort(compareDiagnostics), kind: "workspace", file: path, libraries: [] };
  const value = parsed.value;
  const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isMap || (!("imports" in value) && !isLibrary(value))) {
    // No imports: exactly the single-file load.
    const result = validateComposed(value, { file: path, locator: parsed.locator, fileOf: () => path }, options);
    return { ...result, sha256: source.sha256, kind: "workspace", file: path, libraries: [] };
  }
  const root: SourceFile = { display: path, absolute: resolve(path), sha256: source.sha256, value: value as Record<string, unknown>, locator: parsed.locator };
  const graph = await readImportGraph(root, options.cache, await importBoundary(options.importRoot ?? dirname(root.absolute)));
  const libraries = graph.libraries.map((l) => l.display);
  return isLibrary(value) ? { ...validateLibrary(graph, options), libraries } : { ...validateWorkspace(graph, options), libraries };
}

function validateWorkspace(graph: ImportGraph, options: LoadOptions): LoadResult & { kind: "workspace"; file: string } {
  const { root } = graph;
  const composed = composeFiles(root, graph.libraries);
  const result = validateComposed(composed.doc, composed.source, options);
  // A library role one workspace does not use is no news: the library serves many.
  const own = result.diagnostics.filter((d) => !(d.code === "unused-role" && d.file !== root.display));
  const diagnostics = [...graph.diagnostics, ...composed.diagnostics, ...own].sort(compareDiagnostics);
  const valid = !diagnostics.some((d) => d.severity === "error");
  return {
    kind: "workspace",
    file: root.display,
    desired: valid ? result.desired : null,
    diagnostics,
    sha256: graphDigest(root, graph.libraries),
  };
}

function validateLibrary(graph: ImportGraph, options: LoadOptions): { kind: "library"; file: string; valid: boolean; diagnostics: Diagnostic[] } {
  const { root } = graph;
  const composed = composeFiles(root, graph.libraries);
  // The library's definitions, judged as a workspace file holding only them would be (the placeholder workspace is never reported on).
  const doc: Record<string, unknown> = { version: 1, workspace: "library" };
  for (const section of SHARED_SECTIONS) if (composed.doc[section] !== undefined) doc[section] = composed.doc[section];
  const result = validateComposed(doc, composed.source, { ...options, rules: LIBRARY_RULES });
  const diagnostics = [...libraryKeyProblems(root), ...graph.diagnostics, ...composed.diagnostics, ...result.diagnostics].sort(compareDiagnostics);
  return { kind: "library", file: root.display, valid: !diagnostics.some((d) => d.severity === "error"), diagnostics };
}

/**
 * graphDigest is the SHA-256 a plan records for a workspace file: the file's own digest when
 * it imports nothing; else the digest of `sha256  path` lines (the file, then each library,
 * paths relative to the file's folder), so editing any of them changes it.
 */
export function graphDigest(root: SourceFile, libraries: readonly SourceFile[]): string {
  if (libraries.length === 0) return root.sha256;
  const lines = [root, ...libraries].map((f) => `${f.sha256}  ${relativeTo(root, f)}\n`).join("");
  return createHash("sha256").update(lines).digest("hex");
}
