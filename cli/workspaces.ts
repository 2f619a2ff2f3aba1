import { stat } from "node:fs/promises";

/**
 * `-f` for several workspaces: repeatable, and a folder stands for the workspace files and
 * libraries it holds (the folder rule: schema/library/files.ts, docs/access-yaml.md).
 */

export { findFiles, loadAll, loadWorkspaceFiles, uniqueDiagnostics, type FoundFiles, type WorkspaceFile } from "../schema/library/files.js";

/** DEFAULT_FILE is what `-f` means when it is not given. */
export const DEFAULT_FILE = "access.yaml";

/** collectFiles is commander's accumulator for a repeatable `-f`. */
export function collectFiles(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** isMultiple tells whether `-f` arguments ask for more than one file: several, or a folder. */
export async function isMultiple(files: readonly string[]): Promise<boolean> {
  if (files.length !== 1) return true;
  try {
    return (await stat(files[0]!)).isDirectory();
  } catch {
    return false;
  }
}

/** ignoredLine names, in one line, the YAML files of the folders that are neither workspace files nor libraries (nothing is skipped silently); none when there are none. */
export function ignoredLine(ignored: readonly string[]): string[] {
  return ignored.length === 0 ? [] : [`Ignored (no access keys: not a workspace file or a library): ${ignored.join(", ")}`];
}
