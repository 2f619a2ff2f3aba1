import { lstat, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { ConfigError } from "../../errors.js";
import type { Diagnostic } from "../diagnostics.js";
import { escapeInvisible } from "../identity.js";
import { readAccessSource } from "../load.js";
import type { SourceLocator, YamlPath } from "../source/locator.js";
import { parseYamlText } from "../source/parse-text.js";
import { LIBRARY_KEYS } from "./sections.js";

/**
 * Reading the import graph of an access file: the file, then every library it imports
 * (`imports:`, paths relative to the importing file), depth first, each file once. I/O
 * only; what the files mean is merge.ts's. A missing, unreadable or non-library import and
 * an import cycle are diagnostics at the `imports` item, naming the chain that led there.
 */

/** SourceFile is one parsed file of the graph: its display path (as diagnostics name it), absolute path, digest and parsed value. */
export interface SourceFile {
  display: string;
  absolute: string;
  sha256: string;
  value: Record<string, unknown>;
  locator: SourceLocator;
}

/** ReadResult is one file read and parsed: the file, or the diagnostics that say why it has no value. */
type ReadResult = { ok: true; file: SourceFile } | { ok: false; diagnostics: Diagnostic[]; unreadable?: string };

/** ImportCache shares reads between the workspaces of one run, so each library is read and parsed once. */
export type ImportCache = Map<string, Promise<ReadResult>>;

/** ImportGraph is a root file and the libraries it reaches, each once, in the order a depth-first walk first meets them. */
export interface ImportGraph {
  root: SourceFile;
  libraries: SourceFile[];
  /** Problems of the graph itself (cycles, missing or non-library imports, a library's own parse errors). */
  diagnostics: Diagnostic[];
}

/** isLibrary tells a library document (`kind: library`) from a workspace file. */
export function isLibrary(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>).kind === "library";
}

/** importsOf lists a document's `imports` items that are strings, with their index. */
export function importsOf(value: Record<string, unknown>): { index: number; path: string }[] {
  const list = Array.isArray(value.imports) ? value.imports : [];
  return list.flatMap((p, index) => (typeof p === "string" && p.trim() !== "" ? [{ index, path: p }] : []));
}

/** readSourceFile reads and parses one file; an unreadable file is a ConfigError (the root) or reported by the caller (an import). */
export function readSourceFile(display: string, cache?: ImportCache): Promise<ReadResult> {
  const absolute = resolve(display);
  const cached = cache?.get(absolute);
  if (cached) return cached;
  const reading = (async (): Promise<ReadResult> => {
    let source;
    try {
      source = await readAccessSource(display);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return { ok: false, diagnostics: [], unreadable: err.message.replace(/^cannot read [^:]*: /, "") };
    }
    if (source.kind === "problem") return { ok: false, diagnostics: source.result.diagnostics };
    const parsed = parseYamlText(source.text, display);
    if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
    const value = typeof parsed.value === "object" && parsed.value !== null && !Array.isArray(parsed.value) ? (parsed.value as Record<string, unknown>) : {};
    return { ok: true, file: { display, absolute, sha256: source.sha256, value, locator: parsed.locator } };
  })();
  cache?.set(absolute, reading);
  return reading;
}

/**
 * importBoundary is the folder every import must resolve inside: `start` (the folder of
 * the first file given to -f, or that folder itself), symlinks resolved, or the git work
 * tree that contains it when there is one, which is wider.
 */
export async function importBoundary(start: string): Promise<string> {
  const folder = await realpath(start).catch(() => resolve(start));
  for (let dir = folder; ; dir = dirname(dir)) {
    if (await stat(join(dir, ".git")).then(() => true, () => false)) return dir;
    if (dirname(dir) === dir) return folder;
  }
}

function isInside(boundary: string, path: string): boolean {
  const r = relative(boundary, path);
  return r === "" || (r.split(sep)[0] !== ".." && !isAbsolute(r));
}

/**
 * leavesBoundary tells whether an import resolves outside `boundary`: its real path (all
 * symlinks resolved) when it exists; else its path from the importing file's real folder,
 * and a dangling link counts as outside. Whether the target exists is never told apart.
 */
async function leavesBoundary(boundary: string, importer: string, importPath: string): Promise<boolean> {
  const absolute = resolve(dirname(importer), importPath);
  const real = await realpath(absolute).catch(() => null);
  if (real !== null) return !isInside(boundary, real);
  const folder = await realpath(dirname(importer)).catch(() => dirname(importer));
  if (!isInside(boundary, resolve(folder, importPath))) return true;
  return lstat(absolute).then(() => true, () => false); // present but not resolvable: a dangling link
}

/**
 * readImportGraph walks the imports of `root` (already read). Every library reached is
 * checked to be a library (`kind: library`) holding only LIBRARY_KEYS. An import that
 * resolves outside `boundary` (importBoundary; default: the root's folder or its git work
 * tree) is one `import-outside` error that does not tell whether the target exists, and
 * nothing outside is read.
 */
export async function readImportGraph(root: SourceFile, cache?: ImportCache, boundary?: string): Promise<ImportGraph> {
  const fence = boundary ?? (await importBoundary(dirname(root.absolute)));
  const diagnostics: Diagnostic[] = [];
  const libraries: SourceFile[] = [];
  const seen = new Set<string>([root.absolute]);
  const at = (file: SourceFile, path: YamlPath, code: string, message: string): Diagnostic => ({
    severity: "error",
    code,
    message: escapeInvisible(message),
    file: file.display,
    ...file.locator.locate(path),
    path,
  });

  const visit = async (file: SourceFile, chain: SourceFile[]): Promise<void> => {
    for (const item of importsOf(file.value)) {
      const path: YamlPath = ["imports", item.index];
      if (isAbsolute(item.path)) {
        diagnostics.push(at(file, path, "invalid-import", `import "${item.path}" must be a path relative to ${file.display}`));
        continue;
      }
      const display = normalize(join(dirname(file.display), item.path));
      const absolute = resolve(dirname(file.absolute), item.path);
      if (await leavesBoundary(fence, file.absolute, item.path)) {
        const where = relative(process.cwd(), fence) || ".";
        diagnostics.push(
          at(file, path, "import-outside", `import "${item.path}" is outside ${where}: imports must stay inside the folder of the first file given to -f or the git work tree that contains it`),
        );
        continue;
      }
      const trail = [...chain, file].map((f) => f.display);
      const cycleAt = [...chain, file].findIndex((f) => f.absolute === absolute);
      if (cycleAt !== -1) {
        const loop = [...trail.slice(cycleAt), display].join(" → ");
        diagnostics.push(at(file, path, "import-cycle", `import cycle: ${loop}`));
        continue;
      }
      if (seen.has(absolute)) continue;
      seen.add(absolute);
      const read = await readSourceFile(display, cache);
      if (!read.ok) {
        if (read.unreadable !== undefined) {
          diagnostics.push(at(file, path, "import-missing", `cannot read ${display} (imported by ${trail.join(" → ")}): ${read.unreadable}`));
        }
        diagnostics.push(...read.diagnostics);
        continue;
      }
      if (!isLibrary(read.file.value)) {
        diagnostics.push(
          at(file, path, "import-not-library", `${display} (imported by ${trail.join(" → ")}) is not a library: only files with "kind: library" can be imported`),
        );
        continue;
      }
      diagnostics.push(...libraryKeyProblems(read.file));
      libraries.push(read.file);
      await visit(read.file, [...chain, file]);
    }
  };
  await visit(root, []);
  return { root, libraries, diagnostics };
}

/** libraryKeyProblems reports the keys a library may not hold (`library-key`) and a missing or wrong `version`. */
export function libraryKeyProblems(file: SourceFile): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const at = (path: YamlPath, code: string, message: string, key: boolean): Diagnostic => ({
    severity: "error",
    code,
    message,
    file: file.display,
    ...file.locator.locate(path, key),
    path,
  });
  for (const key of Object.keys(file.value)) {
    if (!LIBRARY_KEYS.includes(key)) {
      problems.push(at([key], "library-key", `"${key}" is not allowed in a library: a library (kind: library) holds only ${LIBRARY_KEYS.join(", ")}`, true));
    }
  }
  if (file.value.version !== 1) problems.push(at(file.value.version === undefined ? [] : ["version"], "unsupported-version", "a library needs version: 1", false));
  const imports = file.value.imports;
  if (imports !== undefined && (!Array.isArray(imports) || imports.some((p) => typeof p !== "string" || p.trim() === ""))) {
    problems.push(at(["imports"], "invalid-import", "imports must be a list of file paths", false));
  }
  return problems;
}

/** relativeTo names `file` relative to the folder of `root` (digests of a graph do not depend on the current folder). */
export function relativeTo(root: SourceFile, file: SourceFile): string {
  return relative(dirname(root.absolute), file.absolute).split("\\").join("/");
}
