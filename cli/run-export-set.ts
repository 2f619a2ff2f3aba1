import { mkdir } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { ConfigError } from "../errors.js";
import { runBounded } from "../reconciler/apply/bounded.js";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import { exportScope } from "./export-scope.js";
import { canonicalAccess, writeAccessYaml, type CanonicalAccess } from "../reconciler/render/access-yaml.js";
import { extractSharedRoles, writeLibraryYaml } from "../reconciler/render/index.js";
import { resolveMultiTarget } from "./credentials.js";
import { ExitCode } from "./errors.js";
import { writeOutputFile } from "./output.js";
import type { ExportOptions } from "./run-export.js";
import { WORKSPACE_CONCURRENCY } from "../reconciler/plan-many.js";
import { modelineSchemaPath } from "./schema-modeline.js";
import { openSessions } from "./workspace-sessions.js";

/**
 * `export` of several workspaces into a folder (`--workspace a --workspace b -o access/`): one
 * `<workspace>.yaml` each, read concurrently. With `--extract-library shared/roles.yaml`
 * (relative to the folder), the custom roles every exported workspace defines identically
 * move to that library, and each file imports it. Planning the folder then says No changes
 * for every workspace.
 */
export async function runExportSet(options: ExportOptions): Promise<number> {
  const workspaces = [...new Set((options.workspace ?? []).map((w) => w.trim()).filter((w) => w !== ""))];
  if (workspaces.length === 0) throw new ConfigError("name the workspaces to export: --workspace NAME, repeated");
  if (options.output === undefined) throw new ConfigError("several workspaces are exported into a folder: pass -o FOLDER");
  const folder = options.output;
  const target = await resolveMultiTarget(options, workspaces);
  const sessions = await openSessions({
    target,
    files: workspaces.map((workspace) => ({ workspace })),
    announce: (line) => process.stderr.write(`${line}\n`),
    create: false,
  });
  const accesses = new Map<string, CanonicalAccess>();
  try {
    await runBounded(workspaces, WORKSPACE_CONCURRENCY, async (workspace) => {
      accesses.set(workspace, canonicalAccess(await fetchWorkspaceState(sessions.sessions.get(workspace)!.client, workspace), exportScope(options, workspace)));
    });
  } finally {
    await sessions.close();
  }
  const ordered = workspaces.map((w) => accesses.get(w)!);
  const { shared, rest } = options.extractLibrary !== undefined ? extractSharedRoles(ordered) : { shared: new Map(), rest: ordered };
  await mkdir(folder, { recursive: true });
  const libraryPath = options.extractLibrary !== undefined ? join(folder, options.extractLibrary) : undefined;
  if (libraryPath !== undefined) {
    await mkdir(dirname(libraryPath), { recursive: true });
    await writeOutputFile(libraryPath, writeLibraryYaml(shared, { schemaUrl: modelineSchemaPath(libraryPath), workspaces }), "the library");
  }
  for (const access of rest) {
    const file = join(folder, `${fileName(access.workspace)}.yaml`);
    const imports = libraryPath !== undefined ? [relative(dirname(file), libraryPath).split(sep).join("/")] : [];
    await writeOutputFile(file, writeAccessYaml(access, { schemaUrl: modelineSchemaPath(file), imports }), "the export");
  }
  const moved = libraryPath !== undefined ? `; ${shared.size} shared custom role${shared.size === 1 ? "" : "s"} in ${libraryPath}` : "";
  process.stderr.write(`Exported ${workspaces.length} workspaces to ${folder}${moved}.\n`);
  return ExitCode.ok;
}

/** fileName keeps a workspace name that is not a plain file name from escaping the folder. */
function fileName(workspace: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(workspace) ? workspace : encodeURIComponent(workspace).replace(/%/g, "_");
}
