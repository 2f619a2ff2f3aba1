import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { fetchWorkspaceState } from "../reconciler/fetch.js";
import { renderAccessYaml } from "../reconciler/render/index.js";
import { ExitCode } from "./errors.js";
import { resolveExportWorkspace } from "./workspace-name.js";
import { withSession } from "./session.js";
import { addTargetOptions, type TargetOptions } from "./target.js";

interface ExportOptions extends TargetOptions {
  workspace?: string;
  output?: string;
}

/** registerExport adds `export`: the live workspace as a canonical access.yaml (stdout or -o). */
export function registerExport(program: Command): void {
  const command = program
    .command("export")
    .description("write the live workspace as a canonical access.yaml (sorted, owner set, pending invitations marked)")
    .option("--workspace <name>", "the workspace to export (default: $ANTRYK_WORKSPACE, or the only embedded one)")
    .option("-o, --output <path>", "write to this file instead of stdout");
  addTargetOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ antryk-access export --workspace acme-prod -o access.yaml   # start managing an existing workspace
  $ antryk-access export --workspace acme-prod | diff access.yaml -

\`plan\` on an exported file against the same workspace always says "No changes".
With the embedded local workspace, the announcement goes to stderr so stdout is the file.`,
    )
    .action(async (options: ExportOptions) => {
      const workspace = await resolveExportWorkspace(options.workspace, options);
      const yaml = await withSession(
        { target: options, workspace, announce: (line) => process.stderr.write(`${line}\n`), create: false },
        async (session) => renderAccessYaml(await fetchWorkspaceState(session.client, workspace)),
      );
      if (options.output !== undefined) {
        await writeFile(options.output, yaml);
        process.stderr.write(`Exported workspace "${workspace}" to ${options.output}.\n`);
      } else {
        process.stdout.write(yaml);
      }
      process.exitCode = ExitCode.ok;
    });
}
