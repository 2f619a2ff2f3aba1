import { fetchWorkspaceState } from "../reconciler/fetch.js";
import { renderAccessYaml } from "../reconciler/render/index.js";
import { ConfigError } from "../errors.js";
import { ExitCode } from "./errors.js";
import { exportScope } from "./export-scope.js";
import { ignoreClosedStdout, writeOutputFile } from "./output.js";
import { modelineSchemaPath } from "./schema-modeline.js";
import { withSession } from "./session.js";
import { resolveTarget, type TargetOptions } from "./target.js";
import { resolveExportWorkspace } from "./workspace-name.js";

/** ExportOptions are `export`'s parsed options (cli/export.ts declares them). */
export interface ExportOptions extends TargetOptions {
  /** The `--workspace` arguments; several (or --extract-library) export a folder (run-export-set.ts). */
  workspace?: string[];
  output?: string;
  extractLibrary?: string;
  credentials?: string;
  /** manager is the export's `manager:` (default antryk-access:<workspace>; one workspace only). */
  manager?: string;
  /** all exports what other managers manage too, each marked with its manager. */
  all?: boolean;
}


/**
 * runExport is `export`: the live workspace as canonical access.yaml on stdout, or in
 * `--output` (then one line on stderr says where). The embedded-workspace announcement
 * goes to stderr so stdout is exactly the file. The modeline points at the schema of the
 * antryk-access installed in the file's project, relative to the file (stdout: as if written
 * in the working directory); with none installed there, the file has no modeline.
 */
export async function runExport(options: ExportOptions): Promise<number> {
  if (options.manager !== undefined && (options.workspace?.length ?? 0) > 1) {
    throw new ConfigError("--manager names the manager of one workspace: export several workspaces without it (each gets antryk-access:<workspace>)");
  }
  if ((options.workspace?.length ?? 0) > 1 || options.extractLibrary !== undefined || options.credentials !== undefined) {
    const { runExportSet } = await import("./run-export-set.js");
    return runExportSet(options);
  }
  ignoreClosedStdout();
  const target = await resolveTarget(options);
  const workspace = await resolveExportWorkspace(options.workspace?.[0], target);
  const yaml = await withSession(
    { target, workspace, announce: (line) => process.stderr.write(`${line}\n`), create: false },
    async (session) =>
      renderAccessYaml(await fetchWorkspaceState(session.client, workspace), {
        schemaUrl: modelineSchemaPath(options.output ?? "access.yaml"),
        scope: exportScope(options, workspace),
      }),
  );
  if (options.output !== undefined) {
    await writeOutputFile(options.output, yaml, "the export");
    process.stderr.write(`Exported workspace "${workspace}" to ${options.output}.\n`);
  } else {
    process.stdout.write(yaml);
  }
  return ExitCode.ok;
}
