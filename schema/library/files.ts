import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ConfigError } from "../../errors.js";
import { compareDiagnostics, type Diagnostic } from "../diagnostics.js";
import type { DesiredState } from "../model.js";
import { classifyYaml } from "./classify.js";
import type { ImportCache } from "./graph.js";
import { loadFile, type LoadedFile } from "./index.js";

/**
 * Which files a command over several workspaces works on (docs/access-yaml.md, "The folder
 * rule"): a named file is taken as it is (a workspace file or a library); in a folder (and
 * its subfolders, hidden ones and node_modules skipped), each `.yaml`/`.yml` file is parsed
 * (a BOM, flow maps, indented maps and `? key` read as in any file) and classified by its
 * top-level keys (classifyYaml): a workspace file has `workspace`, a library `kind: library`;
 * a file that is neither but has access keys (`version`, `members`, `roles`, `groups`,
 * `policies`, or a key within edit distance 2 of `workspace`) is an error naming the file and
 * the key; other YAML files (CI configs, credentials maps) are listed as ignored. Two files for
 * one workspace is an error.
 */

/** FoundFiles are the workspace files and the libraries the arguments name, each once, sorted; `ignored` the other YAML files of the folders; `problems` the files that look like access files but are neither. */
export interface FoundFiles {
  workspaces: string[];
  libraries: string[];
  /** importRoot is the folder imports must stay inside (with its git work tree): the first argument when it is a folder, else its folder. */
  importRoot?: string;
  ignored: string[];
  problems: Diagnostic[];
}

/** findFiles expands file and folder arguments: named files as they are, folders by the folder rule. */
export async function findFiles(args: readonly string[]): Promise<FoundFiles> {
  const workspaces = new Set<string>();
  const libraries = new Set<string>();
  const ignored = new Set<string>();
  const problems: Diagnostic[] = [];
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
      const kind = classifyYaml(file, await readFile(file, "utf8").catch(() => ""));
      if (kind.kind === "library") libraries.add(file);
      else if (kind.kind === "workspace") workspaces.add(file);
      else if (kind.kind === "suspect") problems.push(kind.problem);
      else ignored.add(file);
    }
  }
  const first = args[0];
  const importRoot = first === undefined ? undefined : (await stat(first).then((st) => st.isDirectory(), () => false)) ? first : dirname(first);
  return {
    workspaces: [...workspaces].sort(),
    libraries: [...libraries].sort(),
    ignored: [...ignored].sort(),
    problems: problems.sort(compareDiagnostics),
    ...(importRoot === undefined ? {} : { importRoot }),
  };
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

/** WorkspaceFile is one valid workspace file, ready to plan: what a plan records of it (`accessFile`, as reconciler/plan.ts's AccessFileRef), and its warnings. */
export interface WorkspaceFile {
  desired: DesiredState;
  accessFile: { path: string; sha256: string };
  warnings: Diagnostic[];
}

/**
 * loadWorkspaceFiles loads every workspace file (libraries read once, shared between them)
 * and refuses, with every diagnostic of every file, when any is invalid, names no workspace
 * file at all, or two files name one workspace. Sorted by workspace name; `accessFile.path`
 * is relative to `cwd`.
 */
export async function loadWorkspaceFiles(found: FoundFiles, cwd: string = process.cwd()): Promise<WorkspaceFile[]> {
  const { results } = await loadAll(found);
  const library = results.find((r) => r.kind === "library" && found.workspaces.includes(r.file));
  if (library !== undefined) {
    throw new ConfigError(`${library.file} is a library (kind: library), not a workspace file: plan and apply take workspace files (validate checks libraries)`);
  }
  const all = uniqueDiagnostics([...results.flatMap((r) => r.diagnostics), ...found.problems]);
  const errors = all.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    const bad = new Set(errors.map((d) => d.file)).size;
    throw new ConfigError(`${plural(bad, "file")} ${bad === 1 ? "is" : "are"} not valid: ${plural(errors.length, "error")}; nothing was changed`, all);
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

/** loadAll loads the workspace files and the libraries found, sharing library reads. */
export async function loadAll(found: FoundFiles): Promise<{ results: LoadedFile[] }> {
  const cache: ImportCache = new Map();
  const results = await Promise.all([...found.workspaces, ...found.libraries].map((f) => loadFile(f, { cache, ...(found.importRoot === undefined ? {} : { importRoot: found.importRoot }) })));
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
