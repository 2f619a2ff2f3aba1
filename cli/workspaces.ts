import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { ConfigError } from "../errors.js";
import type { AccessFileRef } from "../reconciler/plan.js";
import { compareDiagnostics, type Diagnostic } from "../schema/diagnostics.js";
import { loadFile, type ImportCache, type LoadedFile } from "../schema/library/index.js";
import type { DesiredState } from "../schema/model.js";

/**
 * Which files a command works on, for one repository of many workspaces (docs/access-yaml.md,
 * "Several workspaces"): `-f` may be repeated and may name a folder. A named file is taken
 * as it is (a workspace file or a library); in a folder (and its subfolders, hidden ones and
 * node_modules skipped), a `.yaml`/`.yml` file is a workspace file when its top level has a
 * `workspace:` key at column 1 and a library when it has `kind: library`; other YAML files
 * (CI configs, credentials maps) are left alone. Two files for one workspace is an error.
 */

/** DEFAULT_FILE is what `-f` means when it is not given. */
export const DEFAULT_FILE = "access.yaml";

/** collectFiles is commander's accumulator for a repeatable `-f`. */
export function collectFiles(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** FoundFiles are the workspace files and the libraries a command's `-f` arguments name, each once, sorted. */
export interface FoundFiles {
  workspaces: string[];
  libraries: string[];
}

const WORKSPACE_KEY = /^["']?workspace["']?[ \t]*:/m;
const LIBRARY_KIND = /^["']?kind["']?[ \t]*:[ \t]*["']?library["']?[ \t]*(?:#.*)?$/m;

/** isMultiple tells whether `-f` arguments ask for more than today's one file: several, or a folder. */
export async function isMultiple(files: readonly string[]): Promise<boolean> {
  if (files.length !== 1) return true;
  try {
    return (await stat(files[0]!)).isDirectory();
  } catch {
    return false;
  }
}

/** findFiles expands `-f` arguments: named files as they are, folders by the folder rule. */
export async function findFiles(args: readonly string[]): Promise<FoundFiles> {
  const workspaces = new Set<string>();
  const libraries = new Set<string>();
  for (const arg of args) {
    let isDir = false;
    try {
      isDir = (await stat(arg)).isDirectory();
    } catch {
      // A missing file is reported by the loader, naming it.
    }
    if (!isDir) {
      workspaces.add(arg);
      continue;
    }
    for (const file of await yamlFilesUnder(arg)) {
      const text = await readFile(file, "utf8").catch(() => "");
      if (LIBRARY_KIND.test(text)) libraries.add(file);
      else if (WORKSPACE_KEY.test(text)) workspaces.add(file);
    }
  }
  return { workspaces: [...workspaces].sort(), libraries: [...libraries].sort() };
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read the folder ${dir} (${err.code ?? "unreadable"})`, [], { cause: err });
  });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFilesUnder(path)));
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(path);
  }
  return out;
}

/** WorkspaceFile is one valid workspace file, ready to plan: what a plan records of it, and its warnings. */
export interface WorkspaceFile {
  desired: DesiredState;
  accessFile: AccessFileRef;
  warnings: Diagnostic[];
}

/**
 * loadWorkspaceFiles loads every workspace file (libraries read once, shared between them)
 * and refuses, with every diagnostic of every file, when any is invalid, names no workspace
 * file at all, or two files name one workspace. Sorted by workspace name.
 */
export async function loadWorkspaceFiles(found: FoundFiles, cwd: string = process.cwd()): Promise<WorkspaceFile[]> {
  const { results } = await loadAll(found);
  const errors = uniqueDiagnostics(results.flatMap((r) => r.diagnostics)).filter((d) => d.severity === "error");
  const libraryArgs = results.filter((r) => r.kind === "library");
  if (libraryArgs.length > 0 && found.workspaces.includes(libraryArgs[0]!.file)) {
    throw new ConfigError(`${libraryArgs[0]!.file} is a library (kind: library), not a workspace file: plan and apply take workspace files (validate checks libraries)`);
  }
  if (errors.length > 0) {
    const bad = new Set(errors.map((d) => d.file)).size;
    throw new ConfigError(
      `${plural(bad, "file")} ${bad === 1 ? "is" : "are"} not valid: ${plural(errors.length, "error")}; nothing was changed`,
      uniqueDiagnostics(results.flatMap((r) => r.diagnostics)),
    );
  }
  const files: WorkspaceFile[] = [];
  const byWorkspace = new Map<string, string>();
  for (const r of results) {
    if (r.kind !== "workspace" || r.desired === null || r.sha256 === undefined) continue;
    const other = byWorkspace.get(r.desired.workspace);
    if (other !== undefined) {
      throw new ConfigError(`${other} and ${r.file} both describe workspace ${r.desired.workspace}: keep one file per workspace; nothing was changed`);
    }
    byWorkspace.set(r.desired.workspace, r.file);
    const path = relative(cwd, resolve(cwd, r.file)).split(sep).join("/") || r.file;
    files.push({ desired: r.desired, accessFile: { path, sha256: r.sha256 }, warnings: r.diagnostics });
  }
  if (files.length === 0) throw new ConfigError(`no workspace file (a YAML file with workspace:) in ${found.workspaces.length === 0 ? "the folders given" : "the files given"}`);
  return files.sort((a, b) => (a.desired.workspace < b.desired.workspace ? -1 : a.desired.workspace > b.desired.workspace ? 1 : 0));
}

/** loadAll loads workspace files and the libraries named or found, sharing library reads. */
export async function loadAll(found: FoundFiles): Promise<{ results: LoadedFile[] }> {
  const cache: ImportCache = new Map();
  const results = await Promise.all([...found.workspaces, ...found.libraries].map((f) => loadFile(f, { cache })));
  return { results };
}

/** uniqueDiagnostics drops repeats (a library's finding reported by every workspace importing it) and sorts. */
export function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = `${d.file}:${d.line}:${d.column}:${d.severity}:${d.code}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort(compareDiagnostics);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
